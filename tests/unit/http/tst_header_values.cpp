#include <QtTest>

#include <string>

#include "engine/http/HeaderValues.h"
#include "engine/http/ResponseParser.h"

using namespace tributary::http;
namespace codec = tributary::codec;

namespace {

std::string s(const QString& q) {
  return q.toStdString();
}

ResponseHead headOf(std::string_view text) {
  ResponseParser parser;
  if (parser.feed(text).event != ResponseParser::Event::HeadReady) {
    qFatal("head did not parse");
  }
  return parser.head();
}

}  // namespace

class TstHeaderValues : public QObject {
  Q_OBJECT
 private slots:
  void contentRangeValid() {
    auto r = parseContentRange("bytes 0-499/1234");
    QVERIFY(r);
    QVERIFY(!r->unsatisfied);
    QCOMPARE(r->first, std::uint64_t{0});
    QCOMPARE(r->last, std::uint64_t{499});
    QCOMPARE(r->completeLength.value_or(0), std::uint64_t{1234});
    QCOMPARE(r->length(), std::uint64_t{500});

    r = parseContentRange("bytes 500-999/*");
    QVERIFY(r && !r->completeLength);
    QCOMPARE(r->length(), std::uint64_t{500});

    r = parseContentRange("bytes */1234");
    QVERIFY(r && r->unsatisfied);
    QCOMPARE(r->completeLength.value_or(0), std::uint64_t{1234});
    QCOMPARE(r->length(), std::uint64_t{0});

    QVERIFY(parseContentRange("BYTES 0-0/1"));
    QVERIFY(parseContentRange("  bytes   5-9/10  "));
    r = parseContentRange("bytes 0-18446744073709551614/18446744073709551615");
    QVERIFY(r);
    QCOMPARE(r->length(), std::uint64_t{18446744073709551615ULL});
  }

  void contentRangeInvalid_data() {
    QTest::addColumn<QString>("value");
    for (const char* v :
         {"bytes 5-4/10", "bytes 0-10/10", "bytes 0-9/", "bytes 0-/10", "bytes -5/10",
          "bytes=0-9/10", "items 0-9/10", "bytes 0-9/10x", "bytes */*", "bytes 0-9", "", "bytes",
          "bytes 0-18446744073709551616/*", "bytes 0x0-9/10", "bytes 0 - 9/10", "bytes0-9/10",
          "bytes 1-2/3, bytes 4-5/6", "bytes +1-2/3"}) {
      QTest::newRow(v) << QString::fromLatin1(v);
    }
  }
  void contentRangeInvalid() {
    QFETCH(QString, value);
    QVERIFY(!parseContentRange(s(value)));
  }

  void entityTags() {
    auto tag = parseEntityTag("\"abc\"");
    QVERIFY(tag && !tag->weak);
    QCOMPARE(tag->tag, std::string("\"abc\""));
    QCOMPARE(tag->toString(), std::string("\"abc\""));
    tag = parseEntityTag(" W/\"abc\" ");
    QVERIFY(tag && tag->weak);
    QCOMPARE(tag->tag, std::string("\"abc\""));
    QCOMPARE(tag->toString(), std::string("W/\"abc\""));
    QVERIFY(parseEntityTag("\"\""));
    tag = parseEntityTag("5f3a-1c8");  // unquoted: a common server bug, kept as sent
    QVERIFY(tag && !tag->weak);
    QCOMPARE(tag->toString(), std::string("5f3a-1c8"));
    QVERIFY(parseEntityTag("\"caf\xC3\xA9\""));  // obs-text is allowed

    for (const char* bad :
         {"\"abc", "\"a\"b\"", "W/", "", "a b", "\"a\x01\"", "a,b", "\"", "W/a,b"}) {
      QVERIFY2(!parseEntityTag(bad), bad);
    }

    const EntityTag strong{false, "\"a\""};
    const EntityTag weak{true, "\"a\""};
    QVERIFY(strong.strongMatch(strong));
    QVERIFY(!strong.strongMatch(weak));
    QVERIFY(!weak.strongMatch(weak));
    QVERIFY(!strong.strongMatch(EntityTag{false, "\"b\""}));
  }

