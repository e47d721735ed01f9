// DiskWriter: positional writes through the worker pool, exactly-once
// reporting, back-pressure, disk-full handling, safe destruction mid-write,
// a full pool queue, merging of small blocks and buffer reuse.
#include <QtTest>

#include <algorithm>
#include <random>

#include "engine/core/ByteRanges.h"
#include "engine/storage/DiskWriter.h"
#include "engine/storage/FaultInjectingFileIo.h"
#include "unit/diskio/DiskTestUtil.h"

using namespace tributary;
using namespace tributary::storage;
using namespace tributary::diskio::test;

namespace {

constexpr std::size_t kKiB = 1024;
constexpr std::size_t kMiB = 1024 * kKiB;

enum class Kind { Vector, BufferSlice, Copy };

struct Block {
  std::uint64_t offset = 0;
  std::size_t size = 0;
  Kind kind = Kind::Vector;
};

// Blocks covering [0, total) in random sizes (from 1 byte to 2 MiB), shuffled.
std::vector<Block> randomBlocks(std::uint64_t total, std::mt19937_64& rng) {
  std::vector<Block> blocks;
  std::uniform_int_distribution<int> pick(0, 9);
  for (std::uint64_t at = 0; at < total;) {
    const int p = pick(rng);
    std::size_t size = p < 4 ? std::uniform_int_distribution<std::size_t>(1, 4 * kKiB)(rng)
                       : p < 7
                           ? std::uniform_int_distribution<std::size_t>(4 * kKiB, 128 * kKiB)(rng)
                           : std::uniform_int_distribution<std::size_t>(128 * kKiB, 2 * kMiB)(rng);
    size = static_cast<std::size_t>(std::min<std::uint64_t>(size, total - at));
    blocks.push_back({at, size, static_cast<Kind>(pick(rng) % 3)});
    at += size;
  }
  std::shuffle(blocks.begin(), blocks.end(), rng);
  return blocks;
}

// The three ways a caller hands bytes over; the buffer slice has junk around
// the payload, as a socket buffer has an HTTP head or chunk framing.
WriteBlock makeBlock(const Block& b) {
  std::vector<std::byte> bytes = pattern(b.offset, b.size);
  switch (b.kind) {
    case Kind::Vector:
      return WriteBlock(std::move(bytes));
    case Kind::BufferSlice: {
      util::Buffer buffer(b.size + 32);
      buffer.append(std::string(16, 'H'));
      buffer.append(std::span<const std::byte>(bytes));
      buffer.append(std::string(16, 'T'));
      return WriteBlock(std::move(buffer), 16, b.size);
    }
    case Kind::Copy:
      return WriteBlock::copyOf(bytes);
  }
  return {};
}

// What onWritten reported (loop thread only until the test has waited).
struct Tracker {
  core::ByteRanges written;
  std::uint64_t overlaps = 0;
  std::uint64_t calls = 0;
  void add(std::uint64_t offset, std::uint64_t length) {
    if (written.intersects(offset, offset + length)) {
      ++overlaps;
    }
    written.add(offset, offset + length);
    ++calls;
  }
};

// Feeds blocks while the writer is not congested; onDrained resumes it.
struct Feeder {
  LoopChecks* checks = nullptr;
  DiskWriter* writer = nullptr;
  std::vector<Block> blocks;
  std::size_t next = 0;
  int pauses = 0;
  int drains = 0;
  std::promise<void> fed;

  void feed() {
    while (next < blocks.size()) {
      if (writer->congested()) {
        ++pauses;
        return;
      }
      LOOP_EXPECT(*checks, writer->write(blocks[next].offset, makeBlock(blocks[next])));
      ++next;
    }
    fed.set_value();
  }
};

bool matchesPattern(const std::vector<std::byte>& content, std::uint64_t from, std::uint64_t to) {
  for (std::uint64_t i = from; i < to; ++i) {
    if (i >= content.size() || content[i] != patternByte(i)) {
      return false;
    }
  }
  return true;
}

struct FlushProbe {
  std::promise<Result<void>> promise;
  std::future<Result<void>> future = promise.get_future();
  DiskWriter::DoneCallback callback() {
    return [this](Result<void> r) { promise.set_value(std::move(r)); };
  }
};

}  // namespace

