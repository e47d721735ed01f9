// `tributary-cli get`: every option lands in GetCommand, repeatable options
// accumulate, the rest refuse a second use, and SOURCEs are classified by syntax.
#include <QTest>

#include "CliTestArgs.h"
#include "engine/api/Engine.h"

using namespace tributary;
using namespace tributary::cli;
using namespace tributary::cli::test;

Q_DECLARE_METATYPE(tributary::cli::SourceType)

class TestCliGet : public QObject {
  Q_OBJECT

 private slots:
  void defaults() {
    const QStringList args{"get", "http://example.com/f.iso", "-d", "/tmp/out"};
    const auto get = parseAs<GetCommand>(args);
    QVERIFY2(get, qPrintable(errorOf(args)));
    QCOMPARE(get->sources.size(), 1u);
    QCOMPARE(get->sources[0].text, "http://example.com/f.iso");
    QCOMPARE(get->dir, "/tmp/out");
    QCOMPARE(get->connections, 8u);
    QVERIFY(get->mirrors.empty());
    QVERIFY(get->caCertFile.empty());
    QVERIFY(!get->checksum);
    QCOMPARE(get->seedTime.count(), 0);
    QCOMPARE(get->network.maxDownloadRate, 0u);
    QCOMPARE(get->network.maxUploadRate, 0u);
    QCOMPARE(get->network.listenPort, 0);
    QVERIFY(get->network.dht && get->network.pex && get->network.lsd && get->network.utp);
    QVERIFY(get->network.dhtBootstrap.empty());
    QVERIFY(get->network.peers.empty());
    QCOMPARE(get->network.maxPeersPerTorrent, 50u);
    QCOMPARE(get->maxActiveDownloads, EngineConfig{}.maxActiveDownloads);
    QVERIFY(!get->json);
    QVERIFY(!get->quiet);
  }

  void everyOption() {
    const QString sha256 = QString("ab").repeated(32);
    const QStringList args{"get",
                           "--dir=/data",
                           "http://a/f",
                           "-c",
                           "12",
                           "--mirror",
                           "http://m1/f",
                           "magnet:?xt=urn:btih:0123",
                           "--mirror=https://m2/f",
                           "--ca-cert",
                           "ca.pem",
                           "--user-agent",
                           "Agent/1.0 (test)",
                           "--referer=https://example.org/page",
                           "--checksum",
                           "sha-256=" + sha256,
                           "--max-download-rate",
                           "1M",
                           "--max-upload-rate",
                           "64K",
                           "--listen-port",
                           "6881",
                           "--seed-time",
                           "60",
                           "--no-dht",
                           "--no-pex",
                           "--no-lsd",
                           "--no-utp",
                           "--dht-bootstrap",
                           "127.0.0.1:6881",
                           "--dht-bootstrap=[::1]:6882",
                           "--peer",
                           "10.0.0.2:51413",
                           "--peer=[fe80::1]:1",
                           "--max-peers",
                           "200",
                           "--max-active-downloads",
                           "2",
                           "--json",
                           "--quiet",
                           "x.torrent"};
    const auto get = parseAs<GetCommand>(args);
    QVERIFY2(get, qPrintable(errorOf(args)));
    QCOMPARE(get->sources.size(), 3u);
    QCOMPARE(get->sources[0].type, SourceType::HttpUrl);
    QCOMPARE(get->sources[1].type, SourceType::Magnet);
    QCOMPARE(get->sources[2].type, SourceType::TorrentFile);
    QCOMPARE(get->dir, "/data");
    QCOMPARE(get->connections, 12u);
    QCOMPARE(get->mirrors, (std::vector<std::string>{"http://m1/f", "https://m2/f"}));
    QCOMPARE(get->caCertFile, "ca.pem");
    QCOMPARE(get->userAgent, "Agent/1.0 (test)");
    QCOMPARE(get->referer, "https://example.org/page");
    QVERIFY(get->checksum);
    QCOMPARE(get->checksum->algorithm, Checksum::Algorithm::Sha256);
    QCOMPARE(QString::fromStdString(get->checksum->hex), sha256);
    QCOMPARE(get->network.maxDownloadRate, 1024u * 1024u);
    QCOMPARE(get->network.maxUploadRate, 64u * 1024u);
    QCOMPARE(get->network.listenPort, 6881);
    QCOMPARE(get->seedTime.count(), 60);
    QVERIFY(!get->network.dht && !get->network.pex && !get->network.lsd && !get->network.utp);
    QCOMPARE(get->network.dhtBootstrap,
             (std::vector<HostPort>{{"127.0.0.1", 6881}, {"::1", 6882}}));
    QCOMPARE(get->network.peers, (std::vector<std::string>{"10.0.0.2:51413", "[fe80::1]:1"}));
    QCOMPARE(get->network.maxPeersPerTorrent, 200u);
    QCOMPARE(get->maxActiveDownloads, 2u);
    QVERIFY(get->json);
    QVERIFY(get->quiet);
  }

