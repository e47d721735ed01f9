// tributary-cli with an origin URL and a torrent for the same file, as a user
// runs it on 127.0.0.1: `get URL --torrent FILE.torrent` downloads from a
// rate-limited nginx and a rate-limited libtorrent seeder at once, and its
// --json lines count the bytes of each kind (http and bt, no cdn); `get
// FILE.torrent --origin URL` with an origin of another size names the reason
// the origin was dropped and still completes from the swarm; a misplaced
// --torrent or --origin is one line and exit status 2.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>

#include "CliBtFixture.h"
#include "HybridSources.h"
#include "engine/api/TorrentCreator.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"
#include "support/NginxServer.h"
#include "support/TestFiles.h"

using namespace tributary;
using namespace std::chrono_literals;
using test::runCli;
using test::writeFile;

namespace {

constexpr qint64 kPiece = 256 * 1024;

QByteArray readAll(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The last --json line of a type ("progress", "done").
QJsonObject lastLine(const QByteArray& out, const QString& type) {
  QJsonObject last;
  for (const QByteArray& line : out.split('\n')) {
    const QJsonObject object = QJsonDocument::fromJson(line).object();
    if (object["type"].toString() == type) {
      last = object;
    }
  }
  return last;
}

QJsonObject sourceIn(const QJsonObject& progress, const QString& url) {
  for (const QJsonValue& value : progress["sources"].toArray()) {
    if (value.toObject()["url"].toString() == url) {
      return value.toObject();
    }
  }
  return {};
}

bool isOneLine(const QByteArray& text) {
  return text.endsWith('\n') && text.count('\n') == 1;
}

}  // namespace

class TstCliHybrid : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir root_;  // nginx's root and the seeder's data: data/file.bin
  QByteArray content_;
  QString torrent_;
  std::unique_ptr<test::NginxServer> nginx_;

  QString url(const QString& path) const { return nginx_->baseUrl() + path; }

  std::unique_ptr<test::LibtorrentPeer> startSeeder() {
    test::LibtorrentPeerOptions options;
    options.torrentFile = torrent_;
    options.dataDir = root_.filePath("data");
    options.uploadLimit = 2 * 1024 * 1024;
    auto seeder = std::make_unique<test::LibtorrentPeer>(options);
    if (const QString started = seeder->start(); !started.isEmpty()) {
      qWarning("seeder: %s", qPrintable(started));
      return nullptr;
    }
    if (!seeder->waitFinished(30s)) {
      qWarning("seeder: %s", qPrintable(seeder->output()));
      return nullptr;
    }
    return seeder;
  }

  static QStringList swarmOptions(const test::LibtorrentPeer& seeder, const QString& dir) {
    return {"-d",       dir,        "--peer",   seeder.address(), "--no-dht",
            "--no-lsd", "--no-pex", "--no-utp", "--json"};
  }

 private slots:
  void initTestCase() {
    if (const QString missing = test::missingHybridPrograms(); !missing.isEmpty()) {
      QSKIP(qPrintable(missing));
    }
    content_ = test::randomBytes(8 * 1024 * 1024 + 4321, 31);
    QVERIFY(writeFile(root_.filePath("data/file.bin"), content_));
    QVERIFY(writeFile(root_.filePath("other/file.bin"), content_.left(content_.size() - 1)));
    CreateTorrentParams params;
    params.path = root_.filePath("data/file.bin").toStdString();
    params.pieceSize = kPiece;
    params.creationDate = 0;
    auto made = createTorrent(params);
    QVERIFY(made);
    torrent_ = root_.filePath("file.torrent");
    QVERIFY(writeFile(torrent_, QByteArray::fromStdString(made.value().bytes)));
    QCOMPARE(test::startHybridNginx(nginx_, root_.path()), QString());
  }

