// The torrent task's web seeds behind a fake in-memory client (no HTTP): a
// torrent whose only source is a web seed completes, in runs of whole pieces;
// a seed serving bad bytes is dropped with its reason and another finishes;
// the mirrors given with a torrent are web seeds too; the origin URL given
// with it (AddParams::alsoFrom) is one more seed whose bytes count as HTTP;
// a seed that keeps failing is dropped after its retries; skipped files are
// not fetched; a pause cancels the fetch in flight and a resume finishes.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>

#include "engine/api/TorrentCreator.h"
#include "engine/bt/BtShared.h"
#include "engine/bt/WebSeed.h"
#include "engine/session/EngineImpl.h"
#include "engine/session/TaskFactory.h"
#include "engine/storage/FileIo.h"
#include "support/SourceLookup.h"
#include "unit/webseed/FakeWebSeed.h"

using namespace tributary;
using namespace std::chrono_literals;
using test::sourceFor;

namespace {

constexpr std::uint64_t kPieceSize = 64 * 1024;

QByteArray randomBytes(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  QByteArray bytes(static_cast<qsizetype>(size), Qt::Uninitialized);
  for (auto& b : bytes) {
    b = static_cast<char>(rng() & 0xFF);
  }
  return bytes;
}

// An engine whose torrents reach their web seeds through a FakeWebSeedFactory,
// with every snapshot and event kept for the test thread.
class Harness {
 public:
  explicit Harness(const std::string& contentParent)
      : fake(std::make_shared<test::FakeWebSeedFactory>(contentParent)) {
    EngineConfig config;
    config.loopThreads = 2;
    config.workerThreads = 2;
    config.tick = 50ms;
    config.enableDht = config.enablePex = config.enableLsd = config.enableUtp = false;
    config.logToStderr = true;
    config.logLevel =
        std::getenv("TRIBUTARY_TEST_LOG") != nullptr ? LogLevel::Debug : LogLevel::Error;
    auto factory = session::makeDefaultTaskFactory(config);
    factory->btShared()->webSeeds = fake;
    engine =
        std::make_unique<session::EngineImpl>(config, std::move(factory), storage::systemFileIo());
    engine->subscribe(
        [this](const Update& u) {
          std::lock_guard lock(mutex_);
          for (const TaskSnapshot& t : u.tasks) {
            latest_[t.id] = t;
          }
          changed_.notify_all();
        },
        [this](const Event& e) {
          std::lock_guard lock(mutex_);
          events_.push_back(e);
          changed_.notify_all();
        });
  }

  // The engine calls into the members below: it goes first.
  ~Harness() { engine.reset(); }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  template <class Pred>
  bool waitFor(TaskId id, Pred pred, std::chrono::milliseconds deadline = 30s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] {
      auto it = latest_.find(id);
      return it != latest_.end() && pred(it->second);
    });
  }
  bool waitForEvent(TaskId id, Event::Kind kind, std::chrono::milliseconds deadline = 30s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [&] {
      return std::any_of(events_.begin(), events_.end(),
                         [&](const Event& e) { return e.task == id && e.kind == kind; });
    });
  }
  TaskSnapshot latest(TaskId id) {
    std::lock_guard lock(mutex_);
    return latest_[id];
  }

  std::shared_ptr<test::FakeWebSeedFactory> fake;
  std::unique_ptr<Engine> engine;

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<TaskId, TaskSnapshot> latest_;
  std::vector<Event> events_;
};

}  // namespace