  void validatorsAndIfRange() {
    const ResponseHead head = headOf(
        "HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nLast-Modified: Tue, 15 Nov 1994 12:45:26 GMT\r\n\r\n");
    const ResourceValidators v = validatorsFromHead(head);
    QVERIFY(v.etag.has_value());
    QCOMPARE(v.lastModified, std::string("Tue, 15 Nov 1994 12:45:26 GMT"));
    QCOMPARE(v.ifRange().value_or(""), std::string("\"v1\""));

    const ResourceValidators weak =
        validatorsFromHead(headOf("HTTP/1.1 200 OK\r\nETag: W/\"v1\"\r\nLast-Modified: Tue, 15 Nov "
                                  "1994 12:45:26 GMT\r\n\r\n"));
    QCOMPARE(weak.ifRange().value_or(""), std::string("Tue, 15 Nov 1994 12:45:26 GMT"));

    const ResourceValidators onlyWeak =
        validatorsFromHead(headOf("HTTP/1.1 200 OK\r\nETag: W/\"v1\"\r\n\r\n"));
    QVERIFY(!onlyWeak.ifRange());
    const ResourceValidators none = validatorsFromHead(headOf("HTTP/1.1 200 OK\r\n\r\n"));
    QVERIFY(!none.etag);
    QVERIFY(!none.ifRange());
    const ResourceValidators broken =
        validatorsFromHead(headOf("HTTP/1.1 200 OK\r\nETag: \"open\r\n\r\n"));
    QVERIFY(!broken.etag);
    QVERIFY(v != weak);
    QVERIFY(v == validatorsFromHead(head));
  }

  void acceptRanges() {
    QCOMPARE(parseAcceptRanges("bytes"), AcceptRanges::Bytes);
    QCOMPARE(parseAcceptRanges("Bytes, other"), AcceptRanges::Bytes);
    QCOMPARE(parseAcceptRanges("none, bytes"), AcceptRanges::Bytes);
    QCOMPARE(parseAcceptRanges("none"), AcceptRanges::None);
    QCOMPARE(parseAcceptRanges(" NONE "), AcceptRanges::None);
    QCOMPARE(parseAcceptRanges(""), AcceptRanges::Unspecified);
    QCOMPARE(parseAcceptRanges("items"), AcceptRanges::Unspecified);
    QCOMPARE(parseAcceptRanges("bytesx"), AcceptRanges::Unspecified);
  }

  void location() {
    codec::UrlParseError error;
    const codec::Url base = *codec::parseUrl("http://a/b/c", error);
    QCOMPARE(parseLocation(base, "/x", error)->toString(), std::string("http://a/x"));
    QCOMPARE(parseLocation(base, "https://o:8443/y?z", error)->toString(),
             std::string("https://o:8443/y?z"));
    QCOMPARE(parseLocation(base, "d", error)->toString(), std::string("http://a/b/d"));
    QVERIFY(!parseLocation(base, "ftp://x/", error));
    QCOMPARE(error.code, codec::UrlError::UnsupportedScheme);
  }

