// hashFileRange: digests of a real file computed on a real WorkerPool, handed
// back on the caller's loop; ranges across chunk boundaries; read errors and
// short files reported as errors; a full pool queue delays but never fails.
#include <QtTest>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/storage/FaultInjectingFileIo.h"
#include "engine/storage/FileHasher.h"
#include "engine/util/Sha.h"
#include "unit/diskio/DiskTestUtil.h"

using namespace tributary;
using namespace tributary::storage;
using namespace tributary::diskio::test;

namespace {

// Three full chunks and a ragged tail.
constexpr std::size_t kFileSize = 3 * kHashChunkSize + 12345;

std::string expectedHex(std::span<const std::byte> bytes, Checksum::Algorithm algorithm) {
  return algorithm == Checksum::Algorithm::Sha1 ? util::toHex(util::sha1(bytes))
                                                : util::toHex(util::sha256(bytes));
}

// A file whose reads wait at a gate, so the test can hold the workers busy.
class GatedReadFile final : public File {
 public:
  GatedReadFile(std::shared_ptr<File> inner, std::shared_ptr<Gate> gate)
      : inner_(std::move(inner)), gate_(std::move(gate)) {}
  Result<void> writeAt(std::uint64_t offset, std::span<const std::byte> data) override {
    return inner_->writeAt(offset, data);
  }
  Result<std::size_t> readAt(std::uint64_t offset, std::span<std::byte> data) override {
    gate_->wait();
    return inner_->readAt(offset, data);
  }
  Result<void> sync() override { return inner_->sync(); }
  Result<void> resize(std::uint64_t size, bool allocate) override {
    return inner_->resize(size, allocate);
  }
  Result<std::uint64_t> size() override { return inner_->size(); }

 private:
  std::shared_ptr<File> inner_;
  std::shared_ptr<Gate> gate_;
};

// One hash request's outcome, filled on the loop thread.
struct Outcome {
  std::promise<Result<std::string>> promise;
  std::future<Result<std::string>> future = promise.get_future();
};

}  // namespace