  void urlWithTorrentCountsHttpAndBt() {
    auto seeder = startSeeder();
    QVERIFY(seeder);
    QTemporaryDir out;
    const QString origin = url("/slow/file.bin");
    const auto run = runCli(QStringList{"get", origin, "--torrent", torrent_} +
                            swarmOptions(*seeder, out.path()));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(readAll(QDir(out.path()).filePath("file.bin")), content_);
    const QJsonObject traffic = lastLine(run.out, "done")["traffic"].toObject();
    const qint64 http = traffic["http"].toInteger();
    const qint64 bt = traffic["bt"].toInteger();
    qInfo("http %lld, bt %lld, cdn %lld", http, bt, traffic["cdn"].toInteger());
    QVERIFY2(http > 0 && bt > 0, run.out.right(2000).constData());
    QCOMPARE(traffic["cdn"].toInteger(), 0);
    QVERIFY(http + bt >= content_.size() && http + bt <= content_.size() + kPiece);
    // The origin's line in the sources, as it last showed while running.
    const QJsonObject source = sourceIn(lastLine(run.out, "progress"), origin);
    QCOMPARE(source["kind"].toString(), QStringLiteral("http"));
    QVERIFY(source["downloaded"].toInteger() > 0);
  }

  void originOfAnotherSizeIsDroppedWithItsReason() {
    auto seeder = startSeeder();
    QVERIFY(seeder);
    QTemporaryDir out;
    const QString origin = url("/other/file.bin");
    const auto run = runCli(QStringList{"get", torrent_, "--origin", origin} +
                            swarmOptions(*seeder, out.path()));
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(readAll(QDir(out.path()).filePath("file.bin")), content_);
    const QJsonObject source = sourceIn(lastLine(run.out, "progress"), origin);
    QCOMPARE(source["state"].toString(), QStringLiteral("dropped"));
    const QString why = source["error"].toString();
    QVERIFY2(why.contains(QStringLiteral("%1 bytes where the torrent's file has %2")
                              .arg(content_.size() - 1)
                              .arg(content_.size())),
             qPrintable(why));
    QCOMPARE(lastLine(run.out, "done")["traffic"].toObject()["http"].toInteger(), 0);
  }

  void misplacedOptionsAreOneLine() {
    QTemporaryDir out;
    const QString magnet = QStringLiteral("magnet:?xt=urn:btih:") + QString(40, 'a');
    const QList<QStringList> wrong = {
        {"get", url("/data/file.bin"), "--torrent", url("/slow/file.bin")},
        {"get", torrent_, "--torrent", magnet},
        {"get", url("/data/file.bin"), "--origin", url("/slow/file.bin")},
        {"get", torrent_, "--origin", url("/slow/file.bin"), "--torrent", magnet},
        {"get", url("/data/file.bin"), url("/slow/file.bin"), "--torrent", torrent_},
    };
    for (const QStringList& args : wrong) {
      const auto run = runCli(args + QStringList{"-d", out.path()});
      QVERIFY2(run.exitCode == 2, qPrintable(args.join(' ')));
      QVERIFY2(isOneLine(run.err), run.err.constData());
    }
    // The engine's own refusal: a multi-file torrent's origin must be a folder.
    QVERIFY(writeFile(root_.filePath("multi/set/a.bin"), QByteArray(1000, 'a')));
    QVERIFY(writeFile(root_.filePath("multi/set/b.bin"), QByteArray(2000, 'b')));
    CreateTorrentParams params;
    params.path = root_.filePath("multi/set").toStdString();
    auto made = createTorrent(params);
    QVERIFY(made);
    const QString multi = root_.filePath("multi.torrent");
    QVERIFY(writeFile(multi, QByteArray::fromStdString(made.value().bytes)));
    const auto run = runCli({"get", multi, "--origin", url("/multi/set/a.bin"), "-d", out.path(),
                             "--no-dht", "--no-lsd"});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(isOneLine(run.err) && run.err.contains("ending in '/'"), run.err.constData());
  }
};

QTEST_GUILESS_MAIN(TstCliHybrid)
#include "tst_cli_hybrid.moc"
