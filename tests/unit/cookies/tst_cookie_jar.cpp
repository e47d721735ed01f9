// The RFC 6265 storage and matching rules of CookieJar, one rule a slot.
#include <QtTest>

#include <string>

#include "CookieTestUtil.h"
#include "engine/http/CookieJar.h"

using namespace tributary::http;
using cookietest::sent;
using cookietest::set;

class TstCookieJar : public QObject {
  Q_OBJECT
 private slots:
  void hostOnlyCookieStaysOnItsHost() {
    CookieJar jar;
    QVERIFY(set(jar, "http://example.com/", "a=1"));
    QCOMPARE(jar.size(), std::size_t{1});
    QVERIFY(jar.cookies().front().hostOnly);
    QCOMPARE(jar.cookies().front().domain, std::string("example.com"));
    QCOMPARE(sent(jar, "http://example.com/file"), std::string("a=1"));
    QCOMPARE(sent(jar, "http://EXAMPLE.com:8080/file"),
             std::string("a=1"));  // ports are not part of it
    QCOMPARE(sent(jar, "http://www.example.com/"), std::string());
    QCOMPARE(sent(jar, "http://example.org/"), std::string());
  }

  void domainCookieReachesSubdomains() {
    CookieJar jar;
    QVERIFY(set(jar, "http://example.com/", "b=2; Domain=.Example.COM"));
    QVERIFY(!jar.cookies().front().hostOnly);
    QCOMPARE(sent(jar, "http://example.com/"), std::string("b=2"));
    QCOMPARE(sent(jar, "http://www.example.com/"), std::string("b=2"));
    QCOMPARE(sent(jar, "http://a.b.example.com/"), std::string("b=2"));
    QCOMPARE(sent(jar, "http://notexample.com/"), std::string());
    QCOMPARE(sent(jar, "http://example.com.evil.net/"), std::string());
  }

  void subdomainMaySetParentButNotForeign() {
    CookieJar jar;
    QVERIFY(set(jar, "http://www.example.com/", "up=1; Domain=example.com"));
    QVERIFY(!set(jar, "http://www.example.com/", "down=1; Domain=cdn.www.example.com"));
    QVERIFY(!set(jar, "http://www.example.com/", "sib=1; Domain=img.example.com"));
    QVERIFY(!set(jar, "http://www.example.com/", "far=1; Domain=other.com"));
    QVERIFY(!set(jar, "http://www.example.com/", "tail=1; Domain=ample.com"));
    QCOMPARE(jar.size(), std::size_t{1});
    QCOMPARE(sent(jar, "http://img.example.com/"), std::string("up=1"));
  }

  void dotlessDomainIsAPublicSuffix() {
    CookieJar jar;
    QVERIFY(!set(jar, "http://www.example.com/", "a=1; Domain=com"));
    QVERIFY(!set(jar, "http://www.example.com/", "a=1; Domain=.com"));
    QCOMPARE(jar.size(), std::size_t{0});
    // §5.3 step 5: naming the host itself is allowed and gives a host-only cookie.
    QVERIFY(set(jar, "http://localhost/", "b=2; Domain=localhost"));
    QVERIFY(jar.cookies().front().hostOnly);
    QVERIFY(!set(jar, "http://localhost/", "c=3; Domain=example.com"));
    QCOMPARE(sent(jar, "http://localhost/"), std::string("b=2"));
  }

