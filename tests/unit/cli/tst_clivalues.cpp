// Option values of tributary-cli, good and bad, through whole command lines:
// numbers, rates with suffixes, ports, HOST:PORT, checksums, URLs, piece sizes.
#include <QTest>

#include "CliTestArgs.h"

using namespace tributary;
using namespace tributary::cli;
using namespace tributary::cli::test;

namespace {

QStringList getWith(const QStringList& options) {
  return QStringList{"get", "http://127.0.0.1/file", "-d", "out"} + options;
}

}  // namespace

class TestCliValues : public QObject {
  Q_OBJECT

 private slots:
  void connectionsAccepted_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<unsigned>("expected");
    QTest::newRow("default") << getWith({}) << 8u;
    QTest::newRow("one") << getWith({"-c", "1"}) << 1u;
    QTest::newRow("max") << getWith({"--connections", "64"}) << 64u;
    QTest::newRow("inline long") << getWith({"--connections=16"}) << 16u;
    QTest::newRow("inline short") << getWith({"-c4"}) << 4u;
  }
  void connectionsAccepted() {
    QFETCH(QStringList, args);
    QFETCH(unsigned, expected);
    const auto get = parseAs<GetCommand>(args);
    QVERIFY2(get, qPrintable(errorOf(args)));
    QCOMPARE(get->connections, expected);
  }

  void connectionsRejected_data() {
    QTest::addColumn<QString>("value");
    for (const char* value :
         {"x", "0", "65", "-1", "", "8k", " 8", "+8", "1e2", "99999999999999999999"}) {
      QTest::newRow(value) << QString::fromLatin1(value);
    }
  }
  void connectionsRejected() {
    QFETCH(QString, value);
    QCOMPARE(errorOf(getWith({"--connections=" + value})),
             "--connections: expected a number from 1 to 64, got '" + value + "'");
  }

  void ratesAccepted_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<quint64>("expected");
    QTest::newRow("zero") << "0" << quint64(0);
    QTest::newRow("bytes") << "512" << quint64(512);
    QTest::newRow("K") << "1K" << quint64(1024);
    QTest::newRow("k") << "2k" << quint64(2048);
    QTest::newRow("M") << "3M" << quint64(3) * 1024 * 1024;
    QTest::newRow("g") << "1g" << quint64(1024) * 1024 * 1024;
    QTest::newRow("largest G") << "17179869183G" << quint64(17179869183ull) * 1024 * 1024 * 1024;
    QTest::newRow("uint64 max") << "18446744073709551615" << quint64(18446744073709551615ull);
  }
  void ratesAccepted() {
    QFETCH(QString, value);
    QFETCH(quint64, expected);
    const QStringList args = getWith({"--max-download-rate", value, "--max-upload-rate=" + value});
    const auto get = parseAs<GetCommand>(args);
    QVERIFY2(get, qPrintable(errorOf(args)));
    QCOMPARE(get->network.maxDownloadRate, expected);
    QCOMPARE(get->network.maxUploadRate, expected);
  }

  void ratesRejected_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    const QString malformed = "bytes/s as a number with an optional K, M or G suffix";
    const QString tooLarge = "a rate below 16 EiB/s";
    QTest::newRow("negative") << "-1" << malformed;
    QTest::newRow("negative K") << "-1K" << malformed;
    QTest::newRow("fraction") << "1.5M" << malformed;
    QTest::newRow("T") << "1T" << malformed;
    QTest::newRow("suffix only") << "K" << malformed;
    QTest::newRow("two suffixes") << "1KM" << malformed;
    QTest::newRow("word") << "fast" << malformed;
    QTest::newRow("empty") << "" << malformed;
    QTest::newRow("uint64 overflow") << "18446744073709551616" << tooLarge;
    QTest::newRow("G overflow") << "17179869184G" << tooLarge;
  }
  void ratesRejected() {
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QCOMPARE(errorOf(getWith({"--max-upload-rate=" + value})),
             "--max-upload-rate: expected " + expected + ", got '" + value + "'");
    QCOMPARE(errorOf(getWith({"--max-download-rate=" + value})),
             "--max-download-rate: expected " + expected + ", got '" + value + "'");
  }

  void listenPort() {
    auto get = parseAs<GetCommand>(getWith({"--listen-port", "0"}));
    QVERIFY(get);
    QCOMPARE(get->network.listenPort, 0);
    get = parseAs<GetCommand>(getWith({"--listen-port", "65535"}));
    QVERIFY(get);
    QCOMPARE(get->network.listenPort, 65535);
    for (const char* bad : {"65536", "-1", "x", "", "6881x"}) {
      QCOMPARE(
          errorOf(getWith({QStringLiteral("--listen-port=") + bad})),
          QStringLiteral("--listen-port: expected a number from 0 to 65535, got '%1'").arg(bad));
    }
  }

  void seedTime() {
    auto get = parseAs<GetCommand>(getWith({"--seed-time", "3600"}));
    QVERIFY(get);
    QCOMPARE(get->seedTime.count(), 3600);
    get = parseAs<GetCommand>(getWith({"--seed-time", "4294967295"}));
    QVERIFY(get);
    QCOMPARE(get->seedTime.count(), 4294967295ll);
    for (const char* bad : {"-1", "1h", "4294967296", ""}) {
      QCOMPARE(
          errorOf(getWith({QStringLiteral("--seed-time=") + bad})),
          QStringLiteral("--seed-time: expected a number from 0 to 4294967295, got '%1'").arg(bad));
    }
  }

  void dhtBootstrapAccepted_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::newRow("name") << "router.bittorrent.com:6881"
                          << "router.bittorrent.com" << 6881;
    QTest::newRow("ipv4") << "127.0.0.1:1"
                          << "127.0.0.1" << 1;
    QTest::newRow("ipv6 loopback") << "[::1]:6881"
                                   << "::1" << 6881;
    QTest::newRow("ipv6") << "[2001:db8::1]:65535"
                          << "2001:db8::1" << 65535;
  }
  void dhtBootstrapAccepted() {
    QFETCH(QString, value);
    QFETCH(QString, host);
    QFETCH(int, port);
    const auto get = parseAs<GetCommand>(getWith({"--dht-bootstrap", value}));
    QVERIFY2(get, qPrintable(errorOf(getWith({"--dht-bootstrap", value}))));
    QCOMPARE(get->network.dhtBootstrap.size(), 1u);
    QCOMPARE(QString::fromStdString(get->network.dhtBootstrap[0].host), host);
    QCOMPARE(get->network.dhtBootstrap[0].port, port);
  }

  void dhtBootstrapRejected_data() {
    QTest::addColumn<QString>("value");
    for (const char* value :
         {"::1:6881", "host", "host:", "host:0", "host:65536", "[::1]", "[::1]6881", ":6881",
          "[]:6881", "[host]:1", "ho st:1", "[::1:6881", "host:-1", ""}) {
      QTest::newRow(value) << QString::fromLatin1(value);
    }
  }
  void dhtBootstrapRejected() {
    QFETCH(QString, value);
    QCOMPARE(errorOf(getWith({"--dht-bootstrap=" + value})),
             "--dht-bootstrap: expected HOST:PORT (IPv6 as [::1]:6881), got '" + value + "'");
  }

  void peersAccepted_data() {
    QTest::addColumn<QString>("value");
    for (const char* value : {"127.0.0.1:6881", "0.0.0.0:1", "255.255.255.255:65535", "[::1]:6881",
                              "[2001:db8::1]:51413", "[::ffff:1.2.3.4]:1"}) {
      QTest::newRow(value) << QString::fromLatin1(value);
    }
  }
  void peersAccepted() {
    QFETCH(QString, value);
    const auto get = parseAs<GetCommand>(getWith({"--peer", value}));
    QVERIFY2(get, qPrintable(errorOf(getWith({"--peer", value}))));
    QCOMPARE(get->network.peers, std::vector<std::string>{value.toStdString()});
  }

  // A peer is dialled as given: names, octal-looking or short addresses are refused.
  void peersRejected_data() {
    QTest::addColumn<QString>("value");
    for (const char* value : {"localhost:6881", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536",
                              "1.2.3:1", "1.2.3.4.5:1", "1.2.3.256:1", "01.2.3.4:1", "1.2.3.4.:1",
                              ".1.2.3:1", "::1:6881", "[::1]", "[x]:1", "1..2.3:1", ""}) {
      QTest::newRow(value) << QString::fromLatin1(value);
    }
  }
  void peersRejected() {
    QFETCH(QString, value);
    QCOMPARE(errorOf(getWith({"--peer=" + value})),
             "--peer: expected IP:PORT (IPv6 as [::1]:6881), got '" + value + "'");
  }

  void checksumAccepted() {
    const QString sha1 = QString("0123456789abcdef").repeated(3).left(40);
    auto get = parseAs<GetCommand>(getWith({"--checksum", "sha-1=" + sha1}));
    QVERIFY(get && get->checksum);
    QCOMPARE(get->checksum->algorithm, Checksum::Algorithm::Sha1);
    QCOMPARE(QString::fromStdString(get->checksum->hex), sha1);

    const QString sha256 = QString("0123456789ABCDEF").repeated(4);
    get = parseAs<GetCommand>(getWith({"--checksum=SHA256=" + sha256}));
    QVERIFY(get && get->checksum);
    QCOMPARE(get->checksum->algorithm, Checksum::Algorithm::Sha256);
    QCOMPARE(QString::fromStdString(get->checksum->hex), sha256.toLower());

    get = parseAs<GetCommand>(getWith({}));
    QVERIFY(get && !get->checksum);
  }

  void checksumRejected_data() {
    QTest::addColumn<QString>("value");
    const QString hex64 = QString("a").repeated(64);
    QTest::newRow("md5") << "md5=" + QString("a").repeated(32);
    QTest::newRow("sha-1 short") << "sha-1=" + QString("a").repeated(39);
    QTest::newRow("sha-1 with sha-256 length") << "sha-1=" + hex64;
    QTest::newRow("sha-256 long") << "sha-256=" + hex64 + "a";
    QTest::newRow("not hex") << "sha-256=" + QString("g").repeated(64);
    QTest::newRow("no hex") << "sha-256";
    QTest::newRow("no algorithm") << "=" + hex64;
  }
  void checksumRejected() {
    QFETCH(QString, value);
    const QString error = errorOf(getWith({"--checksum", value}));
    QVERIFY2(error.startsWith("--checksum: expected sha-1=HEX (40 hex digits) or sha-256=HEX (64 "
                              "hex digits), got '"),
             qPrintable(error));
  }

  void urls() {
    auto get = parseAs<GetCommand>(
        getWith({"--mirror", "https://cdn.example/f", "--mirror=http://[::1]:8080/f"}));
    QVERIFY(get);
    QCOMPARE(get->mirrors.size(), 2u);
    QCOMPARE(get->mirrors[1], "http://[::1]:8080/f");
    for (const char* bad :
         {"ftp://x/f", "http://", "https:///path", "cdn.example/f", "http://a b"}) {
      QCOMPARE(
          errorOf(getWith({"--mirror", bad})),
          QStringLiteral("--mirror: expected a URL starting with http:// or https://, got '%1'")
              .arg(bad));
    }
    QCOMPARE(errorOf({"create", "dir", "-o", "x.torrent", "--tracker", "ws://t/announce"}),
             "--tracker: expected a URL starting with http://, https:// or udp://, got "
             "'ws://t/announce'");
  }

  void pieceSize_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<quint64>("expected");  // 0 = rejected
    QTest::newRow("16K") << "16K" << quint64(16384);
    QTest::newRow("bytes") << "262144" << quint64(262144);
    QTest::newRow("4m") << "4m" << quint64(4) * 1024 * 1024;
    QTest::newRow("64M") << "64M" << quint64(64) * 1024 * 1024;
    QTest::newRow("8K") << "8K" << quint64(0);
    QTest::newRow("128M") << "128M" << quint64(0);
    QTest::newRow("not a power of two") << "3M" << quint64(0);
    QTest::newRow("1000") << "1000" << quint64(0);
    QTest::newRow("zero") << "0" << quint64(0);
    QTest::newRow("1G") << "1G" << quint64(0);
    QTest::newRow("word") << "big" << quint64(0);
  }
  void pieceSize() {
    QFETCH(QString, value);
    QFETCH(quint64, expected);
    const QStringList args{"create", "dir", "-o", "x.torrent", "--piece-size", value};
    const auto create = parseAs<CreateCommand>(args);
    if (expected == 0) {
      QVERIFY(!create);
      QCOMPARE(errorOf(args),
               "--piece-size: expected a power of two from 16K to 64M, got '" + value + "'");
    } else {
      QVERIFY2(create, qPrintable(errorOf(args)));
      QCOMPARE(create->pieceSize, expected);
    }
  }

  void emptyPathsRejected() {
    QCOMPARE(errorOf(getWith({"--ca-cert="})), "--ca-cert: must not be empty");
    QCOMPARE(errorOf({"get", "http://h/f", "--dir="}), "--dir: must not be empty");
    QCOMPARE(errorOf({"create", "dir", "-o", ""}), "--output: must not be empty");
  }

  // Whatever the user typed, the error stays one printable line of bounded length.
  void errorsStayOneLine() {
    const QString error = errorOf(getWith({"--connections", "1\n2\r3\x1b"}));
    QVERIFY(!error.contains('\n') && !error.contains('\r') && !error.contains('\x1b'));
    QCOMPARE(error, "--connections: expected a number from 1 to 64, got '1\\x0a2\\x0d3\\x1b'");
    const QString longError = errorOf(getWith({"--connections", QString(5000, 'x')}));
    QVERIFY2(longError.size() < 200, qPrintable(longError));
    QVERIFY(longError.endsWith("...'"));
  }
};

QTEST_GUILESS_MAIN(TestCliValues)
#include "tst_clivalues.moc"
