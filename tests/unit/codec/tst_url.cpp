#include <QtTest>

#include <QSet>

#include <string>

#include "engine/codec/IpLiteral.h"
#include "engine/codec/Url.h"

using namespace tributary::codec;

Q_DECLARE_METATYPE(tributary::codec::UrlError)

namespace {

std::string str(const QString& s) {
  return s.toStdString();
}

Url mustParse(std::string_view text) {
  UrlParseError error;
  std::optional<Url> url = parseUrl(text, error);
  if (!url) {
    qFatal("parse failed: %s", std::string(text).c_str());
  }
  return *url;
}

}  // namespace

class TstUrl : public QObject {
  Q_OBJECT
 private slots:
  void parsesValid_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bare host") << "http://example.com"
                               << "http://example.com/";
    QTest::newRow("case, default port, fragment") << "HTTP://Example.COM:80/A/b?x=1#frag"
                                                  << "http://example.com/A/b?x=1";
    QTest::newRow("https default port") << "https://example.com:443/"
                                        << "https://example.com/";
    QTest::newRow("https other port") << "https://example.com:8443/x"
                                      << "https://example.com:8443/x";
    QTest::newRow("http on 443 keeps it") << "http://example.com:443/"
                                          << "http://example.com:443/";
    QTest::newRow("ipv6 loopback") << "http://[::1]/"
                                   << "http://[::1]/";
    QTest::newRow("ipv6 with port") << "http://[::1]:8080/p"
                                    << "http://[::1]:8080/p";
    QTest::newRow("ipv6 lower-cased") << "http://[2001:DB8::1]/"
                                      << "http://[2001:db8::1]/";
    QTest::newRow("ipv6 full") << "http://[1:2:3:4:5:6:7:8]/"
                               << "http://[1:2:3:4:5:6:7:8]/";
    QTest::newRow("ipv6 v4-mapped") << "http://[::ffff:192.0.2.1]/"
                                    << "http://[::ffff:192.0.2.1]/";
    QTest::newRow("ipv6 unspecified") << "http://[::]/"
                                      << "http://[::]/";
    QTest::newRow("ipv4") << "http://1.2.3.4:65535/"
                          << "http://1.2.3.4:65535/";
    QTest::newRow("empty port") << "http://host:/"
                                << "http://host/";
    QTest::newRow("leading zeros in port") << "http://host:0080/"
                                           << "http://host/";
    QTest::newRow("query without path") << "http://host?q"
                                        << "http://host/?q";
    QTest::newRow("empty query kept") << "http://host/?"
                                      << "http://host/?";
    QTest::newRow("fragment before query char") << "http://host/a#b?c"
                                                << "http://host/a";
    QTest::newRow("dot segments") << "http://host/a/./b/../c"
                                  << "http://host/a/c";
    QTest::newRow("dot segments past root") << "http://host/../../x"
                                            << "http://host/x";
    QTest::newRow("trailing dot dot") << "http://host/a/b/.."
                                      << "http://host/a/";
    QTest::newRow("space encoded") << "http://host/a b?c d"
                                   << "http://host/a%20b?c%20d";
    QTest::newRow("escapes kept") << "http://host/%7Euser/%2F"
                                  << "http://host/%7Euser/%2F";
    QTest::newRow("stray percent") << "http://host/100%/%4"
                                   << "http://host/100%25/%254";
    QTest::newRow("non-ascii encoded")
        << QString::fromUtf8("http://host/\xC3\xBC") << "http://host/%C3%BC";
    QTest::newRow("quotes and brackets") << "http://host/<\"x\">"
                                         << "http://host/%3C%22x%22%3E";
    QTest::newRow("sub-delims kept") << "http://host/a;b=c,d!$&'()*+"
                                     << "http://host/a;b=c,d!$&'()*+";
    QTest::newRow("surrounding whitespace") << "  \thttp://host/x \n"
                                            << "http://host/x";
    QTest::newRow("userinfo") << "http://user:pw@host/"
                              << "http://user:pw@host/";
    QTest::newRow("at in userinfo") << "http://a@b@host/"
                                    << "http://a@b@host/";
    QTest::newRow("hostname chars") << "http://a.b-c_d~e.example./"
                                    << "http://a.b-c_d~e.example./";
  }
  void parsesValid() {
    QFETCH(QString, input);
    QFETCH(QString, expected);
    UrlParseError error;
    const std::optional<Url> url = parseUrl(str(input), error);
    QVERIFY2(url.has_value(), urlErrorName(error.code).data());
    QCOMPARE(error.code, UrlError::Ok);
    QCOMPARE(QString::fromStdString(url->toString()), expected);
    // Serialising and parsing again is the identity.
    const std::optional<Url> again = parseUrl(url->toString(), error);
    QVERIFY(again.has_value());
    QVERIFY(*again == *url);
  }

  void rejectsInvalid_data() {
    QTest::addColumn<QString>("input");
    QTest::addColumn<UrlError>("code");
    QTest::addColumn<int>("position");
    QTest::newRow("empty") << "" << UrlError::Empty << 0;
    QTest::newRow("blank") << "   " << UrlError::Empty << 0;
    QTest::newRow("no scheme") << "example.com/x" << UrlError::BadScheme << 11;
    QTest::newRow("digit first") << "1http://x/" << UrlError::BadScheme << 0;
    QTest::newRow("ftp") << "ftp://host/" << UrlError::UnsupportedScheme << 0;
    QTest::newRow("magnet") << "magnet:?xt=urn:btih:00" << UrlError::UnsupportedScheme << 0;
    QTest::newRow("one slash") << "http:/host" << UrlError::BadScheme << 5;
    QTest::newRow("no slash") << "http:host" << UrlError::BadScheme << 5;
    QTest::newRow("nothing after slashes") << "http://" << UrlError::MissingHost << 7;
    QTest::newRow("empty host") << "http:///path" << UrlError::MissingHost << 7;
    QTest::newRow("port only") << "http://:80/" << UrlError::MissingHost << 7;
    QTest::newRow("port zero") << "http://host:0/" << UrlError::BadPort << 12;
    QTest::newRow("port too big") << "http://host:65536/" << UrlError::BadPort << 16;
    QTest::newRow("port overflow")
        << "http://host:99999999999999999999/" << UrlError::BadPort << 16;
    QTest::newRow("port letters") << "http://host:8a/" << UrlError::BadPort << 13;
    QTest::newRow("negative port") << "http://host:-1/" << UrlError::BadPort << 12;
    QTest::newRow("space in host") << "http://ho st/" << UrlError::BadHost << 9;
    QTest::newRow("percent in host") << "http://ex%41mple.com/" << UrlError::BadHost << 9;
    QTest::newRow("CRLF injection") << "http://host\r\nX: y/" << UrlError::BadCharacter << 11;
    QTest::newRow("tab inside") << "http://host/a\tb" << UrlError::BadCharacter << 13;
    QTest::newRow("unclosed ipv6") << "http://[::1/" << UrlError::BadIpv6 << 7;
    QTest::newRow("ipv6 bad digit") << "http://[::g]/" << UrlError::BadIpv6 << 8;
    QTest::newRow("ipv6 nine groups") << "http://[1:2:3:4:5:6:7:8:9]/" << UrlError::BadIpv6 << 8;
    QTest::newRow("ipv6 two double colons") << "http://[1::2::3]/" << UrlError::BadIpv6 << 8;
    QTest::newRow("ipv6 five digits") << "http://[12345::]/" << UrlError::BadIpv6 << 8;
    QTest::newRow("ipv6 zone id") << "http://[fe80::1%25eth0]/" << UrlError::BadIpv6 << 8;
    QTest::newRow("ipv6 bad v4 tail") << "http://[::1.2.3.256]/" << UrlError::BadIpv6 << 8;
    QTest::newRow("ipv6 empty") << "http://[]/" << UrlError::BadIpv6 << 8;
    QTest::newRow("junk after ipv6") << "http://[::1]x/" << UrlError::BadHost << 12;
    QTest::newRow("host too long")
        << "http://" + QString(300, 'a') + "/" << UrlError::BadHost << 7 + 255;
  }
  void rejectsInvalid() {
    QFETCH(QString, input);
    QFETCH(UrlError, code);
    QFETCH(int, position);
    UrlParseError error;
    const std::optional<Url> url = parseUrl(str(input), error);
    QVERIFY(!url.has_value());
    QCOMPARE(error.code, code);
    QCOMPARE(error.position, std::size_t(position));
  }

  void rejectsNulByte() {
    const std::string text("http://host/a\0b", 15);
    UrlParseError error;
    QVERIFY(!parseUrl(text, error));
    QCOMPARE(error.code, UrlError::BadCharacter);
    QCOMPARE(error.position, std::size_t{13});
  }

  void enforcesLengthLimit() {
    UrlLimits limits;
    limits.maxLength = 20;
    UrlParseError error;
    QVERIFY(parseUrl("http://host/12345678", error, limits));  // exactly 20
    QVERIFY(!parseUrl("http://host/123456789", error, limits));
    QCOMPARE(error.code, UrlError::TooLong);
    QCOMPARE(error.position, std::size_t{20});
    QVERIFY(!parseUrl(" http://host/123456789", error, limits));
    QCOMPARE(error.position, std::size_t{21});
  }

  void splitsOrRejectsUserinfo() {
    const Url url = mustParse("http://user:p%40ss@Host:8080/x");
    QCOMPARE(url.userinfo, std::string("user:p%40ss"));
    QCOMPARE(url.host, std::string("host"));
    QCOMPARE(url.port, std::uint16_t{8080});
    QCOMPARE(url.toString(false), std::string("http://host:8080/x"));
    QCOMPARE(url.hostHeader(), std::string("host:8080"));

    UrlLimits strict;
    strict.allowUserinfo = false;
    UrlParseError error;
    QVERIFY(!parseUrl("http://user@host/", error, strict));
    QCOMPARE(error.code, UrlError::UserinfoNotAllowed);
    QCOMPARE(error.position, std::size_t{7});
  }

  void exposesComponents() {
    const Url url = mustParse("https://[::1]:8443/a/b?c=d#e");
    QCOMPARE(url.scheme, std::string("https"));
    QVERIFY(url.isHttps());
    QVERIFY(url.isIpv6Literal());
    QVERIFY(!url.hasDefaultPort());
    QCOMPARE(url.host, std::string("::1"));
    QCOMPARE(url.port, std::uint16_t{8443});
    QCOMPARE(url.path, std::string("/a/b"));
    QCOMPARE(url.query.value_or("?"), std::string("c=d"));
    QCOMPARE(url.hostHeader(), std::string("[::1]:8443"));
    QCOMPARE(url.requestTarget(), std::string("/a/b?c=d"));

    const Url plain = mustParse("http://h");
    QCOMPARE(plain.port, std::uint16_t{80});
    QVERIFY(plain.hasDefaultPort());
    QVERIFY(!plain.query.has_value());
    QCOMPARE(plain.hostHeader(), std::string("h"));
    QCOMPARE(plain.requestTarget(), std::string("/"));
    QCOMPARE(defaultPort("https"), std::uint16_t{443});
    QCOMPARE(defaultPort("ftp"), std::uint16_t{0});
  }

  void resultOverloadCarriesError() {
    const tributary::Result<Url> bad = parseUrl("ftp://x/");
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, tributary::ErrorCode::InvalidArgument);
    QCOMPARE(bad.error().detail, std::string("unsupported_scheme at 0"));
    const tributary::Result<Url> good = parseUrl("http://x/");
    QVERIFY(good.ok());
    QCOMPARE(good.value().host, std::string("x"));
  }

  // RFC 3986 §5.4.1 and §5.4.2, with our normal form (an empty path becomes "/").
  void resolvesRfcExamples_data() {
    QTest::addColumn<QString>("reference");
    QTest::addColumn<QString>("expected");
    const char* cases[][2] = {
        {"g", "http://a/b/c/g"},
        {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"},
        {"/g", "http://a/g"},
        {"//g", "http://g/"},
        {"?y", "http://a/b/c/d;p?y"},
        {"g?y", "http://a/b/c/g?y"},
        {"#s", "http://a/b/c/d;p?q"},
        {"g#s", "http://a/b/c/g"},
        {"g?y#s", "http://a/b/c/g?y"},
        {";x", "http://a/b/c/;x"},
        {"g;x", "http://a/b/c/g;x"},
        {"g;x?y#s", "http://a/b/c/g;x?y"},
        {"", "http://a/b/c/d;p?q"},
        {".", "http://a/b/c/"},
        {"./", "http://a/b/c/"},
        {"..", "http://a/b/"},
        {"../", "http://a/b/"},
        {"../g", "http://a/b/g"},
        {"../..", "http://a/"},
        {"../../", "http://a/"},
        {"../../g", "http://a/g"},
        {"../../../g", "http://a/g"},
        {"../../../../g", "http://a/g"},
        {"/./g", "http://a/g"},
        {"/../g", "http://a/g"},
        {"g.", "http://a/b/c/g."},
        {".g", "http://a/b/c/.g"},
        {"g..", "http://a/b/c/g.."},
        {"..g", "http://a/b/c/..g"},
        {"./../g", "http://a/b/g"},
        {"./g/.", "http://a/b/c/g/"},
        {"g/./h", "http://a/b/c/g/h"},
        {"g/../h", "http://a/b/c/h"},
        {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
        {"g;x=1/../y", "http://a/b/c/y"},
        {"g?y/./x", "http://a/b/c/g?y/./x"},
        {"g?y/../x", "http://a/b/c/g?y/../x"},
        {"g#s/./x", "http://a/b/c/g"},
        {"g#s/../x", "http://a/b/c/g"},
        {"http:g", "http://a/b/c/g"},
        // Location headers seen in the wild.
        {"https://Other.example/x", "https://other.example/x"},
        {"//other:8080/x?y", "http://other:8080/x?y"},
        {"HTTPS://Other/", "https://other/"},
        {"  /spaced  ", "http://a/spaced"},
        {"/new path/\xC3\xA9", "http://a/new%20path/%C3%A9"},
    };
    for (const auto& c : cases) {
      QTest::addRow("ref '%s'", c[0]) << QString::fromUtf8(c[0]) << QString::fromUtf8(c[1]);
    }
  }
  void resolvesRfcExamples() {
    QFETCH(QString, reference);
    QFETCH(QString, expected);
    const Url base = mustParse("http://a/b/c/d;p?q");
    UrlParseError error;
    const std::optional<Url> url = resolveUrl(base, str(reference), error);
    QVERIFY2(url.has_value(), urlErrorName(error.code).data());
    QCOMPARE(QString::fromStdString(url->toString()), expected);
  }

  void resolveKeepsBaseSchemePortAndUserinfo() {
    const Url base = mustParse("https://u@host:8443/dir/file?x");
    UrlParseError error;
    QCOMPARE(resolveUrl(base, "next", error)->toString(),
             std::string("https://u@host:8443/dir/next"));
    QCOMPARE(resolveUrl(base, "//cdn/x", error)->toString(), std::string("https://cdn/x"));
    QCOMPARE(resolveUrl(base, "?y", error)->toString(),
             std::string("https://u@host:8443/dir/file?y"));
  }

  void resolveRejects() {
    const Url base = mustParse("http://a/b/c");
    UrlParseError error;
    QVERIFY(!resolveUrl(base, "g:h", error));
    QCOMPARE(error.code, UrlError::UnsupportedScheme);
    QVERIFY(!resolveUrl(base, "  ftp://x/", error));
    QCOMPARE(error.code, UrlError::UnsupportedScheme);
    QCOMPARE(error.position, std::size_t{2});
    QVERIFY(!resolveUrl(base, "//bad host/", error));
    QCOMPARE(error.code, UrlError::BadHost);
    QCOMPARE(error.position, std::size_t{5});
    QVERIFY(!resolveUrl(base, "/x\r\nSet-Cookie: a=b", error));
    QCOMPARE(error.code, UrlError::BadCharacter);
    QCOMPARE(error.position, std::size_t{2});
    QVERIFY(!resolveUrl(base, "//", error));
    QCOMPARE(error.code, UrlError::MissingHost);
    UrlLimits limits;
    limits.maxLength = 10;
    QVERIFY(!resolveUrl(base, std::string(11, 'a'), error, limits));
    QCOMPARE(error.code, UrlError::TooLong);
  }

  void removesDotSegments() {
    QCOMPARE(removeDotSegments("/a/b/c/./../../g"), std::string("/a/g"));
    QCOMPARE(removeDotSegments("mid/content=5/../6"), std::string("mid/6"));
    QCOMPARE(removeDotSegments("/.."), std::string("/"));
    QCOMPARE(removeDotSegments("/a/."), std::string("/a/"));
    QCOMPARE(removeDotSegments("../x"), std::string("x"));
    QCOMPARE(removeDotSegments(""), std::string(""));
    QCOMPARE(removeDotSegments("/a//b/../c"), std::string("/a//c"));
    // Deep nesting stays linear and bounded.
    std::string deep;
    for (int i = 0; i < 2000; ++i) {
      deep += "/../a";
    }
    QCOMPARE(removeDotSegments(deep), std::string("/a"));
  }

  void fileNames() {
    QCOMPARE(fileNameFromUrl(mustParse("http://h/dir/file%20name.iso?x=1")),
             std::string("file name.iso"));
    QCOMPARE(fileNameFromUrl(mustParse("http://h/dir/")), std::string());
    QCOMPARE(fileNameFromUrl(mustParse("http://h")), std::string());
    QCOMPARE(fileNameFromUrl(mustParse("http://h/a%2Fb")), std::string("a/b"));
    QCOMPARE(fileNameFromUrl(mustParse("http://h/%zz.txt")), std::string("%zz.txt"));
    QCOMPARE(fileNameFromUrl(mustParse("http://h/x/%C3%A9t%C3%A9.txt")),
             std::string("\xC3\xA9t\xC3\xA9.txt"));
  }

  void percentDecoding() {
    QCOMPARE(percentDecode("a%20b").value_or("!"), std::string("a b"));
    QCOMPARE(percentDecode("%4A%4a").value_or("!"), std::string("JJ"));
    QCOMPARE(percentDecode("a+b").value_or("!"), std::string("a+b"));
    QCOMPARE(percentDecode("%00").value_or("!"), std::string("\0", 1));
    QVERIFY(!percentDecode("%"));
    QVERIFY(!percentDecode("%2"));
    QVERIFY(!percentDecode("%zz"));
    QVERIFY(!percentDecode("ok%2"));
    QCOMPARE(percentDecodeLenient("%zz%41%"), std::string("%zzA%"));
    QCOMPARE(percentDecodeLenient("%4"), std::string("%4"));
  }

  void percentEncoding() {
    QCOMPARE(percentEncode(std::string("\x00\xff a-_.~/", 9)), std::string("%00%FF%20a-_.~%2F"));
    std::string all;
    for (int i = 0; i < 256; ++i) {
      all += static_cast<char>(i);
    }
    QCOMPARE(percentDecode(percentEncode(all)).value_or(""), all);
    QCOMPARE(hexDigitValue('f'), 15);
    QCOMPARE(hexDigitValue('G'), -1);
  }

  void ipLiterals() {
    for (const char* good : {"1.2.3.4", "0.0.0.0", "255.255.255.255", "01.2.3.4"}) {
      QVERIFY2(isIpv4Literal(good), good);
    }
    for (const char* bad : {"", "256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", "a.b.c.d",
                            "1234.1.1.1", " 1.2.3.4"}) {
      QVERIFY2(!isIpv4Literal(bad), bad);
    }
    for (const char* good : {"::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::",
                             "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "fe80::abcd:EF01"}) {
      QVERIFY2(isIpv6Literal(good), good);
    }
    for (const char* bad :
         {"", ":", ":1", "1:", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8::", "1:2:3:4:5:6:7:8:9",
          "12345::", "::g", "1.2.3.4", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0"}) {
      QVERIFY2(!isIpv6Literal(bad), bad);
    }
  }

  void errorNamesAreDistinct() {
    QSet<QString> names;
    for (int i = 0; i <= static_cast<int>(UrlError::BadPort); ++i) {
      names.insert(QString::fromLatin1(urlErrorName(static_cast<UrlError>(i)).data()));
    }
    QCOMPARE(names.size(), static_cast<int>(UrlError::BadPort) + 1);
    QVERIFY(!names.contains("unknown"));
  }
};

QTEST_GUILESS_MAIN(TstUrl)
#include "tst_url.moc"