  void ipLiteralHostsGetHostOnlyCookies() {
    CookieJar jar;
    QVERIFY(set(jar, "http://127.0.0.1:8080/", "a=1"));
    QVERIFY(set(jar, "http://127.0.0.1/", "b=2; Domain=127.0.0.1"));
    QVERIFY(!set(jar, "http://127.0.0.1/", "c=3; Domain=0.0.1"));
    QVERIFY(!set(jar, "http://10.0.0.1/", "d=4; Domain=0.1"));
    QCOMPARE(jar.size(), std::size_t{2});
    for (const Cookie& c : jar.cookies()) {
      QVERIFY(c.hostOnly);
    }
    QCOMPARE(sent(jar, "http://127.0.0.1/"), std::string("a=1; b=2"));
    QCOMPARE(sent(jar, "http://1.127.0.0.1/"), std::string());

    QVERIFY(set(jar, "http://[::1]:9000/", "v6=1"));
    QVERIFY(set(jar, "http://[::1]/", "v6b=2; Domain=::1"));
    QVERIFY(!set(jar, "http://[::1]/", "v6c=3; Domain=1"));
    QCOMPARE(sent(jar, "http://[::1]/x"), std::string("v6=1; v6b=2"));
    QCOMPARE(sent(jar, "http://127.0.0.1/"), std::string("a=1; b=2"));

    QVERIFY(!cookieDomainMatches("10.0.0.1", "0.0.1"));
    QVERIFY(cookieDomainMatches("10.0.0.1", "10.0.0.1"));
    QVERIFY(cookieDomainMatches("a.example.com", "example.com"));
    QVERIFY(!cookieDomainMatches("aexample.com", "example.com"));
    QVERIFY(!cookieDomainMatches("example.com", "a.example.com"));
  }

