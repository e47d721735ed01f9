// tributary-cli's BitTorrent commands as a user runs them, against outside
// programs on 127.0.0.1: `create` gives the info-hash mktorrent gives for the
// same folder, piece size and tracker, and python3-libtorrent reads it the same
// way; `seed` serves a libtorrent leecher (we dial it with --peer: no listening
// port yet) and stops cleanly on SIGTERM; `get` downloads from a libtorrent
// seeder, every file sha256-checked, and a re-run resumes instead of
// downloading again; a bad .torrent is one line and a non-zero exit.
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>

#include "CliBtFixture.h"
#include "support/LibtorrentPeer.h"

using namespace tributary;
using namespace std::chrono_literals;
using test::runCli;
using test::runProgram;

namespace {

constexpr char kTracker[] = "http://127.0.0.1:9/announce";

QList<QJsonObject> jsonLines(const QByteArray& out) {
  QList<QJsonObject> objects;
  for (const QByteArray& line : out.split('\n')) {
    if (!line.trimmed().isEmpty()) {
      objects.push_back(QJsonDocument::fromJson(line).object());
    }
  }
  return objects;
}

qint64 maxShared(const QList<QJsonObject>& lines) {
  qint64 most = 0;
  for (const auto& line : lines) {
    most = std::max(most, line["traffic"].toObject()["shared"].toInteger());
  }
  return most;
}

bool isOneLine(const QByteArray& text) {
  return text.endsWith('\n') && text.count('\n') == 1;
}

QByteArray readAll(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TestCliBt : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    if (QStandardPaths::findExecutable("mktorrent").isEmpty()) {
      QSKIP("mktorrent is not installed");
    }
    QCOMPARE(content_.create(24, 7), QString());
    torrent_ = content_.root() + "/made.torrent";
    const auto made = runCli(
        {"create", content_.contentPath(), "-o", torrent_, "--piece-size", "256K", "--quiet"});
    QCOMPARE(made.exitCode, 0);
    QVERIFY(made.err.isEmpty());
  }