class TestFileHasher : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string path_;
  std::vector<std::byte> content_;

  // Submits one hash from the loop thread and waits for its result.
  Result<std::string> hashOn(Harness& h, std::shared_ptr<File> file, std::uint64_t offset,
                             std::uint64_t length, Checksum::Algorithm algorithm,
                             LoopChecks& checks) {
    Outcome outcome;
    std::unique_ptr<JobSubmitter> jobs;
    runOn(h.loop, [&] {
      jobs = std::make_unique<JobSubmitter>(h.loop, h.pool);
      hashFileRange(*jobs, std::move(file), offset, length, algorithm,
                    [&outcome, &checks, loop = &h.loop](Result<std::string> r) {
                      LOOP_EXPECT(checks, loop->isInLoopThread());
                      outcome.promise.set_value(std::move(r));
                    });
    });
    if (!waitReady(outcome.future)) {
      qFatal("hash did not finish in time");
    }
    runOn(h.loop, [&] { jobs.reset(); });
    return outcome.future.get();
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    path_ = dir_.filePath("content.bin").toStdString();
    content_ = pattern(0, kFileSize, 42);
    auto file = openFile(path_);
    QVERIFY(file);
    QVERIFY(file->writeAt(0, content_).ok());
  }

  void matchesOneShot_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<quint64>("offset");
    QTest::addColumn<quint64>("length");
    const auto sha1 = static_cast<int>(Checksum::Algorithm::Sha1);
    const auto sha256 = static_cast<int>(Checksum::Algorithm::Sha256);
    const quint64 size = kFileSize;
    const quint64 chunk = kHashChunkSize;
    for (int alg : {sha1, sha256}) {
      const char* name = alg == sha1 ? "sha1" : "sha256";
      QTest::addRow("%s whole file", name) << alg << quint64{0} << size;
      QTest::addRow("%s across chunks", name) << alg << chunk - 7 << chunk + 100;
      QTest::addRow("%s exactly one chunk", name) << alg << chunk << chunk;
      QTest::addRow("%s tail to the end", name) << alg << size - 999 << quint64{999};
      QTest::addRow("%s empty", name) << alg << quint64{17} << quint64{0};
    }
  }

  void matchesOneShot() {
    QFETCH(int, algorithm);
    QFETCH(quint64, offset);
    QFETCH(quint64, length);
    const auto alg = static_cast<Checksum::Algorithm>(algorithm);
    Harness h;
    LoopChecks checks;
    auto result = hashOn(h, openFile(path_), offset, length, alg, checks);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().toString().c_str());
    const auto expected =
        expectedHex(std::span<const std::byte>(content_).subspan(offset, length), alg);
    QCOMPARE(result.value(), expected);
    QCOMPARE(result.value().size(), alg == Checksum::Algorithm::Sha1 ? 40u : 64u);
    QVERIFY2(checks.ok(), checks.summary());
    QCOMPARE(h.stop(), 0);
  }

  void readErrorIsAnError() {
    auto io = std::make_shared<FaultInjectingFileIo>(systemFileIo());
    auto file = openFile(path_, io);
    QVERIFY(file);
    io->failReads(true);
    Harness h;
    LoopChecks checks;
    auto result = hashOn(h, file, 0, kFileSize, Checksum::Algorithm::Sha256, checks);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::IoError);
    QVERIFY2(checks.ok(), checks.summary());

    // The same file hashes fine once the disk recovers: the error came from the read.
    io->clearFaults();
    auto again = hashOn(h, file, 0, kFileSize, Checksum::Algorithm::Sha256, checks);
    QVERIFY(again.ok());
    QCOMPARE(again.value(), expectedHex(content_, Checksum::Algorithm::Sha256));
    QCOMPARE(h.stop(), 0);
  }

  void rangePastTheEndIsAnError() {
    Harness h;
    LoopChecks checks;
    auto result = hashOn(h, openFile(path_), kFileSize - 10, 11, Checksum::Algorithm::Sha1, checks);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::IoError);
    auto overflow =
        hashOn(h, openFile(path_), ~std::uint64_t{0}, 2, Checksum::Algorithm::Sha1, checks);
    QVERIFY(!overflow.ok());
    QCOMPARE(overflow.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(h.stop(), 0);
  }

  // Two workers held at a gate and a one-job queue: the rest wait in the
  // submitter, then all finish with the right digest.
  void fullPoolQueueRetries() {
    constexpr int kJobs = 8;
    auto gate = std::make_shared<Gate>();
    auto file = std::make_shared<GatedReadFile>(openFile(path_), gate);
    Harness h(2, 1);
    LoopChecks checks;
    std::mutex mutex;
    std::vector<int> order;
    std::vector<std::string> digests(kJobs);
    std::promise<void> allDone;
    auto allDoneFuture = allDone.get_future();
    std::unique_ptr<JobSubmitter> jobs;
    const std::size_t deferred = runOn(h.loop, [&] {
      jobs = std::make_unique<JobSubmitter>(h.loop, h.pool);
      for (int i = 0; i < kJobs; ++i) {
        hashFileRange(*jobs, file, static_cast<std::uint64_t>(i) * 1000, 5000,
                      Checksum::Algorithm::Sha256, [&, i](Result<std::string> r) {
                        LOOP_EXPECT(checks, r.ok());
                        std::lock_guard<std::mutex> lock(mutex);
                        digests[i] = r.ok() ? r.value() : std::string();
                        order.push_back(i);
                        if (order.size() == kJobs) {
                          allDone.set_value();
                        }
                      });
      }
      return jobs->deferred();
    });
    QVERIFY2(deferred > 0, "the pool queue never filled: the retry path was not exercised");
    gate->open();
    QVERIFY(waitReady(allDoneFuture));
    runOn(h.loop, [&] { jobs.reset(); });
    for (int i = 0; i < kJobs; ++i) {
      QCOMPARE(digests[i], expectedHex(std::span<const std::byte>(content_).subspan(i * 1000, 5000),
                                       Checksum::Algorithm::Sha256));
    }
    QCOMPARE(static_cast<int>(order.size()), kJobs);
    QVERIFY2(checks.ok(), checks.summary());
    QCOMPARE(h.stop(), 0);
  }
};

QTEST_GUILESS_MAIN(TestFileHasher)
#include "tst_file_hasher.moc"