  void contentDisposition_data() {
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("filename");     // "<none>" when absent
    QTest::addColumn<QString>("filenameExt");  // "<none>" when absent
    const QString none = "<none>";
    auto row = [](const char* name, const QByteArray& v, const QString& t, const QString& f,
                  const QString& e) { QTest::newRow(name) << v << t << f << e; };
    row("quoted", "attachment; filename=\"file name.txt\"", "attachment", "file name.txt", none);
    row("case", "ATTACHMENT; FILENAME=plain.txt", "attachment", "plain.txt", none);
    row("unquoted with spaces", "attachment; filename=my file.txt", "attachment", "my file.txt",
        none);
    row("escapes", "attachment; filename=\"a\\\"b\\\\c.txt\"", "attachment", "a\"b\\c.txt", none);
    row("rfc 8187", "attachment; filename*=UTF-8''%E2%82%AC%20rates.txt", "attachment", none,
        QString::fromUtf8("\xE2\x82\xAC rates.txt"));
    row("both", "attachment; filename=\"fallback.txt\"; filename*=UTF-8''real.txt", "attachment",
        "fallback.txt", "real.txt");
    row("both reversed", "attachment; filename*=utf-8''real.txt; filename=\"fallback.txt\"",
        "attachment", "fallback.txt", "real.txt");
    row("latin-1 ext", "attachment; filename*=iso-8859-1'en'%A3%20rates", "attachment", none,
        QString::fromUtf8("\xC2\xA3 rates"));
    row("language tag", "attachment; filename*=UTF-8'en-US'x.txt", "attachment", none, "x.txt");
    row("invalid utf-8 ext", "attachment; filename=\"f.txt\"; filename*=UTF-8''%FF.txt",
        "attachment", "f.txt", none);
    row("unknown charset", "attachment; filename*=KOI8-R''x", "attachment", none, none);
    row("quoted ext", "attachment; filename*=\"UTF-8''quoted.txt\"", "attachment", none,
        "quoted.txt");
    row("bad escape in ext", "attachment; filename*=UTF-8''bad%zz", "attachment", none, none);
    row("ext without quotes", "attachment; filename*=nothing", "attachment", none, none);
    row("inline", "inline", "inline", none, none);
    row("no type", "filename=\"noType.txt\"", "", "noType.txt", none);
    row("semicolon in quotes", "attachment; filename=\"semi;colon.txt\"; size=5", "attachment",
        "semi;colon.txt", none);
    row("unterminated quote", "attachment; filename=\"unterminated", "attachment", none, none);
    row("latin-1 bytes", "attachment; filename=\"caf\xE9.txt\"", "attachment",
        QString::fromUtf8("caf\xC3\xA9.txt"), none);
    row("utf-8 bytes", "attachment; filename=\"\xC3\xA9.txt\"", "attachment",
        QString::fromUtf8("\xC3\xA9.txt"), none);
    row("junk parameter", "attachment; foo; filename=x.txt", "attachment", "x.txt", none);
    row("first wins", "attachment; filename=first.txt; filename=second.txt", "attachment",
        "first.txt", none);
    row("sloppy separators", "attachment;;; filename = \"spaced.txt\" ;", "attachment",
        "spaced.txt", none);
    row("path in name kept for sanitizer", "attachment; filename=\"../../etc/passwd\"",
        "attachment", "../../etc/passwd", none);
    row("empty name", "attachment; filename=\"\"", "attachment", "", none);
  }
  void contentDisposition() {
    QFETCH(QByteArray, value);
    QFETCH(QString, type);
    QFETCH(QString, filename);
    QFETCH(QString, filenameExt);
    const auto cd = parseContentDisposition(value.toStdString());
    QVERIFY(cd);
    QCOMPARE(QString::fromStdString(cd->type), type);
    QCOMPARE(cd->filename ? QString::fromStdString(*cd->filename) : QString("<none>"), filename);
    QCOMPARE(cd->filenameExt ? QString::fromStdString(*cd->filenameExt) : QString("<none>"),
             filenameExt);
    const auto& preferred = cd->preferredFilename();
    QCOMPARE(preferred.has_value(), cd->filename.has_value() || cd->filenameExt.has_value());
    if (cd->filenameExt) {
      QCOMPARE(*preferred, *cd->filenameExt);
    }
  }

  void contentDispositionRefused() {
    QVERIFY(!parseContentDisposition(""));
    QVERIFY(!parseContentDisposition("   "));
    QVERIFY(!parseContentDisposition("att@chment; filename=x"));
    QVERIFY(!parseContentDisposition("attach ment"));
  }

  void extValues() {
    QCOMPARE(decodeExtValue("UTF-8''%c3%a9").value_or(""), std::string("\xC3\xA9"));
    QVERIFY(!decodeExtValue("UTF-8'%c3%a9"));
    QVERIFY(!decodeExtValue("''x"));
    QVERIFY(!decodeExtValue("UTF-8''%ED%A0%80"));  // an encoded surrogate is not UTF-8
  }