  void shortOptionForms() {
    const QStringList args{"get", "-ddir", "-c3", "http://a/f"};
    const auto get = parseAs<GetCommand>(args);
    QVERIFY2(get, qPrintable(errorOf(args)));
    QCOMPARE(get->dir, "dir");
    QCOMPARE(get->connections, 3u);
  }

  void flagsRepeatHarmlessly() {
    const QStringList args{"get",    "http://a/f", "-d",       "x",
                           "--json", "--json",     "--no-dht", "--no-dht"};
    const auto get = parseAs<GetCommand>(args);
    QVERIFY2(get, qPrintable(errorOf(args)));
    QVERIFY(get->json && !get->network.dht);
  }

  void singleValuedOptionsRefuseRepeats_data() {
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("expected");
    QTest::newRow("dir") << QStringList{"-d", "a", "--dir", "b"} << "--dir: given more than once";
    QTest::newRow("connections") << QStringList{"-d", "a", "-c", "2", "--connections=3"}
                                 << "--connections: given more than once";
    QTest::newRow("ca-cert") << QStringList{"-d", "a", "--ca-cert", "x", "--ca-cert", "y"}
                             << "--ca-cert: given more than once";
    QTest::newRow("user-agent") << QStringList{"-d", "a", "--user-agent", "x", "--user-agent=y"}
                                << "--user-agent: given more than once";
    QTest::newRow("rate") << QStringList{"-d", "a", "--max-upload-rate=1", "--max-upload-rate=2"}
                          << "--max-upload-rate: given more than once";
  }
  void singleValuedOptionsRefuseRepeats() {
    QFETCH(QStringList, options);
    QFETCH(QString, expected);
    QCOMPARE(errorOf(QStringList{"get", "http://a/f"} + options), expected);
  }