  // The same folder, piece size and tracker: the same info dictionary, byte for byte.
  void createMatchesMktorrent() {
    const QString ours = content_.root() + "/ours.torrent";
    const QString theirs = content_.root() + "/theirs.torrent";
    const auto made = runCli({"create", content_.contentPath(), "-o", ours, "--tracker", kTracker,
                              "--piece-size", "256K"});
    QCOMPARE(made.exitCode, 0);
    const QString printed = QString::fromLatin1(made.out.trimmed());
    QCOMPARE(printed.size(), 40);
    const auto mk =
        runProgram("mktorrent", {"-a", kTracker, "-l", "18", "-o", theirs, content_.contentPath()});
    QCOMPARE(mk.exitCode, 0);
    QString error;
    const auto ourView = test::libtorrentView(ours, &error);
    const auto theirView = test::libtorrentView(theirs, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(ourView.infoHash, printed);
    QCOMPARE(ourView.infoHash, theirView.infoHash);
    QCOMPARE(ourView.infoHex, theirView.infoHex);
    QCOMPARE(ourView.files, 7);  // hidden and zero-length files included
  }

  // One tier per tracker, as mktorrent does with several -a; a single file.
  void createSingleFileWithTiersMatchesMktorrent() {
    const QString file = content_.contentPath() + "/a/deeper/c.bin";
    const QString ours = content_.root() + "/single-ours.torrent";
    const QString theirs = content_.root() + "/single-theirs.torrent";
    const auto made = runCli({"create", file, "-o", ours, "--tracker", kTracker, "--tracker",
                              "udp://127.0.0.1:9/announce", "--piece-size", "32K", "--quiet"});
    QCOMPARE(made.exitCode, 0);
    const auto mk = runProgram("mktorrent", {"-a", kTracker, "-a", "udp://127.0.0.1:9/announce",
                                             "-l", "15", "-o", theirs, file});
    QCOMPARE(mk.exitCode, 0);
    QString error;
    const auto ourView = test::libtorrentView(ours, &error);
    const auto theirView = test::libtorrentView(theirs, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(ourView.infoHash, QString::fromLatin1(made.out.trimmed()));
    QCOMPARE(ourView.infoHash, theirView.infoHash);
    QCOMPARE(ourView.files, 1);
    QCOMPARE(ourView.announceList, theirView.announceList);
    QVERIFY(ourView.announceList.contains("udp://"));
  }

  void seedToLibtorrent() {
    QTemporaryDir leech;
    test::LibtorrentPeer leecher({torrent_, leech.path(), {}});
    QCOMPARE(leecher.start(), QString());
    QProcess seed;
    // To files: the run lasts minutes and nobody drains a pipe meanwhile.
    seed.setStandardOutputFile(leech.filePath("seed.out"));
    seed.setStandardErrorFile(leech.filePath("seed.err"));
    seed.start(QStringLiteral(TRIBUTARY_CLI),
               {"seed", torrent_, "-d", content_.parent(), "--peer", leecher.address(), "--json",
                "--no-dht", "--no-lsd"});
    QVERIFY(seed.waitForStarted(10000));
    const bool finished = leecher.waitFinished(120s);
    // Our counters reach the snapshots at the next tick: wait for that line.
    QElapsedTimer clock;
    clock.start();
    while (finished && clock.elapsed() < 10000 &&
           maxShared(jsonLines(readAll(leech.filePath("seed.out")))) < content_.totalBytes()) {
      seed.waitForFinished(100);  // it does not finish: a bounded wait between reads
    }
    seed.terminate();  // SIGTERM: the normal end of a seed
    QVERIFY(seed.waitForFinished(30000));
    QVERIFY2(finished, qPrintable(leecher.output() + readAll(leech.filePath("seed.err"))));
    QCOMPARE(content_.verify(leech.path()), QString());
    QCOMPARE(seed.exitStatus(), QProcess::NormalExit);
    QCOMPARE(seed.exitCode(), 0);
    const auto lines = jsonLines(readAll(leech.filePath("seed.out")));
    QVERIFY(lines.size() >= 2);
    bool seeding = false;
    for (const auto& line : lines) {
      seeding = seeding || line["state"].toString() == "seeding";
      QCOMPARE(line["kind"].toString(), "torrent");
    }
    QVERIFY(seeding);
    const QJsonObject done = lines.last();
    QCOMPARE(done["type"].toString(), "done");
    QVERIFY(done["traffic"].toObject()["shared"].toInteger() >= content_.totalBytes());
    QCOMPARE(done["traffic"].toObject()["bt"].toInteger(), 0);
  }

  void getFromLibtorrentThenResume() {
    test::LibtorrentPeer seeder({torrent_, content_.parent(), {}});
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir out;
    const QStringList args{"get", torrent_, "-d", out.path(), "--json", "--no-dht", "--no-lsd"};
    const auto run = runCli(QStringList(args) << "--peer" << seeder.address());
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(content_.verify(out.path()), QString());
    const auto lines = jsonLines(run.out);
    QVERIFY(!lines.isEmpty());
    const QJsonObject done = lines.last();
    QCOMPARE(done["type"].toString(), "done");
    QCOMPARE(done["kind"].toString(), "torrent");
    QCOMPARE(done["total"].toInteger(), content_.totalBytes());
    const QJsonObject traffic = done["traffic"].toObject();
    QVERIFY(traffic["bt"].toInteger() >= content_.totalBytes());
    QCOMPARE(traffic["http"].toInteger(), 0);
    QCOMPARE(traffic["cdn"].toInteger(), 0);
    QCOMPARE(done["torrent"].toObject()["info_hash"].toString().size(), 40);

    // Again on the same folder, with no peer at all: everything verifies, nothing is fetched.
    seeder.stop();
    const auto again = runCli(args);
    QVERIFY2(again.exitCode == 0, again.err.constData());
    const auto rerun = jsonLines(again.out);
    QVERIFY(!rerun.isEmpty());
    QCOMPARE(rerun.last()["type"].toString(), "done");
    QCOMPARE(rerun.last()["traffic"].toObject()["bt"].toInteger(), 0);
  }

  void truncatedTorrentIsOneLine() {
    QTemporaryDir dir;
    const QByteArray whole = readAll(torrent_);
    QVERIFY(!whole.isEmpty());
    QFile cut(dir.filePath("cut.torrent"));
    QVERIFY(cut.open(QIODevice::WriteOnly));
    cut.write(whole.left(whole.size() / 2));
    cut.close();
    for (const char* command : {"get", "seed"}) {
      const auto run = runCli({command, cut.fileName(), "-d", dir.path()});
      QCOMPARE(run.exitCode, 1);
      QVERIFY2(isOneLine(run.err), run.err.constData());
      QVERIFY2(run.err.startsWith("tributary-cli: invalid_torrent: "), run.err.constData());
    }
  }

 private:
  test::CliBtContent content_;
  QString torrent_;
};

QTEST_GUILESS_MAIN(TestCliBt)
#include "tst_cli_bt.moc"