  void setCookieFull() {
    const auto c = parseSetCookie(
        "SID=31d4d96e407aad42; Path=/; Domain=.Example.COM; Secure; HttpOnly; Max-Age=3600; "
        "Expires=Wed, 09 Jun 2021 10:18:14 GMT; SameSite=Lax");
    QVERIFY(c);
    QCOMPARE(c->name, std::string("SID"));
    QCOMPARE(c->value, std::string("31d4d96e407aad42"));
    QCOMPARE(c->path.value_or(""), std::string("/"));
    QCOMPARE(c->domain.value_or(""), std::string("example.com"));
    QVERIFY(c->secure);
    QVERIFY(c->httpOnly);
    QCOMPARE(c->maxAge.value_or(0), std::int64_t{3600});
    QCOMPARE(c->expires.value_or(""), std::string("Wed, 09 Jun 2021 10:18:14 GMT"));
    QCOMPARE(c->sameSite.value_or(""), std::string("Lax"));
  }

  void setCookieEdges() {
    auto c = parseSetCookie("a=b");
    QVERIFY(c && c->name == "a" && c->value == "b" && !c->secure && !c->path && !c->maxAge);
    c = parseSetCookie("  name = value with spaces ; path=/x");
    QVERIFY(c);
    QCOMPARE(c->name, std::string("name"));
    QCOMPARE(c->value, std::string("value with spaces"));
    QCOMPARE(c->path.value_or(""), std::string("/x"));
    QCOMPARE(parseSetCookie("a=\"quoted\"")->value, std::string("\"quoted\""));
    QCOMPARE(parseSetCookie("a=b=c")->value, std::string("b=c"));
    QCOMPARE(parseSetCookie("a=b\tc")->value, std::string("b\tc"));
    c = parseSetCookie("a=; Max-Age=-5");
    QVERIFY(c && c->value.empty());
    QCOMPARE(c->maxAge.value_or(0), std::int64_t{-5});
    QVERIFY(!parseSetCookie("a=b; Max-Age=abc")->maxAge);
    QVERIFY(!parseSetCookie("a=b; Max-Age=")->maxAge);
    QVERIFY(!parseSetCookie("a=b; Max-Age=1x")->maxAge);
    QCOMPARE(parseSetCookie("a=b; Max-Age=99999999999999999999999")->maxAge.value_or(0),
             std::int64_t{INT64_MAX});
    QCOMPARE(parseSetCookie("a=b; Max-Age=-99999999999999999999999")->maxAge.value_or(0),
             std::int64_t{-INT64_MAX});
    QCOMPARE(parseSetCookie("a=b; Max-Age=1; max-age=2")->maxAge.value_or(0), std::int64_t{2});
    QVERIFY(!parseSetCookie("a=b; Path=relative")->path);
    QVERIFY(!parseSetCookie("a=b; Path=/x; Path=rel")->path);
    QVERIFY(!parseSetCookie("a=b; Domain=")->domain);
    QVERIFY(!parseSetCookie("a=b; Domain=.")->domain);
    QVERIFY(!parseSetCookie("a=b; Expires=")->expires);
    QVERIFY(parseSetCookie("a=b; secure=yes")->secure);
    QVERIFY(parseSetCookie("a=b; Unknown=1; ;;")->name == "a");
  }

  void setCookieRefused() {
    QVERIFY(!parseSetCookie("novalue"));
    QVERIFY(!parseSetCookie("=value"));
    QVERIFY(!parseSetCookie("  =value"));
    QVERIFY(!parseSetCookie("a=b\x01"));
    QVERIFY(!parseSetCookie(std::string("a=b\0c", 5)));
    QVERIFY(!parseSetCookie("a=b; Path=/\x7f"));
    QVERIFY(!parseSetCookie("a=" + std::string(5000, 'x')));
    QVERIFY(parseSetCookie("a=" + std::string(100, 'x'), 102));
    QVERIFY(!parseSetCookie("a=" + std::string(101, 'x'), 102));
    QVERIFY(!parseSetCookie(""));
  }
};

QTEST_GUILESS_MAIN(TstHeaderValues)
#include "tst_header_values.moc"
