#include <QtTest>

#include <sys/socket.h>

#include <unordered_set>

#include "engine/loop/SocketAddress.h"

using tributary::loop::SocketAddress;

class TstSocketAddress : public QObject {
  Q_OBJECT
 private slots:
  void parsesAndFormatsIpv4() {
    const auto a = SocketAddress::parse("1.2.3.4", 80);
    QVERIFY(a.has_value());
    QVERIFY(a->isV4());
    QCOMPARE(a->port(), std::uint16_t{80});
    QCOMPARE(a->bytes().size(), std::size_t{4});
    QCOMPARE(a->bytes()[0], std::uint8_t{1});
    QCOMPARE(a->bytes()[3], std::uint8_t{4});
    QCOMPARE(QString::fromStdString(a->ipString()), QStringLiteral("1.2.3.4"));
    QCOMPARE(QString::fromStdString(a->toString()), QStringLiteral("1.2.3.4:80"));
  }

  void parsesAndFormatsIpv6() {
    const auto a = SocketAddress::parse("::1", 80);
    QVERIFY(a.has_value());
    QVERIFY(a->isV6());
    QVERIFY(a->isLoopback());
    QCOMPARE(a->bytes().size(), std::size_t{16});
    QCOMPARE(QString::fromStdString(a->toString()), QStringLiteral("[::1]:80"));
    QCOMPARE(*a, SocketAddress::loopbackV6(80));

    const auto bracketed = SocketAddress::parse("[2001:db8::1]", 443);
    QVERIFY(bracketed.has_value());
    QCOMPARE(QString::fromStdString(bracketed->toString()), QStringLiteral("[2001:db8::1]:443"));

    const auto zoned = SocketAddress::parse("fe80::1%7");
    QVERIFY(zoned.has_value());
    QCOMPARE(zoned->scopeId(), std::uint32_t{7});
    QCOMPARE(QString::fromStdString(zoned->ipString()), QStringLiteral("fe80::1%7"));
  }

  void rejectsWhatIsNotAnIpLiteral_data() {
    QTest::addColumn<QString>("text");
    for (const char* s : {"", "localhost", "1.2.3", "127.1", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ",
                          " 1.2.3.4", "[1.2.3.4]", "::1::2", "[::1", "::1]", "fe80::1%",
                          "fe80::1%no-such-interface-xyz", "1.2.3.4:80", "gggg::1"}) {
      QTest::newRow(s) << QString::fromLatin1(s);
    }
  }
  void rejectsWhatIsNotAnIpLiteral() {
    QFETCH(QString, text);
    QVERIFY(!SocketAddress::parse(text.toStdString()).has_value());
  }

  void parsesWithPort() {
    auto a = SocketAddress::parseWithPort("127.0.0.1:8080");
    QVERIFY(a.has_value());
    QCOMPARE(*a, SocketAddress::loopbackV4(8080));
    a = SocketAddress::parseWithPort("[::1]:0");
    QVERIFY(a.has_value());
    QCOMPARE(*a, SocketAddress::loopbackV6(0));
    for (const char* bad : {"::1:80", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "[::1]",
                            "[::1]80", "127.0.0.1:-1", "127.0.0.1:8o"}) {
      QVERIFY2(!SocketAddress::parseWithPort(bad).has_value(), bad);
    }
  }

  void roundTripsThroughSockaddr() {
    for (const SocketAddress& a :
         {SocketAddress::loopbackV4(1234), SocketAddress::loopbackV6(65535),
          *SocketAddress::parse("fe80::abcd%3", 9), SocketAddress::anyV4(0)}) {
      sockaddr_storage storage{};
      QVERIFY(a.toSockaddr(&storage) > 0);
      const auto back = SocketAddress::fromSockaddr(reinterpret_cast<const sockaddr*>(&storage));
      QVERIFY(back.has_value());
      QCOMPARE(*back, a);
    }
    sockaddr_storage none{};
    QCOMPARE(SocketAddress{}.toSockaddr(&none), std::size_t{0});
    none.ss_family = AF_UNIX;
    QVERIFY(!SocketAddress::fromSockaddr(reinterpret_cast<const sockaddr*>(&none)).has_value());
  }

  void comparesAndHashesByValue() {
    const SocketAddress a = SocketAddress::loopbackV4(80);
    QVERIFY(a == *SocketAddress::parse("127.0.0.1", 80));
    QVERIFY(a != a.withPort(81));
    QVERIFY(a < a.withPort(81));
    QVERIFY(SocketAddress::loopbackV4(80) < SocketAddress::loopbackV6(80));  // by family first
    std::unordered_set<SocketAddress> set{a, a.withPort(81), SocketAddress::loopbackV6(80), a};
    QCOMPARE(set.size(), std::size_t{3});
    QVERIFY(!SocketAddress{}.isValid());
    QCOMPARE(QString::fromStdString(SocketAddress{}.toString()), QString());
    QVERIFY(SocketAddress::anyV6(0).isUnspecified());
    QVERIFY(!SocketAddress::loopbackV6(0).isUnspecified());
    QVERIFY(SocketAddress::parse("127.255.0.9")->isLoopback());
    QVERIFY(!SocketAddress::parse("128.0.0.1")->isLoopback());
  }
};

QTEST_GUILESS_MAIN(TstSocketAddress)
#include "tst_socket_address.moc"