class TstDiskWriter : public QObject {
  Q_OBJECT

 private slots:
  void writeBlocksViewTheCallersMemory() {
    std::vector<std::byte> bytes = pattern(0, 1000);
    const std::byte* memory = bytes.data();
    WriteBlock block(std::move(bytes));
    WriteBlock moved = std::move(block);  // moving the block keeps the bytes where they are
    QCOMPARE(moved.bytes().data(), memory);
    moved.narrow(100, 50);
    QCOMPARE(moved.size(), std::size_t{50});
    QCOMPARE(moved.bytes().data(), memory + 100);
    moved.narrow(40, 1000);  // clamped
    QCOMPARE(moved.size(), std::size_t{10});
    QCOMPARE(moved.bytes().data(), memory + 140);
    QVERIFY(!moved.holdsBuffer());
    QCOMPARE(moved.takeVector().capacity(), std::size_t{1000});
    QVERIFY(moved.empty());

    util::Buffer buffer(256);
    buffer.append("HEADbodyNEXT");
    const char* start = buffer.peek();
    WriteBlock slice(std::move(buffer), 4, 4);
    QCOMPARE(static_cast<const void*>(slice.bytes().data()), static_cast<const void*>(start + 4));
    QCOMPARE(std::string(reinterpret_cast<const char*>(slice.bytes().data()), slice.size()),
             std::string("body"));
    QCOMPARE(WriteBlock(util::Buffer(16), 4, 4).size(), std::size_t{0});  // clamped to nothing
    util::Buffer back = slice.takeBuffer();
    QCOMPARE(back.readableBytes(), std::size_t{0});
    QVERIFY(back.capacity() >= 256);
  }

  void randomOrderRandomSizesLandExactly_data() {
    QTest::addColumn<unsigned>("jobs");
    QTest::newRow("one job in flight") << 1U;
    QTest::newRow("four jobs, completing out of order") << 4U;
  }

  void randomOrderRandomSizesLandExactly() {
    QFETCH(unsigned, jobs);
    QTemporaryDir dir;
    const std::string path = dir.filePath("random.bin").toStdString();
    constexpr std::uint64_t kTotal = 64 * kMiB;
    std::mt19937_64 rng(20240611);
    Harness h;
    LoopChecks checks;
    auto file = openFile(path);
    QVERIFY(file);
    QVERIFY(file->resize(kTotal, true).ok());

    Tracker tracker;
    Feeder feeder;
    feeder.checks = &checks;
    feeder.blocks = randomBlocks(kTotal, rng);
    FlushProbe flushed;
    std::unique_ptr<DiskWriter> writer;
    int errors = 0;
    runOn(h.loop, [&] {
      DiskWriterConfig config;
      config.maxJobsInFlight = jobs;
      writer = std::make_unique<DiskWriter>(h.loop, h.pool, file, config);
      writer->setOnWritten([&](std::uint64_t o, std::uint64_t n) { tracker.add(o, n); });
      writer->setOnDrained([&] {
        ++feeder.drains;
        feeder.feed();
      });
      writer->setOnError([&](const Error&) { ++errors; });
      feeder.writer = writer.get();
      feeder.feed();
    });
    auto fed = feeder.fed.get_future();
    QVERIFY(waitReady(fed));
    runOn(h.loop, [&] { writer->sync(flushed.callback()); });
    QVERIFY(waitReady(flushed.future));
    QVERIFY(flushed.future.get().ok());

    runOn(h.loop, [&] {
      LOOP_EXPECT(checks, writer->pendingBytes() == 0);
      LOOP_EXPECT(checks, writer->jobsInFlight() == 0);
      writer.reset();
    });
    QVERIFY2(checks.ok(), checks.summary());
    QCOMPARE(errors, 0);
    QCOMPARE(tracker.overlaps, std::uint64_t{0});  // no byte reported twice
    QCOMPARE(tracker.written.coveredBytes(), kTotal);
    QCOMPARE(tracker.written.rangeCount(), std::size_t{1});
    QVERIFY(feeder.pauses > 0);  // 64 MiB fed at once must hit the 32 MiB high-water mark
    QCOMPARE(feeder.drains, feeder.pauses);
    QVERIFY(matchesPattern(readAll(path), 0, kTotal));
    QCOMPARE(h.stop(), 0);
  }