  void defaultPath_data() {
    QTest::addColumn<QString>("requestPath");
    QTest::addColumn<QString>("expected");
    QTest::newRow("root") << "/"
                          << "/";
    QTest::newRow("empty") << ""
                           << "/";
    QTest::newRow("relative") << "x/y"
                              << "/";
    QTest::newRow("one segment") << "/file.iso"
                                 << "/";
    QTest::newRow("directory") << "/a/"
                               << "/a";
    QTest::newRow("deep") << "/a/b/c.bin"
                          << "/a/b";
    QTest::newRow("double slash") << "/a//b"
                                  << "/a/";
  }
  void defaultPath() {
    QFETCH(QString, requestPath);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(defaultCookiePath(requestPath.toStdString())), expected);
  }

  void pathMatch_data() {
    QTest::addColumn<QString>("requestPath");
    QTest::addColumn<QString>("cookiePath");
    QTest::addColumn<bool>("matches");
    QTest::newRow("same") << "/docs"
                          << "/docs" << true;
    QTest::newRow("child") << "/docs/a"
                           << "/docs" << true;
    QTest::newRow("slash-ended") << "/docs/a"
                                 << "/docs/" << true;
    QTest::newRow("root") << "/anything"
                          << "/" << true;
    QTest::newRow("sibling prefix") << "/docsx"
                                    << "/docs" << false;
    QTest::newRow("parent") << "/doc"
                            << "/docs" << false;
    QTest::newRow("case") << "/Docs"
                          << "/docs" << false;
    QTest::newRow("dir without slash") << "/docs"
                                       << "/docs/" << false;
  }
  void pathMatch() {
    QFETCH(QString, requestPath);
    QFETCH(QString, cookiePath);
    QFETCH(bool, matches);
    QCOMPARE(cookiePathMatches(requestPath.toStdString(), cookiePath.toStdString()), matches);
  }

  void pathDefaultsAndAttribute() {
    CookieJar jar;
    QVERIFY(set(jar, "http://h.test/docs/file.iso?x=1", "d=1"));
    QCOMPARE(jar.cookies().front().path, std::string("/docs"));
    QCOMPARE(sent(jar, "http://h.test/docs"), std::string("d=1"));
    QCOMPARE(sent(jar, "http://h.test/docs/other.iso"), std::string("d=1"));
    QCOMPARE(sent(jar, "http://h.test/docsx"), std::string());
    QCOMPARE(sent(jar, "http://h.test/"), std::string());
    // A Path that does not start with '/' means "use the default".
    QVERIFY(set(jar, "http://h.test/a/b", "r=1; Path=relative"));
    QCOMPARE(jar.cookies().back().path, std::string("/a"));
    QVERIFY(set(jar, "http://h.test/a/b", "p=1; Path=/elsewhere"));
    QCOMPARE(sent(jar, "http://h.test/elsewhere/x"), std::string("p=1"));
  }

  void orderLongerPathsThenOlder() {
    CookieJar jar;
    // Not sent below; it takes the first creation slot so no later cookie ties with 0.
    QVERIFY(set(jar, "http://h.test/", "z=0; Path=/elsewhere"));
    QVERIFY(set(jar, "http://h.test/", "a=1; Path=/"));
    QVERIFY(set(jar, "http://h.test/", "b=2; Path=/x/y"));
    QVERIFY(set(jar, "http://h.test/", "c=3; Path=/x"));
    QVERIFY(set(jar, "http://h.test/", "d=4; Path=/"));
    QCOMPARE(sent(jar, "http://h.test/x/y/z"), std::string("b=2; c=3; a=1; d=4"));
    // A replacement keeps its place: creation time survives (§5.3 step 11).
    QVERIFY(set(jar, "http://h.test/", "d=8; Path=/", 2000));
    QCOMPARE(sent(jar, "http://h.test/x/y/z"), std::string("b=2; c=3; a=1; d=8"));
    for (const Cookie& c : jar.cookies()) {
      QCOMPARE(c.creationUnix, std::int64_t{1000});
    }
  }

  void secureOnlyOverHttps() {
    CookieJar jar;
    QVERIFY(set(jar, "https://h.test/", "s=1; Secure"));
    QVERIFY(set(jar, "https://h.test/", "p=2"));
    QCOMPARE(sent(jar, "https://h.test/"), std::string("s=1; p=2"));
    QCOMPARE(sent(jar, "http://h.test/"), std::string("p=2"));
    // Plain http can neither set a Secure cookie nor overwrite or shadow one.
    QVERIFY(!set(jar, "http://h.test/", "t=1; Secure"));
    QVERIFY(!set(jar, "http://h.test/", "s=evil"));
    QVERIFY(!set(jar, "http://h.test/", "s=evil; Path=/deeper"));
    QVERIFY(!set(jar, "http://h.test/", "s=; Max-Age=0"));
    QCOMPARE(sent(jar, "https://h.test/deeper/x"), std::string("s=1; p=2"));
    QVERIFY(set(jar, "http://h.test/", "p=3"));
    QCOMPARE(sent(jar, "http://h.test/"), std::string("p=3"));
  }

  void maxAgeExpiry() {
    CookieJar jar;
    QVERIFY(set(jar, "http://h.test/", "a=1; Max-Age=60", 1000));
    QCOMPARE(jar.cookies().front().expiresUnix.value_or(0), std::int64_t{1060});
    QCOMPARE(sent(jar, "http://h.test/", 1059), std::string("a=1"));
    QCOMPARE(sent(jar, "http://h.test/", 1060), std::string());
  }

  void expiresExpiry() {
    const std::int64_t june2021 = 1623233894;  // Wed, 09 Jun 2021 10:18:14 GMT
    CookieJar jar;
    QVERIFY(
        set(jar, "http://h.test/", "e=1; Expires=Wed, 09 Jun 2021 10:18:14 GMT", june2021 - 100));
    QCOMPARE(jar.cookies().front().expiresUnix.value_or(0), june2021);
    QCOMPARE(sent(jar, "http://h.test/", june2021 - 1), std::string("e=1"));
    QCOMPARE(sent(jar, "http://h.test/", june2021), std::string());
    // An Expires that cannot be read is ignored: a session cookie.
    QVERIFY(set(jar, "http://h.test/", "s=1; Expires=someday", june2021));
    QVERIFY(!jar.cookies().back().expiresUnix);
    QCOMPARE(sent(jar, "http://h.test/", INT64_MAX), std::string("s=1"));
  }

  void maxAgeWinsOverExpires() {
    CookieJar jar;
    QVERIFY(set(jar, "http://h.test/", "a=1; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Max-Age=100"));
    QCOMPARE(sent(jar, "http://h.test/", 1099), std::string("a=1"));
    QVERIFY(set(jar, "http://h.test/", "b=1; Max-Age=0; Expires=Fri, 31 Dec 9999 23:59:59 GMT"));
    QCOMPARE(jar.size(), std::size_t{1});
  }

  void replacementBySameNameDomainPath() {
    CookieJar jar;
    QVERIFY(set(jar, "http://www.example.com/", "a=1"));
    QVERIFY(set(jar, "http://www.example.com/", "a=2"));
    QCOMPARE(jar.size(), std::size_t{1});
    QCOMPARE(sent(jar, "http://www.example.com/"), std::string("a=2"));
    // Another path or another domain is another cookie.
    QVERIFY(set(jar, "http://www.example.com/", "a=3; Path=/x"));
    QVERIFY(set(jar, "http://www.example.com/", "a=4; Domain=example.com"));
    QCOMPARE(jar.size(), std::size_t{3});
    QCOMPARE(sent(jar, "http://www.example.com/x/f"), std::string("a=3; a=2; a=4"));
    // A host-only and a Domain cookie naming the same domain share the key.
    QVERIFY(set(jar, "http://example.com/", "a=5"));
    QCOMPARE(jar.size(), std::size_t{3});
    QCOMPARE(sent(jar, "http://www.example.com/"), std::string("a=2"));
    QCOMPARE(sent(jar, "http://example.com/"), std::string("a=5"));
    // The attributes are replaced with the value: Max-Age gone means session again.
    QVERIFY(set(jar, "http://www.example.com/", "m=1; Max-Age=10"));
    QVERIFY(set(jar, "http://www.example.com/", "m=2"));
    QCOMPARE(sent(jar, "http://www.example.com/", 5000), std::string("a=2; m=2"));
  }

  void deletion() {
    CookieJar jar;
    QVERIFY(set(jar, "http://h.test/", "a=1"));
    QVERIFY(set(jar, "http://h.test/", "b=1"));
    QVERIFY(set(jar, "http://h.test/", "c=1; Path=/p"));
    QVERIFY(set(jar, "http://h.test/", "a=; Max-Age=0"));
    QVERIFY(set(jar, "http://h.test/", "b=x; Max-Age=-1"));
    QCOMPARE(jar.size(), std::size_t{1});
    // Deleting needs the same path: this one names another cookie.
    QVERIFY(set(jar, "http://h.test/", "c=; Max-Age=0"));
    QCOMPARE(jar.size(), std::size_t{1});
    QVERIFY(set(jar, "http://h.test/", "c=; Path=/p; Expires=Thu, 01 Jan 1970 00:00:00 GMT"));
    QCOMPARE(jar.size(), std::size_t{0});
    // An expired cookie with nothing to delete is not stored either.
    QVERIFY(set(jar, "http://h.test/", "d=1; Max-Age=0"));
    QCOMPARE(jar.size(), std::size_t{0});
  }

  void storeTakesEverySetCookieField() {
    ResponseHead head;
    head.status = 200;
    head.fields = {{"Content-Type", "application/octet-stream"},
                   {"Set-Cookie", "a=1; Path=/"},
                   {"set-cookie", "b=2; Path=/"},
                   {"SET-COOKIE", "broken"},
                   {"Set-Cookie2", "c=3"},
                   {"Set-Cookie", "d=4; Domain=other.test"}};
    CookieJar jar;
    jar.store(cookietest::url("http://h.test/dl/file"), head, 1000);
    QCOMPARE(jar.size(), std::size_t{2});
    QCOMPARE(sent(jar, "http://h.test/"), std::string("a=1; b=2"));
    jar.clear();
    QCOMPARE(sent(jar, "http://h.test/"), std::string());
  }
};

QTEST_GUILESS_MAIN(TstCookieJar)
#include "tst_cookie_jar.moc"
