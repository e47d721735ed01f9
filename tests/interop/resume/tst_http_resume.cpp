// An HTTP task across engine restarts (support/BadHttpServer on 127.0.0.1).
// The first run leaves 64 KiB on disk (the server stalls after them); the
// second run must ask from the first missing byte (without If-Range: the 206's
// validators tell a changed file), so nothing already on disk is sent twice,
// and still come out exact when the server now ignores Range or the file
// changed in between, or when it is paused while NAME.part is being opened
// after the probe. Then the order of a save:
// the resume file never claims bytes NAME.part has not fsynced (aria2's order),
// checked by a FileIo that keeps a ledger of written and synced ranges.
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>

#include "engine/api/Engine.h"
#include "engine/core/ByteRanges.h"
#include "engine/http/ResumeFile.h"
#include "support/BadHttpServer.h"
#include "support/EngineSession.h"

using namespace tributary;
using namespace std::chrono_literals;
using test::BadHttpServer;
using test::Behaviour;
using test::EngineSession;
using test::Route;

namespace {

constexpr std::size_t kSize = 2 * 1024 * 1024 + 77;
constexpr std::uint64_t kFirstRun = 64 * 1024;  // what the stalled first run gets
const std::string kPath = "/f.bin";

std::string payload(std::size_t size, unsigned seed) {
  const QByteArray bytes = test::randomBytes(size, seed);
  return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

std::string contentOf(const QString& path) {
  const QByteArray bytes = test::fileContent(path);
  return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

bool endsWith(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         std::string_view(text).substr(text.size() - suffix.size()) == suffix;
}

// The written and synced byte ranges of every NAME.part, and each claim (a
// resume file renamed into place) checked against them.
struct Ledger {
  std::mutex mutex;
  core::ByteRanges written;
  core::ByteRanges synced;
  int syncs = 0;
  int claims = 0;
  int violations = 0;
  std::string firstViolation;
};

class LedgerFile final : public storage::File {
 public:
  LedgerFile(std::unique_ptr<storage::File> inner, std::shared_ptr<Ledger> ledger)
      : inner_(std::move(inner)), ledger_(std::move(ledger)) {}
  Result<void> writeAt(std::uint64_t offset, std::span<const std::byte> data) override {
    auto written = inner_->writeAt(offset, data);
    if (written) {
      std::lock_guard lock(ledger_->mutex);
      ledger_->written.add(offset, offset + data.size());
    }
    return written;
  }
  Result<std::size_t> readAt(std::uint64_t offset, std::span<std::byte> data) override {
    return inner_->readAt(offset, data);
  }
  Result<void> sync() override {
    core::ByteRanges before;
    {
      std::lock_guard lock(ledger_->mutex);
      before = ledger_->written;  // only what was written before the fsync began is durable
    }
    auto synced = inner_->sync();
    if (synced) {
      std::lock_guard lock(ledger_->mutex);
      ledger_->synced.add(before);
      ++ledger_->syncs;
    }
    return synced;
  }
  Result<void> resize(std::uint64_t size, bool allocate) override {
    return inner_->resize(size, allocate);
  }
  Result<std::uint64_t> size() override { return inner_->size(); }

 private:
  std::unique_ptr<storage::File> inner_;
  std::shared_ptr<Ledger> ledger_;
};

class LedgerFileIo final : public storage::FileIo {
 public:
  std::shared_ptr<Ledger> ledger = std::make_shared<Ledger>();

  Result<std::unique_ptr<storage::File>> open(const std::string& path, OpenMode mode) override {
    auto file = inner_->open(path, mode);
    if (!file || !endsWith(path, ".part")) {
      return file;
    }
    if (mode == OpenMode::WriteTruncate) {
      std::lock_guard lock(ledger->mutex);
      ledger->written.clear();
      ledger->synced.clear();
    }
    return std::unique_ptr<storage::File>(
        std::make_unique<LedgerFile>(std::move(file.value()), ledger));
  }
  Result<storage::FileStat> stat(const std::string& path) override { return inner_->stat(path); }
  Result<void> rename(const std::string& from, const std::string& to) override {
    if (endsWith(to, ".part.tributary")) {
      check(from);
    }
    return inner_->rename(from, to);
  }
  Result<void> remove(const std::string& path) override { return inner_->remove(path); }
  Result<void> makeDirectories(const std::string& path) override {
    return inner_->makeDirectories(path);
  }
  Result<void> syncDirectory(const std::string& dir) override { return inner_->syncDirectory(dir); }

 private:
  void check(const std::string& newResumeFile) {
    std::ifstream in(newResumeFile, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto state = http::decodeResume(text);
    std::lock_guard lock(ledger->mutex);
    ++ledger->claims;
    if (!state) {
      ++ledger->violations;
      ledger->firstViolation = "unreadable claim: " + state.error().detail;
      return;
    }
    for (const core::ByteRange& range : state.value().done) {
      if (!ledger->synced.containsAll(range.begin, range.end)) {
        if (ledger->violations++ == 0) {
          ledger->firstViolation = "claims " + std::to_string(range.begin) + "-" +
                                   std::to_string(range.end) + " with " +
                                   std::to_string(ledger->synced.coveredBytes()) + " bytes synced";
        }
      }
    }
  }

  std::shared_ptr<storage::FileIo> inner_ = storage::systemFileIo();
};

// Holds the first open of a NAME.part (on its worker) until release(), so a
// test can act while the task is opening its file. Waits are bounded.
class GateFileIo final : public storage::FileIo {
 public:
  Result<std::unique_ptr<storage::File>> open(const std::string& path, OpenMode mode) override {
    if (endsWith(path, ".part")) {
      std::unique_lock lock(mutex_);
      if (!entered_) {
        entered_ = true;
        changed_.notify_all();
        changed_.wait_for(lock, 10s, [this] { return released_; });
      }
    }
    return inner_->open(path, mode);
  }
  Result<storage::FileStat> stat(const std::string& path) override { return inner_->stat(path); }
  Result<void> rename(const std::string& from, const std::string& to) override {
    return inner_->rename(from, to);
  }
  Result<void> remove(const std::string& path) override { return inner_->remove(path); }
  Result<void> makeDirectories(const std::string& path) override {
    return inner_->makeDirectories(path);
  }
  Result<void> syncDirectory(const std::string& dir) override { return inner_->syncDirectory(dir); }

  bool waitEntered(std::chrono::milliseconds deadline) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, deadline, [this] { return entered_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::shared_ptr<storage::FileIo> inner_ = storage::systemFileIo();
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false;
  bool released_ = false;
};

AddParams taskFor(const BadHttpServer& server, const QTemporaryDir& dir, unsigned connections) {
  AddParams params;
  params.source = server.url(kPath);
  params.saveDir = dir.path().toStdString();
  params.connections = connections;
  return params;
}

Route route(Behaviour behaviour, std::string body, std::string etag) {
  Route r;
  r.behaviour = behaviour;
  r.payload = std::move(body);
  r.etag = std::move(etag);
  return r;
}

}  // namespace

class TestHttpResume : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCOMPARE(server_.start(), std::string());
    v1_ = payload(kSize, 1);
    v2_ = payload(kSize, 2);
  }

  void restartAsksFromTheFirstMissingByte() {
    QTemporaryDir out;
    QVERIFY(firstRun(out));
    server_.setRoute(kPath, route(Behaviour::Normal, v1_, "\"v1\""));
    const std::size_t before = server_.requests(kPath).size();
    QVERIFY(secondRun(out));
    QCOMPARE(contentOf(out.filePath("f.bin")), v1_);
    const auto seen = server_.requests(kPath);
    // One connection: the probe carries all that is missing, and nothing else is asked.
    QCOMPARE(seen.size(), before + 1);
    QCOMPARE(seen[before].range, "bytes=" + std::to_string(kFirstRun) + "-");
    QVERIFY(seen[before].ifRange.empty());
    QVERIFY(!QFile::exists(out.filePath("f.bin.part.tributary")));
  }

  void pauseWhileOpeningKeepsWhatIsOnDisk() {
    QTemporaryDir out;
    QVERIFY(firstRun(out));
    server_.setRoute(kPath, route(Behaviour::Normal, v1_, "\"v1\""));
    const std::size_t before = server_.requests(kPath).size();
    auto io = std::make_shared<GateFileIo>();
    {
      EngineSession session(io);
      const TaskId id = session.add(taskFor(server_, out, 1));
      // The probe was answered and NAME.part is being opened: pause right there.
      const bool entered = io->waitEntered(10s);
      session.engine().pause(id);
      const bool paused = session.waitForSnapshot(
          id, [](const TaskSnapshot& s) { return s.state == TaskState::Paused; });
      io->release();
      QVERIFY(entered);
      QVERIFY(paused);
      session.engine().resume(id);
      const auto end = session.waitForEnd(id, 30s);
      QVERIFY(end && end->kind == Event::Kind::Completed);
    }
    QCOMPARE(contentOf(out.filePath("f.bin")), v1_);
    // Both probes asked from the first missing byte: nothing on disk came again.
    const auto seen = server_.requests(kPath);
    QCOMPARE(seen.size(), before + 2);
    for (std::size_t i = before; i < seen.size(); ++i) {
      QCOMPARE(seen[i].range, "bytes=" + std::to_string(kFirstRun) + "-");
    }
  }

  void serverThatNowIgnoresRangeStillGivesTheFile() {
    QTemporaryDir out;
    QVERIFY(firstRun(out));
    server_.setRoute(kPath, route(Behaviour::IgnoreRange, v1_, "\"v1\""));
    const std::size_t before = server_.requests(kPath).size();
    QVERIFY(secondRun(out));
    QCOMPARE(contentOf(out.filePath("f.bin")), v1_);
    // The 200 body from byte 0 was kept: no second request.
    QCOMPARE(server_.requests(kPath).size(), before + 1);
  }

  void fileChangedBetweenRunsStartsOver() {
    QTemporaryDir out;
    QVERIFY(firstRun(out));
    server_.setRoute(kPath, route(Behaviour::Normal, v2_, "\"v2\""));
    const std::size_t before = server_.requests(kPath).size();
    QVERIFY(secondRun(out));
    QCOMPARE(contentOf(out.filePath("f.bin")), v2_);
    const auto seen = server_.requests(kPath);
    QVERIFY(seen.size() >= before + 2);
    // Answered with a 206 of "v2": another file, asked again from byte 0.
    QCOMPARE(seen[before].range, "bytes=" + std::to_string(kFirstRun) + "-");
    QVERIFY(seen[before].ifRange.empty());
    QCOMPARE(seen[before + 1].range, std::string("bytes=0-"));
    QVERIFY(seen[before + 1].ifRange.empty());
  }

  // Paused, then the file changes: the resumed probe from the first missing
  // byte finds another version and asks again from byte 0. The old writes and
  // saves end before NAME.part is truncated, so the result is exactly the new
  // version and no claim (checked by the ledger) covers bytes of the old one.
  void fileChangedWhilePausedStartsOverCleanly() {
    QTemporaryDir out;
    server_.setRoute(kPath, route(Behaviour::Normal, v1_, "\"v1\""));
    auto io = std::make_shared<LedgerFileIo>();
    std::shared_ptr<Ledger> ledger = io->ledger;
    std::size_t before = 0;
    {
      EngineSession session(io);
      AddParams params = taskFor(server_, out, 2);
      params.maxDownloadRate = 1024 * 1024;
      const TaskId id = session.add(params);
      QVERIFY(session.waitForSnapshot(
          id, [](const TaskSnapshot& s) { return s.verifiedBytes > 256 * 1024; }, 20s));
      session.engine().pause(id);
      QVERIFY(session.waitForSnapshot(
          id, [](const TaskSnapshot& s) { return s.state == TaskState::Paused; }));
      server_.setRoute(kPath, route(Behaviour::Normal, v2_, "\"v2\""));
      before = server_.requests(kPath).size();
      session.engine().setTaskLimits(id, 0, 0);
      session.engine().resume(id);
      const auto end = session.waitForEnd(id, 30s);
      QVERIFY(end && end->kind == Event::Kind::Completed);
    }
    QCOMPARE(contentOf(out.filePath("f.bin")), v2_);
    QVERIFY(!QFile::exists(out.filePath("f.bin.part.tributary")));
    const auto seen = server_.requests(kPath);
    QVERIFY(seen.size() >= before + 2);
    QVERIFY(seen[before].range != "bytes=0-");  // from the first missing byte
    QCOMPARE(seen[before + 1].range, std::string("bytes=0-"));
    std::lock_guard lock(ledger->mutex);
    QVERIFY2(ledger->violations == 0, ledger->firstViolation.c_str());
  }

  void resumeDataClaimsOnlySyncedBytes() {
    QTemporaryDir out;
    server_.setRoute(kPath, route(Behaviour::Normal, v1_, "\"v1\""));
    auto io = std::make_shared<LedgerFileIo>();
    std::shared_ptr<Ledger> ledger = io->ledger;
    {
      EngineSession session(io);
      AddParams params = taskFor(server_, out, 4);
      params.maxDownloadRate = 512 * 1024;  // ~4 s: periodic saves happen
      const TaskId id = session.add(params);
      QVERIFY(id != kInvalidTaskId);
      QVERIFY(session.waitForSnapshot(
          id, [](const TaskSnapshot& s) { return s.verifiedBytes > 1024 * 1024; }, 20s));
      session.engine().pause(id);
      QVERIFY(session.waitForSnapshot(
          id, [](const TaskSnapshot& s) { return s.state == TaskState::Paused; }));
      session.engine().resume(id);
      const auto end = session.waitForEnd(id, 30s);
      QVERIFY(end && end->kind == Event::Kind::Completed);
    }
    QCOMPARE(contentOf(out.filePath("f.bin")), v1_);
    std::lock_guard lock(ledger->mutex);
    qInfo("%d claims, %d syncs", ledger->claims, ledger->syncs);
    QVERIFY2(ledger->violations == 0, ledger->firstViolation.c_str());
    QVERIFY(ledger->claims >= 2);  // periodic saves and the pause's
    QVERIFY(ledger->syncs >= ledger->claims);
  }

 private:
  // Leaves kFirstRun bytes on disk and the resume file that says so.
  bool firstRun(const QTemporaryDir& out) {
    Route stall = route(Behaviour::StallBody, v1_, "\"v1\"");
    stall.dropAfterBytes = kFirstRun;
    server_.setRoute(kPath, stall);
    EngineSession session;
    const TaskId id = session.add(taskFor(server_, out, 1));
    const bool got = session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.verifiedBytes == kFirstRun; }, 20s);
    session.stop();
    return got && QFile::exists(out.filePath("f.bin.part.tributary"));
  }

  bool secondRun(const QTemporaryDir& out) {
    EngineSession session;
    const TaskId id = session.add(taskFor(server_, out, 1));
    const auto end = session.waitForEnd(id, 30s);
    return end && end->kind == Event::Kind::Completed;
  }

  BadHttpServer server_;
  std::string v1_;
  std::string v2_;
};

QTEST_GUILESS_MAIN(TestHttpResume)
#include "tst_http_resume.moc"
