// Runs the built tributary-cli: exit statuses, and exactly one stderr line on failure.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#ifndef TRIBUTARY_CLI_PATH
#error "TRIBUTARY_CLI_PATH is set by tests/unit/cli/CMakeLists.txt"
#endif

namespace {

constexpr int kTimeoutMs = 30000;

struct Run {
  int exitCode = -1;
  QByteArray out;
  QByteArray err;
};

Run runCli(const QStringList& args) {
  QProcess process;
  process.setProgram(QStringLiteral(TRIBUTARY_CLI_PATH));
  process.setArguments(args);
  process.start();
  Run run;
  if (!process.waitForStarted(kTimeoutMs) || !process.waitForFinished(kTimeoutMs)) {
    process.kill();
    process.waitForFinished(kTimeoutMs);
    qWarning("tributary-cli did not finish: %s", qPrintable(args.join(' ')));
    return run;
  }
  if (process.exitStatus() == QProcess::NormalExit) {
    run.exitCode = process.exitCode();
  }
  run.out = process.readAllStandardOutput();
  run.err = process.readAllStandardError();
  return run;
}

bool isOneLine(const QByteArray& text) {
  return text.endsWith('\n') && text.count('\n') == 1;
}

bool writeFile(const QString& path, const QByteArray& content) {
  QDir().mkpath(QFileInfo(path).path());
  QFile file(path);
  return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

QByteArray readFile(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The SHA-1 of the info dictionary, when it is the last key (no url-list).
QByteArray infoHashOf(const QByteArray& torrent) {
  const qsizetype at = torrent.indexOf("4:infod");
  if (at < 0 || !torrent.endsWith("ee")) {
    return {};
  }
  const QByteArray info = torrent.mid(at + 6, torrent.size() - at - 7);
  return QCryptographicHash::hash(info, QCryptographicHash::Sha1).toHex();
}

}  // namespace

class TestCliBinary : public QObject {
  Q_OBJECT

 private slots:
  void malformedCommandLines_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("expected");  // empty = any single "tributary-cli: " line
    QTest::newRow("bad connections")
        << QStringList{"get", "http://127.0.0.1/f", "-d", "x", "--connections", "x"}
        << QByteArray("tributary-cli: --connections: expected a number from 1 to 64, got 'x'\n");
    QTest::newRow("no command") << QStringList{} << QByteArray();
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << QByteArray();
    QTest::newRow("unknown option") << QStringList{"get", "http://127.0.0.1/f", "-d", "x", "--nope"}
                                    << QByteArray("tributary-cli: get: unknown option '--nope'\n");
    QTest::newRow("missing dir") << QStringList{"get", "http://127.0.0.1/f"} << QByteArray();
    QTest::newRow("negative rate")
        << QStringList{"get", "http://127.0.0.1/f", "-d", "x", "--max-download-rate", "-1"}
        << QByteArray();
    QTest::newRow("newline in argument")
        << QStringList{"get", "a\nb\nc", "-d", "x"} << QByteArray();
    QTest::newRow("bad piece size")
        << QStringList{"create", "p", "-o", "p.torrent", "--piece-size", "1000"} << QByteArray();
  }
  void malformedCommandLines() {
    QFETCH(QStringList, args);
    QFETCH(QByteArray, expected);
    const Run run = runCli(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(isOneLine(run.err), run.err.constData());
    QVERIFY2(run.err.startsWith("tributary-cli: "), run.err.constData());
    if (!expected.isEmpty()) {
      QCOMPARE(run.err, expected);
    }
    QVERIFY(run.out.isEmpty());
  }

  void help_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("mention");
    QTest::newRow("--help") << QStringList{"--help"} << QByteArray("get SOURCE");
    QTest::newRow("-h") << QStringList{"-h"} << QByteArray("create PATH");
    QTest::newRow("get --help") << QStringList{"get", "--help"}
                                << QByteArray("--max-download-rate");
    QTest::newRow("seed -h") << QStringList{"seed", "-h"} << QByteArray("FILE.torrent");
    QTest::newRow("create --help") << QStringList{"create", "--help"} << QByteArray("--piece-size");
  }
  void help() {
    QFETCH(QStringList, args);
    QFETCH(QByteArray, mention);
    const Run run = runCli(args);
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.startsWith("Usage: tributary-cli"));
    QVERIFY(run.out.contains(mention));
    QVERIFY(run.err.isEmpty());
  }

