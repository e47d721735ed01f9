// Web seeds through the whole engine against nginx on 127.0.0.1 (BEP 19):
// a multi-file torrent whose only source is a web seed completes and every
// file matches its SHA-256; with a first seed serving a corrupted file, that
// seed is dropped with its reason and the task completes from the other;
// with a rate-limited libtorrent seeder beside a web seed, both kinds carry
// bytes and BT + CDN add up to the bytes written.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>

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

QByteArray sha256(const QByteArray& bytes) {
  return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

}  // namespace

class TstWebSeedNginx : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir root_;             // nginx's root: good/content/..., bad/content/...
  QTemporaryDir work_;             // the .torrent files
  QMap<QString, QByteArray> sha_;  // "content/..." -> SHA-256
  std::unique_ptr<test::NginxServer> nginx_;
  std::uint64_t total_ = 0;

  std::string url(const QString& path) const { return (nginx_->baseUrl() + path).toStdString(); }

  // A .torrent of good/content listing `webSeeds`.
  QString makeTorrent(const std::vector<std::string>& webSeeds, std::uint64_t pieceSize,
                      const QString& name) {
    CreateTorrentParams params;
    params.path = root_.filePath("good/content").toStdString();
    params.webSeeds = webSeeds;
    params.pieceSize = pieceSize;
    params.creationDate = 0;
    auto made = createTorrent(params);
    if (!made) {
      return {};
    }
    const QString path = work_.filePath(name);
    return writeFile(path, QByteArray::fromStdString(made.value().bytes)) ? path : QString();
  }

  QString verify(const QString& parent) const {
    for (auto it = sha_.begin(); it != sha_.end(); ++it) {
      QFile file(QDir(parent).filePath(it.key()));
      if (!file.open(QIODevice::ReadOnly)) {
        return it.key() + " is missing";
      }
      if (sha256(file.readAll()) != it.value()) {
        return it.key() + " has the wrong SHA-256";
      }
    }
    return {};
  }

  static AddParams paramsFor(const QString& torrent, const QString& dir) {
    AddParams params;
    params.source = torrent.toStdString();
    params.saveDir = dir.toStdString();
    return params;
  }

 private slots:
  void initTestCase() {
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    // Torrent order: a.bin, c.bin, "d e.bin", empty.bin, sub/b.bin. A name
    // with a space, and odd sizes so pieces cross files.
    const QMap<QString, QByteArray> files = {
        {"content/a.bin", test::randomBytes(5 * 1024 * 1024 + 1, 11)},
        {"content/c.bin", test::randomBytes(4 * 1024 * 1024 + 4097, 12)},
        {"content/d e.bin", test::randomBytes(100 * 1024 + 7, 13)},
        {"content/empty.bin", QByteArray()},
        {"content/sub/b.bin", test::randomBytes(3 * 1024 * 1024 + 333, 14)},
    };
    for (auto it = files.begin(); it != files.end(); ++it) {
      QVERIFY(writeFile(root_.filePath("good/" + it.key()), it.value()));
      QByteArray bad = it.value();
      if (it.key() == "content/a.bin") {
        bad[100000] = static_cast<char>(~bad[100000]);  // in piece 1 (64 KiB pieces)
      }
      QVERIFY(writeFile(root_.filePath("bad/" + it.key()), bad));
      sha_[it.key()] = sha256(it.value());
      total_ += static_cast<std::uint64_t>(it.value().size());
    }
    test::NginxOptions options;
    options.rootDir = root_.path();
    // For the hybrid test: a web seed slow enough that the swarm has a share.
    options.extraServerDirectives =
        QStringLiteral("location /slow/ { alias %1/good/; limit_rate 2m; }\n").arg(root_.path());
    nginx_ = std::make_unique<test::NginxServer>(options);
    QCOMPARE(nginx_->start(), QString());
  }

  void completesFromAWebSeedAlone() {
    const std::string seed = url("/good/");
    const QString torrent = makeTorrent({seed}, 64 * 1024, "alone.torrent");
    QVERIFY(!torrent.isEmpty());
    QTemporaryDir out;
    test::EngineSession session;
    const TaskId id = session.add(paramsFor(torrent, out.path()));
    QVERIFY(id != kInvalidTaskId);
    const auto end = session.waitForEnd(id, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(verify(out.path()), QString());
    QVERIFY(session.waitForSnapshot(id, [&](const TaskSnapshot& s) {
      return s.state == TaskState::Completed && s.traffic.cdn >= total_;
    }));
    const TaskSnapshot s = session.latest(id);
    QCOMPARE(s.traffic.bt, 0u);
    QCOMPARE(s.traffic.cdn, total_);  // one seed, no peers: nothing fetched twice
    const SourceSnapshot* source = sourceFor(s, seed);
    QVERIFY(source != nullptr);
    QCOMPARE(source->kind, SourceKind::Cdn);
    QVERIFY(source->state != SourceSnapshot::State::Dropped);
    QCOMPARE(source->downloaded, total_);
    // Ranged requests for the files, the name with a space percent-encoded.
    const QString log = nginx_->accessLog();
    QVERIFY2(log.contains("/good/content/d%20e.bin"), qPrintable(log.right(2000)));
    QVERIFY(log.contains(" 206 "));
  }

  void corruptSeedIsDroppedAndTheGoodOneFinishes() {
    const std::string bad = url("/bad/");
    const std::string good = url("/good/");
    // The first seed takes the first run of pieces, where its copy is wrong.
    const QString torrent = makeTorrent({bad, good}, 64 * 1024, "two.torrent");
    QVERIFY(!torrent.isEmpty());
    QTemporaryDir out;
    test::EngineSession session;
    const TaskId id = session.add(paramsFor(torrent, out.path()));
    QVERIFY(id != kInvalidTaskId);
    const auto end = session.waitForEnd(id, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(verify(out.path()), QString());
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Completed; }));
    const TaskSnapshot s = session.settledSnapshot(id);
    const SourceSnapshot* badSource = sourceFor(s, bad);
    const SourceSnapshot* goodSource = sourceFor(s, good);
    QVERIFY(badSource != nullptr && goodSource != nullptr);
    QCOMPARE(badSource->state, SourceSnapshot::State::Dropped);
    QCOMPARE(badSource->error, ErrorCode::ChecksumMismatch);
    QVERIFY2(badSource->errorDetail.find("piece 1 ") != std::string::npos,
             badSource->errorDetail.c_str());
    QVERIFY(goodSource->state != SourceSnapshot::State::Dropped);
    QVERIFY(goodSource->downloaded > 0);
    QVERIFY(s.torrent && s.torrent->wastedBytes >= 64 * 1024);
  }

  void swarmAndWebSeedBothCarryBytes() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    const std::string seed = url("/slow/");
    constexpr std::uint64_t kPiece = 256 * 1024;
    const QString torrent = makeTorrent({seed}, kPiece, "hybrid.torrent");
    QVERIFY(!torrent.isEmpty());
    test::LibtorrentPeerOptions peerOptions;
    peerOptions.torrentFile = torrent;
    peerOptions.dataDir = root_.filePath("good");
    peerOptions.uploadLimit = 2 * 1024 * 1024;
    test::LibtorrentPeer seeder(peerOptions);
    QCOMPARE(seeder.start(), QString());
    QVERIFY2(seeder.waitFinished(30s), qPrintable(seeder.output()));  // its check is over
    QTemporaryDir out;
    test::EngineSession session;
    AddParams params = paramsFor(torrent, out.path());
    params.peers = {seeder.address().toStdString()};
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);
    const auto end = session.waitForEnd(id, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(verify(out.path()), QString());
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Completed; }));
    const TaskSnapshot s = session.settledSnapshot(id);
    const QString counts = QStringLiteral("bt %1, cdn %2, total %3, wasted %4")
                               .arg(s.traffic.bt)
                               .arg(s.traffic.cdn)
                               .arg(total_)
                               .arg(s.torrent ? s.torrent->wastedBytes : 0);
    qInfo("%s", qPrintable(counts));
    QVERIFY2(s.traffic.bt > 0 && s.traffic.cdn > 0, qPrintable(counts));
    const std::uint64_t carried = s.traffic.bt + s.traffic.cdn;
    QVERIFY2(carried >= total_ && carried <= total_ + kPiece, qPrintable(counts));
  }
};

QTEST_GUILESS_MAIN(TstWebSeedNginx)
#include "tst_webseed_nginx.moc"