class TstTorrentWebSeeds : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QMap<QString, QByteArray> files_;  // relative path -> content
  std::uint64_t total_ = 0;

  QString seedParent() const { return dir_.filePath("seed"); }

  // A .torrent of the content listing `webSeeds` in its url-list.
  QString makeTorrent(const std::vector<std::string>& webSeeds, const QString& name) {
    CreateTorrentParams params;
    params.path = QDir(seedParent()).filePath("content").toStdString();
    params.webSeeds = webSeeds;
    params.pieceSize = kPieceSize;
    params.creationDate = 0;
    auto made = createTorrent(params);
    if (!made) {
      return {};
    }
    const QString path = dir_.filePath(name);
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly)) {
      return {};
    }
    out.write(made.value().bytes.data(), static_cast<qint64>(made.value().bytes.size()));
    return path;
  }

  // Empty when every file under `parent` has its content; `skip` is not checked.
  QString verify(const QString& parent, const QString& skip = {}) const {
    for (auto it = files_.begin(); it != files_.end(); ++it) {
      if (it.key() == skip) {
        continue;
      }
      QFile file(QDir(parent).filePath(it.key()));
      if (!file.open(QIODevice::ReadOnly)) {
        return it.key() + " is missing";
      }
      if (file.readAll() != it.value()) {
        return it.key() + " differs";
      }
    }
    return {};
  }

  AddParams paramsFor(const QString& torrent, const QString& saveDir) const {
    AddParams params;
    params.source = torrent.toStdString();
    params.saveDir = saveDir.toStdString();
    return params;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    // Odd sizes, so pieces cross files; torrent order: a.bin, c.bin, sub/b.bin.
    files_["content/a.bin"] = randomBytes(3 * 1024 * 1024 + 123, 1);
    files_["content/c.bin"] = randomBytes(5 * 1024 * 1024 + 77, 2);
    files_["content/sub/b.bin"] = randomBytes(700 * 1024 + 5, 3);
    for (auto it = files_.begin(); it != files_.end(); ++it) {
      const QString path = QDir(seedParent()).filePath(it.key());
      QVERIFY(QDir().mkpath(QFileInfo(path).path()));
      QFile file(path);
      QVERIFY(file.open(QIODevice::WriteOnly));
      QCOMPARE(file.write(it.value()), it.value().size());
      total_ += static_cast<std::uint64_t>(it.value().size());
    }
  }

  void completesFromAWebSeedAlone() {
    const QString torrent = makeTorrent({"fake://good/"}, "one.torrent");
    QVERIFY(!torrent.isEmpty());
    QTemporaryDir save;
    Harness h(seedParent().toStdString());
    const auto id = h.engine->add(paramsFor(torrent, save.path()));
    QVERIFY(id.ok());
    QVERIFY(h.waitForEvent(id.value(), Event::Kind::Completed));
    QCOMPARE(verify(save.path()), QString());
    QVERIFY(h.waitFor(id.value(), [&](const TaskSnapshot& s) {
      return s.state == TaskState::Completed && s.traffic.cdn == total_;
    }));
    const TaskSnapshot s = h.latest(id.value());
    QCOMPARE(s.traffic.bt, 0u);
    QCOMPARE(s.sources.size(), std::size_t{1});
    QCOMPARE(s.sources[0].kind, SourceKind::Cdn);
    QCOMPARE(s.sources[0].url, std::string("fake://good/"));
    QCOMPARE(s.sources[0].downloaded, total_);
    QVERIFY(s.sources[0].state != SourceSnapshot::State::Dropped);
    // Runs of whole pieces, sized to the seed's rate (64 MiB at most), that
    // never overlap.
    const auto fetches = h.fake->fetches();
    QVERIFY(fetches.size() >= 2);
    std::vector<int> fetched(static_cast<std::size_t>((total_ + kPieceSize - 1) / kPieceSize));
    for (const auto& f : fetches) {
      QVERIFY(f.length >= 1 && f.length <= (64u << 20));
      QCOMPARE(f.offset % kPieceSize, 0u);
      QVERIFY(f.length % kPieceSize == 0 || f.offset + f.length == total_);
      for (std::uint64_t p = f.offset / kPieceSize; p * kPieceSize < f.offset + f.length; ++p) {
        QVERIFY(p < fetched.size());
        ++fetched[p];
      }
    }
    QVERIFY(std::all_of(fetched.begin(), fetched.end(), [](int n) { return n == 1; }));
    QCOMPARE(h.fake->inFlight(), 0);
    h.engine.reset();
    QCOMPARE(h.fake->clientsAlive(), 0);
  }

  void seedWithBadDataIsDroppedAndAnotherFinishes() {
    const QString torrent = makeTorrent({"fake://bad/", "fake://good/"}, "two.torrent");
    QVERIFY(!torrent.isEmpty());
    QTemporaryDir save;
    Harness h(seedParent().toStdString());
    // The first seed takes the first run: its piece 1 is garbled.
    h.fake->setBehaviour("fake://bad/", {kPieceSize + 100, kPieceSize + 200});
    const auto id = h.engine->add(paramsFor(torrent, save.path()));
    QVERIFY(id.ok());
    QVERIFY(h.waitForEvent(id.value(), Event::Kind::Completed));
    QCOMPARE(verify(save.path()), QString());
    QVERIFY(h.waitFor(id.value(), [](const TaskSnapshot& s) {
      return s.state == TaskState::Completed && s.sources.size() == 2;
    }));
    const TaskSnapshot s = h.latest(id.value());
    const SourceSnapshot* bad = sourceFor(s, "fake://bad/");
    const SourceSnapshot* good = sourceFor(s, "fake://good/");
    QVERIFY(bad != nullptr && good != nullptr);
    QCOMPARE(bad->state, SourceSnapshot::State::Dropped);
    QCOMPARE(bad->error, ErrorCode::ChecksumMismatch);
    QVERIFY2(bad->errorDetail.find("piece 1 ") != std::string::npos, bad->errorDetail.c_str());
    QVERIFY(good->state != SourceSnapshot::State::Dropped);
    QVERIFY(good->downloaded > 0);
    QVERIFY(s.torrent && s.torrent->wastedBytes >= kPieceSize);
    QCOMPARE(s.traffic.cdn, bad->downloaded + good->downloaded);
    // Only the live seed is in the peer list, as a web seed.
    QCOMPARE(s.torrent->peers.size(), std::size_t{1});
    QCOMPARE(s.torrent->peers[0].source, PeerSource::WebSeed);
    QCOMPARE(s.torrent->peers[0].transport, PeerSnapshot::Transport::Web);
  }

  void seedThatKeepsFailingIsDropped() {
    const QString torrent = makeTorrent({"fake://gone/"}, "gone.torrent");
    QVERIFY(!torrent.isEmpty());
    QTemporaryDir save;
    Harness h(seedParent().toStdString());
    test::FakeSeedBehaviour gone;
    gone.failWith = ErrorCode::HttpNotFound;
    h.fake->setBehaviour("fake://gone/", gone);
    const auto id = h.engine->add(paramsFor(torrent, save.path()));
    QVERIFY(id.ok());
    // Back-off 1 + 2 + 4 + 8 s between the five tries.
    QVERIFY(h.waitFor(
        id.value(),
        [](const TaskSnapshot& s) {
          return s.sources.size() == 1 && s.sources[0].state == SourceSnapshot::State::Dropped;
        },
        40s));
    const TaskSnapshot s = h.latest(id.value());
    QCOMPARE(s.sources[0].error, ErrorCode::HttpNotFound);
    QVERIFY(s.sources[0].errorDetail.find("fake://gone/") != std::string::npos);
    QCOMPARE(h.fake->fetches().size(), std::size_t{bt::WebSeed::kMaxFailures});
    QCOMPARE(s.state, TaskState::Downloading);  // waiting for peers now
  }

  void mirrorsOfATorrentAreWebSeeds() {
    const QString torrent = makeTorrent({}, "mirror.torrent");
    QVERIFY(!torrent.isEmpty());
    QTemporaryDir save;
    Harness h(seedParent().toStdString());
    AddParams params = paramsFor(torrent, save.path());
    params.mirrors = {"fake://mirror/", "fake://mirror/", "no-scheme"};
    const auto id = h.engine->add(params);
    QVERIFY(id.ok());
    QVERIFY(h.waitForEvent(id.value(), Event::Kind::Completed));
    QCOMPARE(verify(save.path()), QString());
    QVERIFY(h.waitFor(id.value(), [&](const TaskSnapshot& s) {
      return s.state == TaskState::Completed && s.traffic.cdn == total_;
    }));
    // Each URL once; one no client takes is listed as dropped, with why.
    const TaskSnapshot s = h.latest(id.value());
    QCOMPARE(s.sources.size(), std::size_t{2});
    QCOMPARE(s.sources[0].url, std::string("fake://mirror/"));
    QCOMPARE(s.sources[0].downloaded, total_);
    QCOMPARE(s.sources[1].state, SourceSnapshot::State::Dropped);
    QCOMPARE(s.sources[1].error, ErrorCode::InvalidArgument);
  }

  void originCountsAsHttpBesideACdnSeed() {
    const QString torrent = makeTorrent({"fake://good/"}, "origin.torrent");
    QVERIFY(!torrent.isEmpty());
    QTemporaryDir save;
    Harness h(seedParent().toStdString());
    AddParams params = paramsFor(torrent, save.path());
    const std::string origin = "http://fake.origin/pub/";
    params.alsoFrom = origin;
    const auto id = h.engine->add(params);
    QVERIFY2(id.ok(), id.ok() ? "" : id.error().detail.c_str());
    QVERIFY(h.waitForEvent(id.value(), Event::Kind::Completed));
    QCOMPARE(verify(save.path()), QString());
    QVERIFY(h.waitFor(id.value(), [&](const TaskSnapshot& s) {
      return s.state == TaskState::Completed && s.traffic.downloaded() >= total_;
    }));
    const TaskSnapshot s = h.latest(id.value());
    // In endgame the faster seed may race the other's last blocks: what the
    // loser brought is wasted, and counted as such.
    const std::uint64_t wasted = s.torrent ? s.torrent->wastedBytes : 0;
    QVERIFY2(s.traffic.downloaded() <= total_ + wasted,
             qPrintable(QString("downloaded %1, total %2, wasted %3")
                            .arg(s.traffic.downloaded())
                            .arg(total_)
                            .arg(wasted)));
    const SourceSnapshot* http = sourceFor(s, origin);
    const SourceSnapshot* cdn = sourceFor(s, "fake://good/");
    QVERIFY(http != nullptr && cdn != nullptr);
    QCOMPARE(s.sources.front().url, origin);  // listed first
    QCOMPARE(http->kind, SourceKind::Http);
    QCOMPARE(cdn->kind, SourceKind::Cdn);
    // Both took runs, each byte counted under its own kind.
    QVERIFY2(http->downloaded > 0 && cdn->downloaded > 0,
             qPrintable(QString("http %1, cdn %2").arg(http->downloaded).arg(cdn->downloaded)));
    QCOMPARE(s.traffic.http, http->downloaded);
    QCOMPARE(s.traffic.cdn, cdn->downloaded);
    QCOMPARE(s.traffic.bt, 0u);
  }

  void skippedFilesAreNotFetched() {
    const QString torrent = makeTorrent({"fake://good/"}, "skip.torrent");
    QVERIFY(!torrent.isEmpty());
    QTemporaryDir save;
    Harness h(seedParent().toStdString());
    AddParams params = paramsFor(torrent, save.path());
    params.filePriorities = {1, 0, 1};  // c.bin skipped
    const auto id = h.engine->add(params);
    QVERIFY(id.ok());
    QVERIFY(h.waitForEvent(id.value(), Event::Kind::Completed));
    QCOMPARE(verify(save.path(), "content/c.bin"), QString());
    // c.bin spans bytes [a, a + c): pieces wholly inside it are never asked for.
    const std::uint64_t cBegin = static_cast<std::uint64_t>(files_["content/a.bin"].size());
    const std::uint64_t cEnd = cBegin + static_cast<std::uint64_t>(files_["content/c.bin"].size());
    for (const auto& f : h.fake->fetches()) {
      for (std::uint64_t p = f.offset / kPieceSize; p * kPieceSize < f.offset + f.length; ++p) {
        const std::uint64_t begin = p * kPieceSize;
        QVERIFY2(!(begin >= cBegin && begin + kPieceSize <= cEnd),
                 qPrintable(QString("piece %1 of the skipped file was fetched").arg(p)));
      }
    }
  }

  void pauseCancelsTheFetchAndResumeFinishes() {
    const QString torrent = makeTorrent({"fake://slow/"}, "pause.torrent");
    QVERIFY(!torrent.isEmpty());
    QTemporaryDir save;
    Harness h(seedParent().toStdString());
    test::FakeSeedBehaviour hang;
    hang.hangFirstFetchAfter = 300'000;
    h.fake->setBehaviour("fake://slow/", hang);
    const auto id = h.engine->add(paramsFor(torrent, save.path()));
    QVERIFY(id.ok());
    QVERIFY(h.waitFor(id.value(), [](const TaskSnapshot& s) { return s.traffic.cdn >= 300'000; }));
    QCOMPARE(h.fake->inFlight(), 1);
    h.engine->pause(id.value());
    QVERIFY(
        h.waitFor(id.value(), [](const TaskSnapshot& s) { return s.state == TaskState::Paused; }));
    QTRY_COMPARE_WITH_TIMEOUT(h.fake->inFlight(), 0, 5000);
    h.engine->resume(id.value());
    QVERIFY(h.waitForEvent(id.value(), Event::Kind::Completed));
    QCOMPARE(verify(save.path()), QString());
    h.engine->remove(id.value(), false);
    h.engine.reset();
    QCOMPARE(h.fake->inFlight(), 0);
    QCOMPARE(h.fake->clientsAlive(), 0);
  }
};

QTEST_GUILESS_MAIN(TstTorrentWebSeeds)
#include "tst_torrent_webseeds.moc"
