// An origin URL and a torrent for the same content as one task
// (AddParams::alsoFrom), through the whole engine on 127.0.0.1: an HTTP task
// given a magnet downloads from nginx and a libtorrent seeder at once, both
// rate-limited so that each carries a share, the origin's bytes counted as
// HTTP and the peer's as BT; a torrent whose origin is a file of another size
// drops the origin with its reason and completes from the swarm; pairs that
// cannot be one task are refused by add().
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>

#include "HybridSources.h"
#include "engine/api/TorrentCreator.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"
#include "support/NginxServer.h"
#include "support/SourceLookup.h"
#include "support/TestFiles.h"

using namespace tributary;
using namespace std::chrono_literals;
using test::sourceFor;
using test::writeFile;

namespace {

constexpr std::uint64_t kPiece = 256 * 1024;

QByteArray sha256(const QByteArray& bytes) {
  return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

QString counts(const TaskSnapshot& s) {
  return QStringLiteral("bt %1, http %2, cdn %3, total %4, wasted %5")
      .arg(s.traffic.bt)
      .arg(s.traffic.http)
      .arg(s.traffic.cdn)
      .arg(s.totalBytes)
      .arg(s.torrent ? s.torrent->wastedBytes : 0);
}

}  // namespace

class TstHybridOrigin : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir root_;  // nginx's root: data/file.bin, other/file.bin, multi/...
  QTemporaryDir work_;  // the .torrent files
  QByteArray content_;
  std::unique_ptr<test::NginxServer> nginx_;
  QString torrent_;  // of data/file.bin
  QString multiTorrent_;
  std::string infoHashHex_;

  std::string url(const QString& path) const { return (nginx_->baseUrl() + path).toStdString(); }

  QString makeTorrent(const QString& path, const QString& name, std::string* infoHashHex) {
    CreateTorrentParams params;
    params.path = path.toStdString();
    params.pieceSize = kPiece;
    params.creationDate = 0;
    auto made = createTorrent(params);
    if (!made) {
      return {};
    }
    if (infoHashHex != nullptr) {
      *infoHashHex = made.value().infoHashHex;
    }
    const QString file = work_.filePath(name);
    return writeFile(file, QByteArray::fromStdString(made.value().bytes)) ? file : QString();
  }

  QString verify(const QString& dir) const {
    QFile file(QDir(dir).filePath("file.bin"));
    if (!file.open(QIODevice::ReadOnly)) {
      return "file.bin is missing";
    }
    return sha256(file.readAll()) == sha256(content_) ? QString() : "wrong SHA-256";
  }

  std::unique_ptr<test::LibtorrentPeer> startSeeder(std::uint64_t uploadLimit) {
    test::LibtorrentPeerOptions options;
    options.torrentFile = torrent_;
    options.dataDir = root_.filePath("data");
    options.uploadLimit = static_cast<qint64>(uploadLimit);
    auto seeder = std::make_unique<test::LibtorrentPeer>(options);
    const QString started = seeder->start();
    if (!started.isEmpty()) {
      qWarning("seeder: %s", qPrintable(started));
      return nullptr;
    }
    if (!seeder->waitFinished(30s)) {  // its check is over
      qWarning("seeder: %s", qPrintable(seeder->output()));
      return nullptr;
    }
    return seeder;
  }

 private slots:
  void initTestCase() {
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    content_ = test::randomBytes(8 * 1024 * 1024 + 12345, 21);
    QVERIFY(writeFile(root_.filePath("data/file.bin"), content_));
    // The same name, one byte longer: not the torrent's file.
    QVERIFY(writeFile(root_.filePath("other/file.bin"), content_ + QByteArray(1, 'x')));
    QVERIFY(writeFile(root_.filePath("multi/set/a.bin"), test::randomBytes(300 * 1024, 22)));
    QVERIFY(writeFile(root_.filePath("multi/set/b.bin"), test::randomBytes(200 * 1024, 23)));
    torrent_ = makeTorrent(root_.filePath("data/file.bin"), "file.torrent", &infoHashHex_);
    QVERIFY(!torrent_.isEmpty());
    multiTorrent_ = makeTorrent(root_.filePath("multi/set"), "multi.torrent", nullptr);
    QVERIFY(!multiTorrent_.isEmpty());
    // About half of the bytes each from /slow/ when the seeder is held to the same rate.
    QCOMPARE(test::startHybridNginx(nginx_, root_.path()), QString());
  }

