// PartFile (NAME.part: folders, preallocation, resume, rename on completion,
// name collisions, removal), collisionName, and StateFileWriter (atomic,
// serialised, coalesced saves).
#include <QtTest>

#include <sys/stat.h>

#include "engine/storage/CollisionName.h"
#include "engine/storage/PartFile.h"
#include "engine/storage/StateFileWriter.h"
#include "unit/diskio/DiskTestUtil.h"

using namespace tributary;
using namespace tributary::storage;
using namespace tributary::diskio::test;

namespace {

constexpr std::uint64_t kSize = 3 * 1024 * 1024 + 17;

// Runs one async PartFile call on the loop and waits for its result.
template <class R, class Start>
R await(Harness& h, Start start) {
  auto promise = std::make_shared<std::promise<R>>();
  auto future = promise->get_future();
  runOn(h.loop, [&] { start([promise](R r) { promise->set_value(std::move(r)); }); });
  if (!waitReady(future)) {
    qFatal("an async call did not complete in time");
  }
  return future.get();
}

std::unique_ptr<PartFile> makePart(Harness& h, const std::string& folder, const std::string& name) {
  return runOn(h.loop, [&] {
    return std::make_unique<PartFile>(h.loop, h.pool, systemFileIo(), folder, name);
  });
}

void destroyOn(Harness& h, std::unique_ptr<PartFile>& part) {
  runOn(h.loop, [&] { part.reset(); });
}

bool exists(const std::string& path) {
  return QFileInfo::exists(QString::fromStdString(path));
}

std::string contentOf(const std::string& path, std::size_t n) {
  auto bytes = readAll(path);
  bytes.resize(std::min(bytes.size(), n));
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::span<const std::byte> bytesOf(std::string_view s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

void writeFile(const std::string& path, std::string_view content) {
  auto file = systemFileIo()->open(path, FileIo::OpenMode::WriteTruncate);
  QVERIFY(file.ok());
  QVERIFY(file.value()->writeAt(0, bytesOf(content)).ok());
}

}  // namespace

class TstPartFile : public QObject {
  Q_OBJECT

 private slots:
  void createsFoldersAndPreallocates() {
    QTemporaryDir dir;
    Harness h;
    const std::string folder = dir.filePath("a/b/c").toStdString();
    auto part = makePart(h, folder, "video.mkv");
    QCOMPARE(part->partPath(), folder + "/video.mkv.part");
    auto opened = await<Result<PartFile::Opened>>(
        h, [&](auto done) { part->open(PartFile::Mode::Resume, kSize, std::move(done)); });
    QVERIFY(opened.ok());
    QVERIFY(!opened.value().existed);
    QCOMPARE(opened.value().sizeOnDisk, std::uint64_t{0});
    QVERIFY(opened.value().file);
    struct stat st {};
    QCOMPARE(::stat(part->partPath().c_str(), &st), 0);
    QCOMPARE(static_cast<std::uint64_t>(st.st_size), kSize);
    // Reserved, not sparse (where the file system can; ext4, xfs and btrfs can).
    QVERIFY(static_cast<std::uint64_t>(st.st_blocks) * 512 >= kSize);
    QVERIFY(!exists(folder + "/video.mkv"));
    destroyOn(h, part);
    QCOMPARE(h.stop(), 0);
  }

  void resumeKeepsContentRestartDropsIt() {
    QTemporaryDir dir;
    Harness h;
    const std::string folder = dir.path().toStdString();
    auto part = makePart(h, folder, "data.bin");
    auto first = await<Result<PartFile::Opened>>(
        h, [&](auto done) { part->open(PartFile::Mode::Resume, kSize, std::move(done)); });
    QVERIFY(first.ok());
    QVERIFY(first.value().file->writeAt(0, bytesOf("kept bytes")).ok());
    first.value().file.reset();
    runOn(h.loop, [&] { part->close(); });
    destroyOn(h, part);

    part = makePart(h, folder, "data.bin");
    auto again = await<Result<PartFile::Opened>>(
        h, [&](auto done) { part->open(PartFile::Mode::Resume, kSize, std::move(done)); });
    QVERIFY(again.ok());
    QVERIFY(again.value().existed);
    QCOMPARE(again.value().sizeOnDisk, kSize);
    QCOMPARE(contentOf(part->partPath(), 10), std::string("kept bytes"));
    again.value().file.reset();

    auto restarted = await<Result<PartFile::Opened>>(
        h, [&](auto done) { part->open(PartFile::Mode::Restart, kSize, std::move(done)); });
    QVERIFY(restarted.ok());
    QVERIFY(restarted.value().existed);
    QCOMPARE(restarted.value().sizeOnDisk, std::uint64_t{0});  // emptied before the resize
    QCOMPARE(contentOf(part->partPath(), 10), std::string(10, '\0'));
    QCOMPARE(readAll(part->partPath()).size(), std::size_t{kSize});
    destroyOn(h, part);
    QCOMPARE(h.stop(), 0);
  }

  void unknownSizeIsNotPreallocated() {
    QTemporaryDir dir;
    Harness h;
    auto part = makePart(h, dir.path().toStdString(), "stream.bin");
    auto opened = await<Result<PartFile::Opened>>(
        h, [&](auto done) { part->open(PartFile::Mode::Resume, std::nullopt, std::move(done)); });
    QVERIFY(opened.ok());
    QCOMPARE(opened.value().file->size().value(), std::uint64_t{0});
    destroyOn(h, part);
    QCOMPARE(h.stop(), 0);
  }

  void finishRenamesAndNeverOverwrites() {
    QTemporaryDir dir;
    Harness h;
    const std::string folder = dir.path().toStdString();
    writeFile(folder + "/report.pdf", "someone else's");
    writeFile(folder + "/report (1).pdf", "also not ours");
    auto part = makePart(h, folder, "report.pdf");
    auto opened = await<Result<PartFile::Opened>>(
        h, [&](auto done) { part->open(PartFile::Mode::Restart, 8, std::move(done)); });
    QVERIFY(opened.ok());
    QVERIFY(opened.value().file->writeAt(0, bytesOf("our data")).ok());
    auto finished =
        await<Result<std::string>>(h, [&](auto done) { part->finish(std::move(done)); });
    QVERIFY(finished.ok());
    QCOMPARE(finished.value(), folder + "/report (2).pdf");
    QCOMPARE(contentOf(folder + "/report (2).pdf", 100), std::string("our data"));
    QCOMPARE(contentOf(folder + "/report.pdf", 100), std::string("someone else's"));
    QCOMPARE(contentOf(folder + "/report (1).pdf", 100), std::string("also not ours"));
    QVERIFY(!exists(part->partPath()));
    QVERIFY(part->finished());
    QCOMPARE(part->contentPath(), folder + "/report (2).pdf");
    // A second finish() reports the same place instead of failing.
    auto again = await<Result<std::string>>(h, [&](auto done) { part->finish(std::move(done)); });
    QVERIFY(again.ok());
    QCOMPARE(again.value(), folder + "/report (2).pdf");
    destroyOn(h, part);
    QCOMPARE(h.stop(), 0);
  }

  void finishUsesTheNameWhenFree() {
    QTemporaryDir dir;
    Harness h;
    const std::string folder = dir.path().toStdString();
    auto part = makePart(h, folder, "archive.tar.gz");
    auto opened = await<Result<PartFile::Opened>>(
        h, [&](auto done) { part->open(PartFile::Mode::Restart, 4, std::move(done)); });
    QVERIFY(opened.ok());
    auto finished =
        await<Result<std::string>>(h, [&](auto done) { part->finish(std::move(done)); });
    QVERIFY(finished.ok());
    QCOMPARE(finished.value(), folder + "/archive.tar.gz");
    QVERIFY(exists(folder + "/archive.tar.gz"));
    destroyOn(h, part);
    QCOMPARE(h.stop(), 0);
  }

  void removeFilesDeletesWhatIsOurs() {
    QTemporaryDir dir;
    Harness h;
    const std::string folder = dir.path().toStdString();
    writeFile(folder + "/other.txt", "not ours");
    auto part = makePart(h, folder, "a.iso");
    auto opened = await<Result<PartFile::Opened>>(
        h, [&](auto done) { part->open(PartFile::Mode::Restart, 1024, std::move(done)); });
    QVERIFY(opened.ok());
    opened.value().file.reset();
    const std::string sidecar = part->partPath() + ".tributary";
    writeFile(sidecar, "resume state");
    auto removed =
        await<Result<void>>(h, [&](auto done) { part->removeFiles({sidecar}, std::move(done)); });
    QVERIFY(removed.ok());
    QVERIFY(!exists(part->partPath()));
    QVERIFY(!exists(sidecar));
    QVERIFY(exists(folder + "/other.txt"));

    // After finish(), the finished file is ours too.
    auto reopened = await<Result<PartFile::Opened>>(
        h, [&](auto done) { part->open(PartFile::Mode::Restart, 16, std::move(done)); });
    QVERIFY(reopened.ok());
    reopened.value().file.reset();
    auto finished =
        await<Result<std::string>>(h, [&](auto done) { part->finish(std::move(done)); });
    QVERIFY(finished.ok());
    QVERIFY(exists(folder + "/a.iso"));
    auto removedAgain =
        await<Result<void>>(h, [&](auto done) { part->removeFiles({}, std::move(done)); });
    QVERIFY(removedAgain.ok());
    QVERIFY(!exists(folder + "/a.iso"));
    QVERIFY(exists(folder + "/other.txt"));
    destroyOn(h, part);
    QCOMPARE(h.stop(), 0);
  }

  void rejectsNamesThatAreNotPlain() {
    QTemporaryDir dir;
    Harness h;
    for (const char* bad : {"", ".", "..", "../escape", "a/b"}) {
      auto part = makePart(h, dir.path().toStdString(), bad);
      auto opened = await<Result<PartFile::Opened>>(
          h, [&](auto done) { part->open(PartFile::Mode::Restart, 1, std::move(done)); });
      QVERIFY2(!opened.ok(), bad);
      QCOMPARE(opened.error().code, ErrorCode::InvalidArgument);
      destroyOn(h, part);
    }
    QVERIFY(!exists(dir.filePath("../escape.part").toStdString()));
    QCOMPARE(h.stop(), 0);
  }

  void operationsRunInOrder() {
    // open, finish and remove queued back to back must not overtake each other
    // on the two workers.
    QTemporaryDir dir;
    Harness h;
    const std::string folder = dir.path().toStdString();
    auto part = makePart(h, folder, "seq.bin");
    auto order = std::make_shared<std::vector<int>>();
    std::promise<void> all;
    runOn(h.loop, [&] {
      part->open(PartFile::Mode::Restart, 64,
                 [order](Result<PartFile::Opened> r) { order->push_back(r.ok() ? 1 : -1); });
      part->finish([order](Result<std::string> r) { order->push_back(r.ok() ? 2 : -2); });
      part->removeFiles({}, [order, &all](Result<void> r) {
        order->push_back(r.ok() ? 3 : -3);
        all.set_value();
      });
    });
    auto f = all.get_future();
    QVERIFY(waitReady(f));
    destroyOn(h, part);
    QCOMPARE(*order, (std::vector<int>{1, 2, 3}));
    QVERIFY(!exists(folder + "/seq.bin"));
    QCOMPARE(h.stop(), 0);
  }

  void collisionNames() {
    QCOMPARE(collisionName("report.pdf", 0), std::string("report.pdf"));
    QCOMPARE(collisionName("report.pdf", 1), std::string("report (1).pdf"));
    QCOMPARE(collisionName("report.pdf", 12), std::string("report (12).pdf"));
    QCOMPARE(collisionName("data.tar.gz", 1), std::string("data (1).tar.gz"));
    QCOMPARE(collisionName("data.TAR.XZ", 2), std::string("data (2).TAR.XZ"));
    QCOMPARE(collisionName("README", 1), std::string("README (1)"));
    QCOMPARE(collisionName(".bashrc", 1), std::string(".bashrc (1)"));
    QCOMPARE(collisionName("Version 2.0 final", 1), std::string("Version 2.0 final (1)"));
    QCOMPARE(collisionName("a.b.c.iso", 3), std::string("a.b.c (3).iso"));
    QCOMPARE(collisionName("trailing.", 1), std::string("trailing. (1)"));
    QCOMPARE(collisionName(".tar.gz", 1), std::string(".tar (1).gz"));
  }

  void stateFileSavesCoalesceAndLastWins() {
    QTemporaryDir dir;
    Harness h;
    const std::string path = dir.filePath("state.txt").toStdString();
    auto results = std::make_shared<std::vector<bool>>();
    std::promise<void> all;
    std::unique_ptr<StateFileWriter> writer;
    static constexpr int kSaves = 50;
    runOn(h.loop, [&] {
      writer = std::make_unique<StateFileWriter>(h.loop, h.pool, systemFileIo(), path);
      for (int i = 0; i < kSaves; ++i) {
        writer->save("version " + std::to_string(i), [results, &all](Result<void> r) {
          results->push_back(r.ok());
          if (results->size() == kSaves) {
            all.set_value();
          }
        });
      }
    });
    auto f = all.get_future();
    QVERIFY(waitReady(f));
    QCOMPARE(results->size(), std::size_t{kSaves});
    QVERIFY(std::all_of(results->begin(), results->end(), [](bool ok) { return ok; }));
    QCOMPARE(contentOf(path, 100), std::string("version 49"));
    QVERIFY(!exists(path + ".tmp"));
    QVERIFY(runOn(h.loop, [&] { return writer->idle(); }));

    auto removed = await<Result<void>>(h, [&](auto done) { writer->remove(std::move(done)); });
    QVERIFY(removed.ok());
    QVERIFY(!exists(path));
    runOn(h.loop, [&] { writer.reset(); });
    QCOMPARE(h.stop(), 0);
  }

  void stateFileWriterReportsErrors() {
    QTemporaryDir dir;
    Harness h;
    const std::string path = dir.filePath("missing-folder/state.txt").toStdString();
    std::unique_ptr<StateFileWriter> writer;
    runOn(h.loop, [&] {
      writer = std::make_unique<StateFileWriter>(h.loop, h.pool, systemFileIo(), path);
    });
    auto saved = await<Result<void>>(h, [&](auto done) { writer->save("x", std::move(done)); });
    QVERIFY(!saved.ok());
    QCOMPARE(saved.error().code, ErrorCode::FileMissing);
    runOn(h.loop, [&] { writer.reset(); });
    QCOMPARE(h.stop(), 0);
  }
};

QTEST_GUILESS_MAIN(TstPartFile)
#include "tst_part_file.moc"
