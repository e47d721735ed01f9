// tributary-cli's top level, --help / --version, and the seed and create commands.
#include <QTest>

#include "CliTestArgs.h"

using namespace tributary;
using namespace tributary::cli;
using namespace tributary::cli::test;

Q_DECLARE_METATYPE(tributary::cli::HelpTopic)

class TestCliCommands : public QObject {
  Q_OBJECT

 private slots:
  void help_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<HelpTopic>("topic");
    QTest::newRow("--help") << QStringList{"--help"} << HelpTopic::Program;
    QTest::newRow("-h") << QStringList{"-h"} << HelpTopic::Program;
    QTest::newRow("help") << QStringList{"help"} << HelpTopic::Program;
    QTest::newRow("help get") << QStringList{"help", "get"} << HelpTopic::Get;
    QTest::newRow("help seed") << QStringList{"help", "seed"} << HelpTopic::Seed;
    QTest::newRow("help create") << QStringList{"help", "create"} << HelpTopic::Create;
    QTest::newRow("get --help") << QStringList{"get", "--help"} << HelpTopic::Get;
    QTest::newRow("get -h after options")
        << QStringList{"get", "-d", "x", "http://a/f", "-h"} << HelpTopic::Get;
    QTest::newRow("help beats bad options")
        << QStringList{"get", "--bogus", "-c", "x", "--help"} << HelpTopic::Get;
    QTest::newRow("seed -h") << QStringList{"seed", "-h"} << HelpTopic::Seed;
    QTest::newRow("create --help") << QStringList{"create", "--help"} << HelpTopic::Create;
  }
  void help() {
    QFETCH(QStringList, args);
    QFETCH(HelpTopic, topic);
    const auto help = parseAs<HelpCommand>(args);
    QVERIFY2(help, qPrintable(errorOf(args)));
    QCOMPARE(help->topic, topic);
  }

  void helpAfterDoubleDashIsASource() {
    QCOMPARE(errorOf({"get", "-d", "x", "--", "--help"}),
             "get: '--help' is not an http(s) URL, a magnet: URI or a .torrent file");
  }

  void usageDocumentsEveryOption_data() {
    QTest::addColumn<HelpTopic>("topic");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("program") << HelpTopic::Program
                             << QStringList{"get SOURCE", "seed FILE.torrent", "create PATH",
                                            "--help", "--version"};
    QTest::newRow("get") << HelpTopic::Get
                         << QStringList{"-d, --dir",
                                        "-c, --connections",
                                        "--mirror",
                                        "--ca-cert",
                                        "--checksum",
                                        "sha-1",
                                        "sha-256",
                                        "--max-download-rate",
                                        "--max-upload-rate",
                                        "1024-based",
                                        "--listen-port",
                                        "--seed-time",
                                        "--no-dht",
                                        "--no-pex",
                                        "--no-lsd",
                                        "--no-utp",
                                        "--dht-bootstrap",
                                        "[::1]:6881",
                                        "--json",
                                        "--quiet",
                                        "repeatable",
                                        "--peer IP:PORT",
                                        "--max-peers N",
                                        "--max-connections N",
                                        "--max-active-downloads N",
                                        "--encryption MODE",
                                        "-h, --help"};
    QTest::newRow("seed")
        << HelpTopic::Seed
        << QStringList{"-d, --dir",          "--listen-port",  "--max-upload-rate", "--no-dht",
                       "--dht-bootstrap",    "--json",         "--quiet",           "1024-based",
                       "-h, --help",         "--peer IP:PORT", "SIGTERM",           "--max-peers N",
                       "--max-connections N"};
    QTest::newRow("create") << HelpTopic::Create
                            << QStringList{"-o, --output", "--tracker",  "--web-seed",
                                           "--piece-size", "16K",        "64M",
                                           "repeatable",   "-h, --help", "--comment",
                                           "--private",    "--quiet",    "info-hash"};
  }
  void usageDocumentsEveryOption() {
    QFETCH(HelpTopic, topic);
    QFETCH(QStringList, mentions);
    const QString usage = QString::fromStdString(std::string(usageText(topic)));
    QVERIFY(usage.startsWith("Usage: tributary-cli"));
    QVERIFY(usage.endsWith('\n'));
    for (const auto& mention : mentions) {
      QVERIFY2(usage.contains(mention), qPrintable(mention));
    }
  }

  void version() {
    QVERIFY(parseAs<VersionCommand>({"--version"}));
    QVERIFY(!cliVersion().empty());
    QCOMPARE(errorOf({"--version", "x"}), "--version: unexpected argument 'x'");
  }

  void topLevelErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("nothing") << QStringList{}
                             << "missing command (get, seed or create); see 'tributary-cli --help'";
    QTest::newRow("unknown command") << QStringList{"fetch", "http://a/f"}
                                     << "unknown command 'fetch' (expected get, seed or create)";
    QTest::newRow("unknown option")
        << QStringList{"--bogus"} << "unknown option '--bogus'; see 'tributary-cli --help'";
    QTest::newRow("option before command")
        << QStringList{"-d", "x", "get"} << "unknown option '-d'; see 'tributary-cli --help'";
    QTest::newRow("help unknown") << QStringList{"help", "fetch"}
                                  << "unknown command 'fetch' (expected get, seed or create)";
    QTest::newRow("help extra") << QStringList{"help", "get", "x"}
                                << "help: unexpected argument 'x'";
  }
  void topLevelErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QCOMPARE(errorOf(args), expected);
  }

  void seed() {
    const QStringList args{"seed",
                           "a.torrent",
                           "-d",
                           "data",
                           "--listen-port",
                           "6881",
                           "--max-upload-rate",
                           "2M",
                           "--no-dht",
                           "--no-utp",
                           "--dht-bootstrap",
                           "[::1]:1",
                           "--peer",
                           "127.0.0.1:6881",
                           "--peer=[::1]:51413",
                           "--max-peers=300",
                           "--max-connections",
                           "1200",
                           "--json",
                           "--quiet"};
    const auto seed = parseAs<SeedCommand>(args);
    QVERIFY2(seed, qPrintable(errorOf(args)));
    QCOMPARE(seed->torrentFile, "a.torrent");
    QCOMPARE(seed->dir, "data");
    QCOMPARE(seed->network.listenPort, 6881);
    QCOMPARE(seed->network.maxUploadRate, 2u * 1024 * 1024);
    QVERIFY(!seed->network.dht && seed->network.pex && !seed->network.utp);
    QCOMPARE(seed->network.dhtBootstrap, (std::vector<HostPort>{{"::1", 1}}));
    QCOMPARE(seed->network.peers, (std::vector<std::string>{"127.0.0.1:6881", "[::1]:51413"}));
    QCOMPARE(seed->network.maxPeersPerTorrent, 300u);
    QCOMPARE(seed->network.maxConnections, 1200u);
    QVERIFY(seed->json && seed->quiet);
  }

  void seedErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no file") << QStringList{"seed", "-d", "x"} << "seed: missing FILE.torrent";
    QTest::newRow("no dir") << QStringList{"seed", "a.torrent"} << "seed: missing -d DIR";
    QTest::newRow("two files") << QStringList{"seed", "a.torrent", "b.torrent", "-d", "x"}
                               << "seed: unexpected argument 'b.torrent'";
    QTest::newRow("get option") << QStringList{"seed", "a.torrent", "-d", "x", "-c", "2"}
                                << "seed: unknown option '-c'";
    QTest::newRow("bad port") << QStringList{"seed", "a.torrent", "-d", "x", "--listen-port", "x"}
                              << "--listen-port: expected a number from 0 to 65535, got 'x'";
    QTest::newRow("no peers") << QStringList{"seed", "a.torrent", "-d", "x", "--max-peers", "0"}
                              << "--max-peers: expected a number from 1 to 1000, got '0'";
    QTest::newRow("no connections")
        << QStringList{"seed", "a.torrent", "-d", "x", "--max-connections", "0"}
        << "--max-connections: expected a number from 1 to 10000, got '0'";
    QTest::newRow("peer by name")
        << QStringList{"seed", "a.torrent", "-d", "x", "--peer", "localhost:6881"}
        << "--peer: expected IP:PORT (IPv6 as [::1]:6881), got 'localhost:6881'";
  }
  void seedErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QCOMPARE(errorOf(args), expected);
  }

  void create() {
    const QStringList args{"create",
                           "content/",
                           "-o",
                           "out.torrent",
                           "--tracker",
                           "http://t1/announce",
                           "--tracker=udp://t2:6969",
                           "--web-seed",
                           "https://w1/content/",
                           "--web-seed=http://w2/",
                           "--piece-size",
                           "256K",
                           "--comment",
                           "made by a test",
                           "--private",
                           "--quiet"};
    const auto create = parseAs<CreateCommand>(args);
    QVERIFY2(create, qPrintable(errorOf(args)));
    QCOMPARE(create->path, "content/");
    QCOMPARE(create->output, "out.torrent");
    QCOMPARE(create->trackers, (std::vector<std::string>{"http://t1/announce", "udp://t2:6969"}));
    QCOMPARE(create->webSeeds, (std::vector<std::string>{"https://w1/content/", "http://w2/"}));
    QCOMPARE(create->pieceSize, 256u * 1024);
    QCOMPARE(create->comment, "made by a test");
    QVERIFY(create->isPrivate && create->quiet);

    const auto minimal = parseAs<CreateCommand>({"create", "f", "--output=f.torrent"});
    QVERIFY(minimal);
    QCOMPARE(minimal->pieceSize, 0u);
    QVERIFY(minimal->trackers.empty() && minimal->webSeeds.empty());
    QVERIFY(minimal->comment.empty() && !minimal->isPrivate && !minimal->quiet);
  }

  void encryptionOption() {
    const auto byDefault = parseAs<SeedCommand>(QStringList{"seed", "a.torrent", "-d", "x"});
    QVERIFY(byDefault);
    QCOMPARE(byDefault->network.encryption, EncryptionMode::Enabled);
    const QStringList required{"seed", "a.torrent", "-d", "x", "--encryption", "required"};
    const auto seed = parseAs<SeedCommand>(required);
    QVERIFY2(seed, qPrintable(errorOf(required)));
    QCOMPARE(seed->network.encryption, EncryptionMode::Required);
    const QStringList disabled{"get", "u.torrent", "-d", "x", "--encryption=disabled"};
    const auto get = parseAs<GetCommand>(disabled);
    QVERIFY2(get, qPrintable(errorOf(disabled)));
    QCOMPARE(get->network.encryption, EncryptionMode::Disabled);
    QCOMPARE(errorOf({"seed", "a.torrent", "-d", "x", "--encryption", "rc4"}),
             QString("--encryption: expected disabled, enabled or required, got 'rc4'"));
  }

  void createErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no output") << QStringList{"create", "f"} << "create: missing -o FILE.torrent";
    QTest::newRow("no path") << QStringList{"create", "-o", "f.torrent"} << "create: missing PATH";
    QTest::newRow("two paths") << QStringList{"create", "a", "b", "-o", "f.torrent"}
                               << "create: unexpected argument 'b'";
    QTest::newRow("get option") << QStringList{"create", "a", "-o", "f.torrent", "-d", "x"}
                                << "create: unknown option '-d'";
    QTest::newRow("two outputs") << QStringList{"create", "a", "-o", "x", "-o", "y"}
                                 << "--output: given more than once";
    QTest::newRow("two piece sizes")
        << QStringList{"create", "a", "-o", "x", "--piece-size=16K", "--piece-size=32K"}
        << "--piece-size: given more than once";
    QTest::newRow("peer") << QStringList{"create", "a", "-o", "x", "--peer", "127.0.0.1:1"}
                          << "create: unknown option '--peer'";
    QTest::newRow("empty comment")
        << QStringList{"create", "a", "-o", "x", "--comment="} << "--comment: must not be empty";
  }
  void createErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QCOMPARE(errorOf(args), expected);
  }
};

QTEST_GUILESS_MAIN(TestCliCommands)
#include "tst_clicommands.moc"