  void version() {
    const Run run = runCli({"--version"});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.startsWith("tributary-cli ") && isOneLine(run.out), run.out.constData());
    QVERIFY(run.err.isEmpty());
  }

  // Port 1 on loopback refuses: whether or not HTTP is implemented, this fails
  // with one line and no partial success.
  void getFailureIsOneLine() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Run run = runCli({"get", "http://127.0.0.1:1/file", "-d", dir.path(), "--quiet"});
    QVERIFY2(run.exitCode != 0 && run.exitCode != 2, qPrintable(QString::number(run.exitCode)));
    QVERIFY2(isOneLine(run.err), run.err.constData());
    QVERIFY2(run.err.startsWith("tributary-cli: "), run.err.constData());
    QVERIFY(run.out.isEmpty());
  }

  void getFailureWithJson() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Run run =
        runCli({"get", "http://127.0.0.1:1/file", "-d", dir.path(), "--json", "--quiet"});
    QVERIFY(run.exitCode != 0 && run.exitCode != 2);
    QVERIFY2(isOneLine(run.err), run.err.constData());
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    QVERIFY2(lines.last().startsWith(R"({"type":"error")"), run.out.constData());
  }

  // seed and create of files that do not exist fail with one line, implemented or not.
  void seedAndCreateFailWithOneLine() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath("missing");
    for (const QStringList& args :
         {QStringList{"seed", missing + ".torrent", "-d", dir.path()},
          QStringList{"create", missing, "-o", dir.filePath("out.torrent")}}) {
      const Run run = runCli(args);
      QVERIFY2(run.exitCode == 1, qPrintable(args.join(' ')));
      QVERIFY2(isOneLine(run.err), run.err.constData());
      QVERIFY2(run.err.startsWith("tributary-cli: "), run.err.constData());
    }
  }

  void createWritesTheTorrentAndPrintsTheInfoHash() {
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("content/a.bin"), QByteArray(40000, 'a')));
    QVERIFY(writeFile(dir.filePath("content/sub/b.txt"), "b"));
    const QString output = dir.filePath("out/c.torrent");
    QVERIFY(QDir().mkpath(dir.filePath("out")));
    QVERIFY(writeFile(output, "old content"));  // replaced
    const Run run = runCli({"create", dir.filePath("content"), "-o", output, "--tracker",
                            "http://127.0.0.1:1/announce", "--piece-size", "16K"});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(QRegularExpression("^[0-9a-f]{40}\n$").match(QString::fromLatin1(run.out)).hasMatch(),
             run.out.constData());
    QVERIFY2(run.err.contains("content: 2 files, 39.1 KiB in 3 pieces of 16.0 KiB"),
             run.err.constData());
    const QByteArray torrent = readFile(output);
    QVERIFY(torrent.startsWith("d8:announce27:http://127.0.0.1:1/announce"));
    QVERIFY(torrent.contains("10:created by15:Tributary "));
    QCOMPARE(infoHashOf(torrent), run.out.trimmed());
    // Only the torrent is left: no temporary beside it.
    QCOMPARE(QDir(dir.filePath("out")).entryList(QDir::Files | QDir::Hidden),
             QStringList{"c.torrent"});
  }

  void createRefusalsAreOneLine_data() {
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QByteArray>("mention");
    QTest::newRow("empty folder") << "emptyFolder" << QByteArray("has no files");
    QTest::newRow("output folder missing") << "noOutputFolder" << QByteArray("cannot write");
    QTest::newRow("output is a folder") << "outputIsFolder" << QByteArray("is a folder");
    QTest::newRow("output inside the content") << "outputInside" << QByteArray("is inside");
  }
  void createRefusalsAreOneLine() {
    QFETCH(QString, setup);
    QFETCH(QByteArray, mention);
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.filePath("content")));
    QString output = dir.filePath("x.torrent");
    if (setup != "emptyFolder") {
      QVERIFY(writeFile(dir.filePath("content/f"), "data"));
    }
    if (setup == "noOutputFolder") {
      output = dir.filePath("missing/x.torrent");
    } else if (setup == "outputIsFolder") {
      output = dir.filePath("content");
    } else if (setup == "outputInside") {
      output = dir.filePath("content/../content/sub/x.torrent");
      QVERIFY(QDir().mkpath(dir.filePath("content/sub")));
    }
    const Run run = runCli({"create", dir.filePath("content"), "-o", output});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(isOneLine(run.err) && run.err.contains(mention), run.err.constData());
    QVERIFY(run.out.isEmpty());
    QVERIFY(!QFile::exists(dir.filePath("x.torrent")));
    QVERIFY(!QFile::exists(dir.filePath("content/sub/x.torrent")));
  }

  // add() reads the .torrent at once: a bad one fails before any network.
  void badTorrentIsOneLine() {
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("bad.torrent"), "d4:infod6:lengthi-5eee"));
    for (const char* command : {"get", "seed"}) {
      const Run run = runCli({command, dir.filePath("bad.torrent"), "-d", dir.path()});
      QCOMPARE(run.exitCode, 1);
      QVERIFY2(isOneLine(run.err), run.err.constData());
      QVERIFY2(run.err.startsWith("tributary-cli: invalid_torrent: "), run.err.constData());
      QVERIFY(run.out.isEmpty());
    }
  }

  void seedNeedsAnExistingFolder() {
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath("x.torrent"), "d4:infodee"));
    const Run run = runCli({"seed", dir.filePath("x.torrent"), "-d", dir.filePath("none")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(isOneLine(run.err) && run.err.contains("is not a folder"), run.err.constData());
  }
};

QTEST_GUILESS_MAIN(TestCliBinary)
#include "tst_clibinary.moc"
