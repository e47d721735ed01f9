// CookieJar under pressure: its limits, hostile Set-Cookie values and cookie-date
// parsing (RFC 6265 §5.1.1).
#include <QtTest>

#include <string>

#include "CookieTestUtil.h"
#include "engine/http/CookieJar.h"

using namespace tributary::http;
using cookietest::sent;
using cookietest::set;

namespace {

std::string numbered(const char* prefix, int i) {
  return prefix + std::to_string(i);
}

bool holds(const CookieJar& jar, std::string_view name) {
  for (const Cookie& c : jar.cookies()) {
    if (c.name == name) {
      return true;
    }
  }
  return false;
}

}  // namespace

class TstCookieLimits : public QObject {
  Q_OBJECT
 private slots:
  void perDomainLimitEvictsOldest() {
    CookieJar jar;
    QVERIFY(set(jar, "http://other.test/", "keep=1"));
    for (int i = 0; i < 60; ++i) {
      QVERIFY(set(jar, "http://h.test/", numbered("c", i) + "=v"));
    }
    QCOMPARE(jar.size(), std::size_t{51});
    for (int i = 0; i < 10; ++i) {
      QVERIFY2(!holds(jar, numbered("c", i)), numbered("c", i).c_str());
    }
    for (int i = 10; i < 60; ++i) {
      QVERIFY2(holds(jar, numbered("c", i)), numbered("c", i).c_str());
    }
    QVERIFY(holds(jar, "keep"));
  }

  void expiredCookiesAreEvictedFirst() {
    CookieJar jar(CookieJarLimits{.maxPerDomain = 3});
    QVERIFY(set(jar, "http://h.test/", "a=1", 1000));
    QVERIFY(set(jar, "http://h.test/", "b=1; Max-Age=10", 1000));
    QVERIFY(set(jar, "http://h.test/", "c=1", 1000));
    QVERIFY(set(jar, "http://h.test/", "d=1", 2000));
    QCOMPARE(jar.size(), std::size_t{3});
    QVERIFY(holds(jar, "a") && !holds(jar, "b") && holds(jar, "c") && holds(jar, "d"));
  }

  void totalLimitEvictsOldest() {
    CookieJar jar;
    // 61 hosts x 50 cookies: 50 more than the 3000 the jar keeps.
    for (int host = 0; host < 61; ++host) {
      const std::string from = "http://" + numbered("h", host) + ".test/";
      for (int i = 0; i < 50; ++i) {
        QVERIFY(set(jar, from, numbered("c", i) + "=v"));
      }
    }
    QCOMPARE(jar.size(), std::size_t{3000});
    QCOMPARE(sent(jar, "http://h0.test/"), std::string());
    QVERIFY(sent(jar, "http://h1.test/").starts_with("c0=v; c1=v"));
    QVERIFY(sent(jar, "http://h60.test/").ends_with("c49=v"));
  }

  void nameValueSizeLimit() {
    CookieJar jar;
    const std::string fits = "n=" + std::string(4095, 'v');  // name + value = 4096
    QVERIFY(set(jar, "http://h.test/", fits + "; Path=/; Max-Age=100"));
    QVERIFY(!set(jar, "http://h.test/", "n2=" + std::string(4095, 'v')));
    QVERIFY(!set(jar, "http://h.test/", std::string(4097, 'n') + "="));
    // The whole field is bounded too, attributes included.
    QVERIFY(!set(jar, "http://h.test/", "a=1; Path=/" + std::string(9000, 'p')));
    QCOMPARE(jar.size(), std::size_t{1});
    QCOMPARE(sent(jar, "http://h.test/").size(), fits.size());
  }

  void controlCharactersAreRefused_data() {
    QTest::addColumn<QByteArray>("field");
    QTest::newRow("NUL in value") << QByteArray("a=b\0c", 5);
    QTest::newRow("CR LF injection") << QByteArray("a=b\r\nX-Evil: 1");
    QTest::newRow("LF alone") << QByteArray("a=b\nc");
    QTest::newRow("SOH") << QByteArray("a=b\x01");
    QTest::newRow("DEL") << QByteArray("a=b\x7F");
    QTest::newRow("control in name") << QByteArray("a\x1B=b");
    QTest::newRow("control in attribute") << QByteArray("a=b; Path=/\x0D");
    QTest::newRow("no equals") << QByteArray("justaname");
    QTest::newRow("empty name") << QByteArray("=value");
  }
  void controlCharactersAreRefused() {
    QFETCH(QByteArray, field);
    CookieJar jar;
    QVERIFY(!set(jar, "http://h.test/", std::string_view(field.constData(), field.size())));
    QCOMPARE(jar.size(), std::size_t{0});
  }