  void malformedCommandLines_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no dir") << QStringList{"get", "http://a/f"} << "get: missing -d DIR";
    QTest::newRow("no source")
        << QStringList{"get", "-d", "x"}
        << "get: missing SOURCE (an http(s) URL, a magnet: URI or a .torrent file)";
    QTest::newRow("dir value missing")
        << QStringList{"get", "http://a/f", "-d"} << "--dir: missing value";
    QTest::newRow("value is an option")
        << QStringList{"get", "http://a/f", "-d", "x", "-c", "--json"}
        << "--connections: missing value";
    QTest::newRow("unknown long") << QStringList{"get", "http://a/f", "-d", "x", "--bogus"}
                                  << "get: unknown option '--bogus'";
    QTest::newRow("unknown short")
        << QStringList{"get", "http://a/f", "-d", "x", "-x"} << "get: unknown option '-x'";
    QTest::newRow("create option")
        << QStringList{"get", "http://a/f", "-d", "x", "-o", "y"} << "get: unknown option '-o'";
    QTest::newRow("tracker") << QStringList{"get", "http://a/f", "-d", "x", "--tracker=http://t"}
                             << "get: unknown option '--tracker'";
    QTest::newRow("flag with value")
        << QStringList{"get", "http://a/f", "-d", "x", "--json=yes"} << "--json: takes no value";
    QTest::newRow("active downloads out of range")
        << QStringList{"get", "http://a/f", "-d", "x", "--max-active-downloads", "10001"}
        << "--max-active-downloads: expected a number from 0 to 10000, got '10001'";
    QTest::newRow("active downloads for seed")
        << QStringList{"seed", "a.torrent", "-d", "x", "--max-active-downloads=0"}
        << "seed: unknown option '--max-active-downloads'";
    QTest::newRow("prefix of option") << QStringList{"get", "http://a/f", "-d", "x", "--conn", "2"}
                                      << "get: unknown option '--conn'";
  }
  void malformedCommandLines() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QCOMPARE(errorOf(args), expected);
  }

  void classification_data() {
    QTest::addColumn<QString>("source");
    QTest::addColumn<SourceType>("type");
    QTest::newRow("http") << "http://a/b" << SourceType::HttpUrl;
    QTest::newRow("https upper") << "HTTPS://A.EXAMPLE/B" << SourceType::HttpUrl;
    QTest::newRow("http ipv6") << "http://[::1]:8080/f" << SourceType::HttpUrl;
    QTest::newRow("remote torrent is http") << "https://x/y.torrent" << SourceType::HttpUrl;
    QTest::newRow("magnet") << "magnet:?xt=urn:btih:abc" << SourceType::Magnet;
    QTest::newRow("magnet upper") << "MAGNET:?xt=urn:btih:abc" << SourceType::Magnet;
    QTest::newRow("torrent") << "file.torrent" << SourceType::TorrentFile;
    QTest::newRow("torrent path upper") << "/path/To/X.TORRENT" << SourceType::TorrentFile;
    QTest::newRow("torrent needs no file") << "no/such/dir/a b.torrent" << SourceType::TorrentFile;
  }
  void classification() {
    QFETCH(QString, source);
    QFETCH(SourceType, type);
    const QStringList args{"get", source, "-d", "x"};
    const auto get = parseAs<GetCommand>(args);
    QVERIFY2(get, qPrintable(errorOf(args)));
    QCOMPARE(get->sources.size(), 1u);
    QCOMPARE(get->sources[0].type, type);
    QCOMPARE(QString::fromStdString(get->sources[0].text), source);
  }

  void unclassifiable_data() {
    QTest::addColumn<QString>("source");
    for (const char* source : {"ftp://x/y.torrent", "file.zip", ".torrent", "-", "example.com/f",
                               "file://x.torrent", ""}) {
      QTest::newRow(source) << QString::fromLatin1(source);
    }
  }
  void unclassifiable() {
    QFETCH(QString, source);
    QCOMPARE(errorOf({"get", source, "-d", "x"}),
             "get: '" + source + "' is not an http(s) URL, a magnet: URI or a .torrent file");
  }

  void malformedHttpSource() {
    QCOMPARE(errorOf({"get", "http://", "-d", "x"}),
             "get: expected a URL starting with http:// or https://, got 'http://'");
    QCOMPARE(errorOf({"get", "http://a b/f", "-d", "x"}),
             "get: expected a URL starting with http:// or https://, got 'http://a b/f'");
  }

  void doubleDashEndsOptions() {
    const QStringList args{"get", "-d", "x", "--", "-odd.torrent", "--help.torrent"};
    const auto get = parseAs<GetCommand>(args);
    QVERIFY2(get, qPrintable(errorOf(args)));
    QCOMPARE(get->sources.size(), 2u);
    QCOMPARE(get->sources[0].text, "-odd.torrent");
    QCOMPARE(get->sources[1].text, "--help.torrent");
  }

  void sourcesKeepTheirOrder() {
    const QStringList args{"get",        "b.torrent",    "-d",        "x",
                           "http://a/1", "magnet:?xt=1", "http://a/2"};
    const auto get = parseAs<GetCommand>(args);
    QVERIFY2(get, qPrintable(errorOf(args)));
    QCOMPARE(get->sources.size(), 4u);
    QCOMPARE(get->sources[0].text, "b.torrent");
    QCOMPARE(get->sources[3].text, "http://a/2");
  }

  void sourcePolicyOptions() {
    const QStringList args{"get", "a.torrent", "-d", "x", "--prefer", "p2p", "--cdn-cap", "2M"};
    const auto get = parseAs<GetCommand>(args);
    QVERIFY2(get, qPrintable(errorOf(args)));
    QCOMPARE(get->sourcePolicy.preference, SourcePreference::PreferP2P);
    QCOMPARE(get->sourcePolicy.cdnByteCap, std::uint64_t{2} << 20);
    const auto plain = parseAs<GetCommand>(QStringList{"get", "a.torrent", "-d", "x"});
    QVERIFY(plain);
    QVERIFY(plain->sourcePolicy == SourcePolicy{});
    QCOMPARE(parseAs<GetCommand>(QStringList{"get", "a.torrent", "-d", "x", "--prefer=cdn"})
                 ->sourcePolicy.preference,
             SourcePreference::PreferCdn);
    QCOMPARE(errorOf({"get", "a.torrent", "-d", "x", "--prefer", "swarm"}),
             "--prefer: expected p2p, balanced or cdn, got 'swarm'");
    QVERIFY(errorOf({"get", "a.torrent", "-d", "x", "--cdn-cap", "lots"}).startsWith("--cdn-cap"));
  }
};

QTEST_GUILESS_MAIN(TestCliGet)
#include "tst_cliget.moc"