  void congestionTurnsOnAndDrainFires() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("slow.bin").toStdString();
    Harness h;
    LoopChecks checks;
    auto gate = std::make_shared<Gate>();
    auto gated = std::make_shared<GatedFile>(
        std::move(systemFileIo()->open(path, FileIo::OpenMode::ReadWrite).value()), gate);
    DiskWriterConfig config;
    config.highWater = 4 * kMiB;
    config.lowWater = 1 * kMiB;
    config.jobBytes = 256 * kKiB;
    config.maxJobsInFlight = 2;
    int drains = 0;
    std::uint64_t pendingAtDrain = 0;
    std::promise<void> drained;
    std::unique_ptr<DiskWriter> writer;
    runOn(h.loop, [&] {
      writer = std::make_unique<DiskWriter>(h.loop, h.pool, gated, config);
      writer->setOnDrained([&] {
        if (++drains == 1) {
          pendingAtDrain = writer->pendingBytes();
          drained.set_value();
        }
      });
      LOOP_EXPECT(checks, !writer->congested());
      for (std::uint64_t i = 0; i < 6; ++i) {
        LOOP_EXPECT(checks, writer->write(i * kMiB, WriteBlock(pattern(i * kMiB, kMiB))));
      }
    });
    QVERIFY(gated->waitForArrivals(1));
    runOn(h.loop, [&] {
      LOOP_EXPECT(checks, writer->congested());
      LOOP_EXPECT(checks, writer->pendingBytes() == 6 * kMiB);
      LOOP_EXPECT(checks, writer->jobsInFlight() <= 2U);
      LOOP_EXPECT(checks, drains == 0);
    });
    gate->open();
    auto d = drained.get_future();
    QVERIFY(waitReady(d));
    QVERIFY(pendingAtDrain <= config.lowWater);
    FlushProbe flushed;
    runOn(h.loop, [&] { writer->flush(flushed.callback()); });
    QVERIFY(waitReady(flushed.future));
    QVERIFY(flushed.future.get().ok());
    runOn(h.loop, [&] {
      LOOP_EXPECT(checks, !writer->congested());
      LOOP_EXPECT(checks, drains == 1);  // once per congestion, not once per job
      writer.reset();
    });
    QVERIFY2(checks.ok(), checks.summary());
    QVERIFY(matchesPattern(readAll(path), 0, 6 * kMiB));
    QCOMPARE(h.stop(), 0);
  }

  void diskFullIsReportedOnceAndEarlierWritesStay() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("full.bin").toStdString();
    Harness h;
    LoopChecks checks;
    auto faulty = std::make_shared<FaultInjectingFileIo>(systemFileIo());
    auto file = openFile(path, faulty);
    QVERIFY(file);
    constexpr std::uint64_t kOkWrites = 5;
    constexpr std::size_t kBlock = 256 * kKiB;  // not merged: one write each
    faulty->failWritesAfter(kOkWrites);
    Tracker tracker;
    int errors = 0;
    ErrorCode code = ErrorCode::Ok;
    FlushProbe flushed;
    std::unique_ptr<DiskWriter> writer;
    runOn(h.loop, [&] {
      DiskWriterConfig config;
      config.maxJobsInFlight = 4;  // several jobs fail: still one onError
      writer = std::make_unique<DiskWriter>(h.loop, h.pool, file, config);
      writer->setOnWritten([&](std::uint64_t o, std::uint64_t n) { tracker.add(o, n); });
      writer->setOnError([&](const Error& e) {
        ++errors;
        code = e.code;
      });
      for (std::uint64_t i = 0; i < 32; ++i) {
        LOOP_EXPECT(checks, writer->write(i * kBlock, WriteBlock(pattern(i * kBlock, kBlock))));
      }
      writer->flush(flushed.callback());
    });
    QVERIFY(waitReady(flushed.future));
    const Result<void> result = flushed.future.get();
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, ErrorCode::DiskFull);
    runOn(h.loop, [&] {
      LOOP_EXPECT(checks, writer->failed());
      LOOP_EXPECT(checks, !writer->write(0, WriteBlock(pattern(0, 10))));  // refused now
      LOOP_EXPECT(checks, writer->pendingBytes() == 0);
      writer.reset();
    });
    QVERIFY2(checks.ok(), checks.summary());
    QCOMPARE(errors, 1);
    QCOMPARE(code, ErrorCode::DiskFull);
    QCOMPARE(tracker.overlaps, std::uint64_t{0});
    QCOMPARE(tracker.written.coveredBytes(), kOkWrites * kBlock);
    const auto content = readAll(path);
    for (const core::ByteRange r : tracker.written) {
      QVERIFY(matchesPattern(content, r.begin, r.end));
    }
    QCOMPARE(h.stop(), 0);
  }

  void destroyingWithWritesInFlightIsSafe() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("gone.bin").toStdString();
    Harness h;
    LoopChecks checks;
    auto gate = std::make_shared<Gate>();
    auto gated = std::make_shared<GatedFile>(
        std::move(systemFileIo()->open(path, FileIo::OpenMode::ReadWrite).value()), gate);
    constexpr std::size_t kBlock = 512 * kKiB;
    auto callbacks = std::make_shared<std::atomic<int>>(0);
    std::unique_ptr<DiskWriter> writer;
    runOn(h.loop, [&] {
      DiskWriterConfig config;
      config.maxJobsInFlight = 4;
      writer = std::make_unique<DiskWriter>(h.loop, h.pool, gated, config);
      writer->setOnWritten([callbacks](std::uint64_t, std::uint64_t) { ++*callbacks; });
      writer->setOnError([callbacks](const Error&) { ++*callbacks; });
      writer->setOnDrained([callbacks] { ++*callbacks; });
      for (std::uint64_t i = 0; i < 16; ++i) {
        LOOP_EXPECT(checks, writer->write(i * kBlock, WriteBlock(pattern(i * kBlock, kBlock))));
      }
      writer->flush([callbacks](Result<void>) { ++*callbacks; });
    });
    QVERIFY(gated->waitForArrivals(2));  // both workers are inside a write
    runOn(h.loop, [&] { writer.reset(); });
    gate->open();
    h.pool.stop();         // the running jobs finish; their completions go to the loop
    runOn(h.loop, [] {});  // ... and have run there, finding the writer gone
    QVERIFY2(checks.ok(), checks.summary());
    QCOMPARE(callbacks->load(), 0);
    // Every byte is either unwritten or exactly what belongs there.
    const auto content = readAll(path);
    std::uint64_t written = 0;
    for (std::uint64_t i = 0; i < content.size(); ++i) {
      if (content[i] != std::byte{0}) {
        QVERIFY(content[i] == patternByte(i));
        ++written;
      }
    }
    QVERIFY(written >= 2 * kBlock);
    QCOMPARE(h.stop(), 0);
  }

  void aCallbackMayDestroyTheWriter() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("self.bin").toStdString();
    Harness h;
    LoopChecks checks;
    auto file = openFile(path);
    std::unique_ptr<DiskWriter> writer;
    int calls = 0;
    std::promise<void> destroyed;
    runOn(h.loop, [&] {
      DiskWriterConfig config;
      config.jobBytes = 64 * kKiB;
      writer = std::make_unique<DiskWriter>(h.loop, h.pool, file, config);
      writer->setOnWritten([&](std::uint64_t, std::uint64_t) {
        ++calls;
        writer.reset();  // from inside its own callback
        destroyed.set_value();
      });
      for (std::uint64_t i = 0; i < 32; ++i) {
        LOOP_EXPECT(checks,
                    writer->write(i * 64 * kKiB, WriteBlock(pattern(i * 64 * kKiB, 64 * kKiB))));
      }
    });
    auto d = destroyed.get_future();
    QVERIFY(waitReady(d));
    h.pool.stop();
    runOn(h.loop, [] {});
    QVERIFY2(checks.ok(), checks.summary());
    QCOMPARE(calls, 1);
    QCOMPARE(h.stop(), 0);
  }

  void aFullPoolQueueIsRetriedNotBlocked() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("retry.bin").toStdString();
    Harness h(1, 1);  // one worker, one waiting job at most
    LoopChecks checks;
    auto file = openFile(path);
    Gate gate;
    std::promise<void> started;
    runOn(h.loop, [&] {
      LOOP_EXPECT(checks, h.pool.submit(
                              h.loop,
                              [&] {
                                started.set_value();
                                gate.wait();
                              },
                              [] {}));
    });
    auto s = started.get_future();
    QVERIFY(waitReady(s));
    runOn(h.loop, [&] {
      LOOP_EXPECT(checks, h.pool.submit(
                              h.loop, [] {}, [] {}));
    });
    QCOMPARE(h.pool.queued(), std::size_t{1});  // full: the next submit is refused
    DiskWriterConfig config;
    config.jobBytes = 64 * kKiB;
    Tracker tracker;
    FlushProbe flushed;
    std::unique_ptr<DiskWriter> writer;
    runOn(h.loop, [&] {
      writer = std::make_unique<DiskWriter>(h.loop, h.pool, file, config);
      writer->setOnWritten([&](std::uint64_t o, std::uint64_t n) { tracker.add(o, n); });
      for (std::uint64_t i = 0; i < 8; ++i) {
        LOOP_EXPECT(checks,
                    writer->write(i * 64 * kKiB, WriteBlock(pattern(i * 64 * kKiB, 64 * kKiB))));
      }
      writer->flush(flushed.callback());
      LOOP_EXPECT(checks, writer->pendingBytes() == 8 * 64 * kKiB);
    });
    QCOMPARE(h.pool.queued(), std::size_t{1});
    gate.open();
    QVERIFY(waitReady(flushed.future));
    QVERIFY(flushed.future.get().ok());
    runOn(h.loop, [&] { writer.reset(); });
    QVERIFY2(checks.ok(), checks.summary());
    QCOMPARE(tracker.written.coveredBytes(), std::uint64_t{8 * 64 * kKiB});
    QVERIFY(matchesPattern(readAll(path), 0, 8 * 64 * kKiB));
    QCOMPARE(h.stop(), 0);
  }

  void smallAdjacentBlocksAreMerged() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("small.bin").toStdString();
    Harness h;
    LoopChecks checks;
    auto counting = std::make_shared<FaultInjectingFileIo>(systemFileIo());
    auto file = openFile(path, counting);
    const std::uint64_t before = counting->writesSeen();
    constexpr std::size_t kBlocks = 2000;
    constexpr std::size_t kSize = 100;
    Tracker tracker;
    FlushProbe flushed;
    std::unique_ptr<DiskWriter> writer;
    runOn(h.loop, [&] {
      writer = std::make_unique<DiskWriter>(h.loop, h.pool, file);
      writer->setOnWritten([&](std::uint64_t o, std::uint64_t n) { tracker.add(o, n); });
      for (std::size_t i = 0; i < kBlocks; ++i) {
        LOOP_EXPECT(checks, writer->write(i * kSize, WriteBlock(pattern(i * kSize, kSize))));
      }
      writer->flush(flushed.callback());
    });
    QVERIFY(waitReady(flushed.future));
    QVERIFY(flushed.future.get().ok());
    runOn(h.loop, [&] { writer.reset(); });
    QVERIFY2(checks.ok(), checks.summary());
    QCOMPARE(tracker.written.coveredBytes(), std::uint64_t{kBlocks * kSize});
    QCOMPARE(tracker.overlaps, std::uint64_t{0});
    QVERIFY2(counting->writesSeen() - before < 20, "2,000 small blocks took many writes");
    QVERIFY(tracker.calls < 20);
    QVERIFY(matchesPattern(readAll(path), 0, kBlocks * kSize));
    QCOMPARE(h.stop(), 0);
  }

  void buffersComeBackForReuse() {
    QTemporaryDir dir;
    Harness h;
    LoopChecks checks;
    auto file = openFile(dir.filePath("reuse.bin").toStdString());
    FlushProbe flushed;
    const char* memory = nullptr;
    std::unique_ptr<DiskWriter> writer;
    runOn(h.loop, [&] {
      writer = std::make_unique<DiskWriter>(h.loop, h.pool, file);
      util::Buffer buffer(64 * kKiB);
      const auto bytes = pattern(0, 40 * kKiB);
      buffer.append(std::span<const std::byte>(bytes));
      memory = buffer.peek();
      LOOP_EXPECT(checks, writer->write(0, WriteBlock(std::move(buffer))));
      writer->flush(flushed.callback());
    });
    QVERIFY(waitReady(flushed.future));
    QVERIFY(flushed.future.get().ok());
    runOn(h.loop, [&] {
      util::Buffer spare = writer->takeSpareBuffer(32 * kKiB);
      LOOP_EXPECT(checks, spare.peek() == memory);  // the same allocation, emptied
      LOOP_EXPECT(checks, spare.readableBytes() == 0);
      util::Buffer fresh = writer->takeSpareBuffer(32 * kKiB);  // none left: a new one
      LOOP_EXPECT(checks, fresh.writableBytes() >= 32 * kKiB);
      LOOP_EXPECT(checks, fresh.peek() != memory);
      writer.reset();
    });
    QVERIFY2(checks.ok(), checks.summary());
    QCOMPARE(h.stop(), 0);
  }

  void flushDoneNeverRunsInsideFlush() {
    QTemporaryDir dir;
    Harness h;
    LoopChecks checks;
    auto file = openFile(dir.filePath("idle.bin").toStdString());
    FlushProbe flushed;
    FlushProbe synced;
    auto inside = std::make_shared<bool>(false);
    std::unique_ptr<DiskWriter> writer;
    runOn(h.loop, [&] {
      writer = std::make_unique<DiskWriter>(h.loop, h.pool, file);
      *inside = true;
      writer->flush([&, inside](Result<void> r) {
        LOOP_EXPECT(checks, !*inside);
        flushed.promise.set_value(std::move(r));
      });
      *inside = false;
      writer->sync(synced.callback());
      LOOP_EXPECT(checks, writer->write(0, WriteBlock::copyOf(pattern(0, 1))));
    });
    QVERIFY(waitReady(flushed.future));
    QVERIFY(flushed.future.get().ok());
    QVERIFY(waitReady(synced.future));
    QVERIFY(synced.future.get().ok());
    runOn(h.loop, [&] { writer.reset(); });
    QVERIFY2(checks.ok(), checks.summary());
    QVERIFY(matchesPattern(readAll(dir.filePath("idle.bin").toStdString()), 0, 1));
    QCOMPARE(h.stop(), 0);
  }
};

QTEST_GUILESS_MAIN(TstDiskWriter)
#include "tst_disk_writer.moc"