  void oddButHarmlessValuesPassThrough() {
    CookieJar jar;
    QVERIFY(set(jar, "http://h.test/", "q=\"quoted value\""));
    QVERIFY(set(jar, "http://h.test/", "t=a\tb"));
    QVERIFY(set(jar, "http://h.test/", "u=\xC3\xA9t\xC3\xA9"));
    QVERIFY(set(jar, "http://h.test/", "e="));
    const std::string line = sent(jar, "http://h.test/");
    QCOMPARE(line, std::string("q=\"quoted value\"; t=a\tb; u=\xC3\xA9t\xC3\xA9; e="));
    QVERIFY(line.find_first_of(std::string("\r\n\0", 3)) == std::string::npos);
  }

  void extremeMaxAgeAndClock() {
    CookieJar jar;
    QVERIFY(set(jar, "http://h.test/", "forever=1; Max-Age=99999999999999999999999", 1000));
    QCOMPARE(jar.cookies().front().expiresUnix.value_or(0), std::int64_t{INT64_MAX});
    QCOMPARE(sent(jar, "http://h.test/", INT64_MAX - 1), std::string("forever=1"));
    QVERIFY(set(jar, "http://h.test/", "late=1; Max-Age=100", INT64_MAX - 10));
    QCOMPARE(jar.size(), std::size_t{2});
    QVERIFY(set(jar, "http://h.test/", "forever=; Max-Age=-99999999999999999999999", 1000));
    QCOMPARE(jar.size(), std::size_t{1});
  }

  void floodOfSetCookieFieldsStaysBounded() {
    ResponseHead head;
    for (int i = 0; i < 2000; ++i) {
      head.fields.push_back({"Set-Cookie", numbered("f", i) + "=" + std::string(100, 'x')});
    }
    CookieJar jar;
    jar.store(cookietest::url("http://h.test/"), head, 1000);
    QCOMPARE(jar.size(), std::size_t{50});
    QVERIFY(holds(jar, "f1999") && !holds(jar, "f1949"));
  }

  void cookieDates_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("unix");
    QTest::newRow("IMF-fixdate") << "Wed, 09 Jun 2021 10:18:14 GMT" << qint64{1623233894};
    QTest::newRow("RFC 850") << "Wednesday, 09-Jun-21 10:18:14 GMT" << qint64{1623233894};
    QTest::newRow("asctime") << "Wed Jun  9 10:18:14 2021" << qint64{1623233894};
    QTest::newRow("long month, offset") << "09 June 2021 10:18:14 +0200" << qint64{1623233894};
    QTest::newRow("epoch") << "Thu, 01 Jan 1970 00:00:00 GMT" << qint64{0};
    QTest::newRow("RFC 2616 example") << "Sun, 06 Nov 1994 08:49:37 GMT" << qint64{784111777};
    QTest::newRow("leap day") << "29 Feb 2024 00:00:00" << qint64{1709164800};
    QTest::newRow("leap 2000") << "29-feb-2000 12:00:00" << qint64{951825600};
    QTest::newRow("year 1601") << "01 Jan 1601 00:00:00" << qint64{-11644473600};
    QTest::newRow("two-digit 69") << "01 Jan 69 00:00:00" << qint64{3124224000};
    QTest::newRow("two-digit 70") << "01 Jan 70 00:00:00" << qint64{0};
    QTest::newRow("year 9999") << "Fri, 31 Dec 9999 23:59:59 GMT" << qint64{253402300799};
    QTest::newRow("single digits") << "1 jan 1970 0:0:1" << qint64{1};
  }
  void cookieDates() {
    QFETCH(QString, text);
    QFETCH(qint64, unix);
    const std::optional<std::int64_t> parsed = parseCookieDate(text.toStdString());
    QVERIFY(parsed);
    QCOMPARE(*parsed, std::int64_t{unix});
  }

  void badCookieDates_data() {
    QTest::addColumn<QString>("text");
    for (const char* bad :
         {"", "garbage", "29 Feb 2023 00:00:00", "31 Apr 2021 00:00:00", "32 Jan 2021 00:00:00",
          "00 Jan 2021 00:00:00", "01 Jan 1600 00:00:00", "01 Jan 2021 24:00:00",
          "01 Jan 2021 10:60:00", "01 Jan 2021 10:00:60", "01 Jan 2021", "Jan 2021 10:00:00",
          "01 2021 10:00:00", "01 Jan 10:00:00", "01 Jan 2021 100:00:00", "01 Jan 12345 10:00:00",
          "01 Ja 2021 10:00:00", "99999999999999999999 Jan 2021 10:00:00"}) {
      QTest::newRow(bad) << bad;
    }
  }
  void badCookieDates() {
    QFETCH(QString, text);
    QVERIFY(!parseCookieDate(text.toStdString()));
  }
};

QTEST_GUILESS_MAIN(TstCookieLimits)
#include "tst_cookie_limits.moc"