  void httpTaskWithMagnetTakesBytesFromBoth() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    auto seeder = startSeeder(2 * 1024 * 1024);
    QVERIFY(seeder);
    const std::string origin = url("/slow/file.bin");
    QTemporaryDir out;
    test::EngineSession session;
    AddParams params;
    params.source = origin;
    params.alsoFrom = "magnet:?xt=urn:btih:" + infoHashHex_;
    params.saveDir = out.path().toStdString();
    params.peers = {seeder->address().toStdString()};
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);
    const auto end = session.waitForEnd(id, 90s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(verify(out.path()), QString());
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Completed; }));
    const TaskSnapshot s = session.settledSnapshot(id);
    qInfo("%s", qPrintable(counts(s)));
    // One torrent task: the magnet is its source, the URL its origin.
    QCOMPARE(s.kind, TaskKind::Magnet);
    QCOMPARE(s.source, params.alsoFrom);
    const SourceSnapshot* source = sourceFor(s, origin);
    QVERIFY(source != nullptr);
    QCOMPARE(source->kind, SourceKind::Http);
    QVERIFY2(source->state != SourceSnapshot::State::Dropped, source->errorDetail.c_str());
    QCOMPARE(source->downloaded, s.traffic.http);
    QVERIFY2(s.traffic.bt > 0 && s.traffic.http > 0, qPrintable(counts(s)));
    QCOMPARE(s.traffic.cdn, 0u);  // the origin is not a CDN
    const std::uint64_t size = static_cast<std::uint64_t>(content_.size());
    const std::uint64_t carried = s.traffic.bt + s.traffic.http;
    QVERIFY2(carried >= size && carried <= size + kPiece, qPrintable(counts(s)));
  }

  void originOfAnotherSizeIsDroppedAndTheSwarmFinishes() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    auto seeder = startSeeder(4 * 1024 * 1024);
    QVERIFY(seeder);
    const std::string origin = url("/other/file.bin");
    QTemporaryDir out;
    test::EngineSession session;
    AddParams params;
    params.source = torrent_.toStdString();
    params.alsoFrom = origin;
    params.saveDir = out.path().toStdString();
    params.peers = {seeder->address().toStdString()};
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);
    // Dropped at its first answer, long before the swarm is done.
    QVERIFY(session.waitForSnapshot(id, [&](const TaskSnapshot& s) {
      const SourceSnapshot* source = sourceFor(s, origin);
      return source != nullptr && source->state == SourceSnapshot::State::Dropped;
    }));
    const auto end = session.waitForEnd(id, 90s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(verify(out.path()), QString());
    const TaskSnapshot s = session.settledSnapshot(id);
    qInfo("%s", qPrintable(counts(s)));
    const SourceSnapshot* source = sourceFor(s, origin);
    QVERIFY(source != nullptr);
    QCOMPARE(source->kind, SourceKind::Http);
    QCOMPARE(source->state, SourceSnapshot::State::Dropped);
    QCOMPARE(source->error, ErrorCode::RemoteChanged);
    const std::string expected = std::to_string(content_.size() + 1) +
                                 " bytes where the torrent's file has " +
                                 std::to_string(content_.size());
    QVERIFY2(source->errorDetail.find(expected) != std::string::npos, source->errorDetail.c_str());
    QCOMPARE(s.traffic.http, 0u);  // nothing of it was taken
    QVERIFY(s.traffic.bt >= static_cast<std::uint64_t>(content_.size()));
    // Its one request, and no retry after it.
    QCOMPARE(nginx_->accessLog().count("/other/file.bin"), 1);
  }

  void pairsThatCannotBeOneTaskAreRefused() {
    QTemporaryDir out;
    test::EngineSession session;
    const auto refused = [&](const std::string& source, const std::string& alsoFrom) {
      AddParams params;
      params.source = source;
      params.alsoFrom = alsoFrom;
      params.saveDir = out.path().toStdString();
      Result<TaskId> added = session.engine().add(params);
      return added ? std::string() : added.error().detail;
    };
    const std::string magnet = "magnet:?xt=urn:btih:" + infoHashHex_;
    QVERIFY(refused(url("/data/file.bin"), url("/slow/file.bin")).find("mirror") !=
            std::string::npos);
    QVERIFY(refused(torrent_.toStdString(), magnet).find("two torrents") != std::string::npos);
    QVERIFY(refused(magnet, "ftp://127.0.0.1/file.bin").find("ftp") != std::string::npos);
    // A multi-file torrent's origin is the folder that holds its top folder.
    const std::string file = refused(multiTorrent_.toStdString(), url("/multi/set/a.bin"));
    QVERIFY2(file.find("ending in '/'") != std::string::npos, file.c_str());
    QCOMPARE(refused(multiTorrent_.toStdString(), url("/multi/")), std::string());
  }
};

QTEST_GUILESS_MAIN(TstHybridOrigin)
#include "tst_hybrid_origin.moc"
