// File::bypassCacheForAlignedWrites: whatever the alignment of a write, the
// bytes on disk are the bytes written (the aligned middle goes around the page
// cache, the ragged ends through it), a direct write after a buffered one of
// the same range is what a read sees, and on a file system that supports it
// the aligned part really leaves no pages in the cache (mincore), which is the
// point: the kernel's copy into fresh page cache is what it saves.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "engine/storage/FaultInjectingFileIo.h"
#include "engine/storage/FileIo.h"
#include "engine/util/PageAlignedBytes.h"

using namespace tributary;
using namespace tributary::storage;

namespace {

constexpr std::size_t kPage = 4096;

// Can this folder's file system open a file with O_DIRECT at all? (tmpfs
// before Linux 6.6 cannot.)
bool supportsDirectIo(const std::string& dir) {
#if defined(__linux__)
  const std::string probe = dir + "/direct-probe";
  const int fd = ::open(probe.c_str(), O_CREAT | O_WRONLY | O_DIRECT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return false;
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return true;
#else
  (void)dir;
  return false;
#endif
}

// How many of the pages of [offset, offset + length) of the file are in the
// page cache, or -1 when that cannot be asked.
long residentPages(const std::string& path, std::size_t offset, std::size_t length) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return -1;
  }
  void* map = ::mmap(nullptr, offset + length, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) {
    return -1;
  }
  const std::size_t pages = (offset + length + kPage - 1) / kPage;
  std::vector<unsigned char> vec(pages);
  long resident = -1;
  if (::mincore(map, offset + length, vec.data()) == 0) {
    resident = 0;
    for (std::size_t page = offset / kPage; page < pages; ++page) {
      resident += vec[page] & 1;
    }
  }
  ::munmap(map, offset + length);
  return resident;
}

util::PageAlignedBytes pattern(std::size_t size, unsigned seed) {
  util::PageAlignedBytes bytes(size);
  std::mt19937 rng(seed);
  for (std::byte& b : bytes) {
    b = static_cast<std::byte>(rng());
  }
  return bytes;
}

std::vector<std::byte> readAll(File& file, std::size_t size) {
  std::vector<std::byte> back(size);
  auto n = file.readAt(0, back);
  if (!n.ok() || n.value() != size) {
    return {};
  }
  return back;
}

}  // namespace

class TestUncachedWrites : public QObject {
  Q_OBJECT

 private slots:
  void everySplitReadsBackAsWritten_data() {
    QTest::addColumn<QString>("where");
    QTest::newRow("disk") << QString();
    if (QDir(QStringLiteral("/dev/shm")).exists()) {
      QTest::newRow("tmpfs") << QStringLiteral("/dev/shm");  // no O_DIRECT: all buffered
    }
  }
  void everySplitReadsBackAsWritten() {
    QFETCH(QString, where);
    QTemporaryDir dir(where.isEmpty() ? QDir::tempPath() + QStringLiteral("/uncached-XXXXXX")
                                      : where + QStringLiteral("/uncached-XXXXXX"));
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("f.bin")).toStdString();
    auto opened = systemFileIo()->open(path, FileIo::OpenMode::ReadWrite);
    QVERIFY(opened.ok());
    File& file = *opened.value();
    file.bypassCacheForAlignedWrites();

    constexpr std::size_t kSize = 3 * 1024 * 1024 + 1234;  // a ragged end of file
    std::vector<std::byte> model(kSize, std::byte{0});
    const util::PageAlignedBytes source = pattern(kSize + kPage, 7);
    // (file offset, offset into the aligned source, length): aligned whole
    // stretches, a ragged head and tail with memory aligned like the file,
    // memory aligned unlike the file, shorter than a page, and the last
    // bytes of the file.
    struct Write {
      std::size_t fileOffset, memoryOffset, length;
    };
    const std::vector<Write> writes = {
        {0, 0, 1024 * 1024},
        {1024 * 1024 + 100, 100, 512 * 1024 + 77},
        {2 * 1024 * 1024 + 5, 9, 300000},
        {2 * 1024 * 1024 + 400000, 0, 1000},
        {kSize - 12345, (kSize - 12345) % kPage, 12345},
        {4096 * 7, 0, 4096},  // rewrites part of the first stretch
    };
    for (const Write& w : writes) {
      const auto bytes = std::span<const std::byte>(source).subspan(w.memoryOffset, w.length);
      QVERIFY2(file.writeAt(w.fileOffset, bytes).ok(), qPrintable(QString::number(w.fileOffset)));
      std::copy(bytes.begin(), bytes.end(), model.begin() + static_cast<long>(w.fileOffset));
    }
    QCOMPARE(file.size().value(), std::uint64_t{kSize});
    QVERIFY(readAll(file, kSize) == model);
    // A second handle (another worker, or the next start) sees the same.
    auto again = systemFileIo()->open(path, FileIo::OpenMode::Read);
    QVERIFY(again.ok());
    QVERIFY(readAll(*again.value(), kSize) == model);
    QVERIFY(file.sync().ok());
  }

  void directWriteReplacesCachedPages() {
    // A piece that failed its hash, or a recheck, can leave the range in the
    // page cache; the direct write that follows must not be hidden by it.
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("g.bin")).toStdString();
    auto opened = systemFileIo()->open(path, FileIo::OpenMode::ReadWrite);
    QVERIFY(opened.ok());
    File& file = *opened.value();
    const util::PageAlignedBytes first = pattern(256 * 1024, 1);
    const util::PageAlignedBytes second = pattern(256 * 1024, 2);
    QVERIFY(file.writeAt(8192, first).ok());  // buffered: the bypass is not on yet
    std::vector<std::byte> back(first.size());
    QVERIFY(file.readAt(8192, back).ok());  // and now certainly cached
    QVERIFY(std::equal(back.begin(), back.end(), first.begin()));
    file.bypassCacheForAlignedWrites();
    QVERIFY(file.writeAt(8192, second).ok());
    QVERIFY(file.readAt(8192, back).ok());
    QVERIFY(std::equal(back.begin(), back.end(), second.begin()));
  }

  void alignedWritesLeaveNoPagesInTheCache() {
    QTemporaryDir dir;
    const std::string folder = dir.path().toStdString();
    if (!supportsDirectIo(folder)) {
      QSKIP("this file system has no O_DIRECT");
    }
    constexpr std::size_t kLength = 1024 * 1024;
    const util::PageAlignedBytes piece = pattern(kLength, 3);
    const std::string cached = folder + "/cached.bin";
    const std::string uncached = folder + "/uncached.bin";
    {
      auto a = systemFileIo()->open(cached, FileIo::OpenMode::ReadWrite);
      QVERIFY(a.ok());
      QVERIFY(a.value()->writeAt(0, piece).ok());
      // Through the fault-injecting wrapper the tests use: the call must
      // reach the real file.
      FaultInjectingFileIo faulty(systemFileIo());
      auto b = faulty.open(uncached, FileIo::OpenMode::ReadWrite);
      QVERIFY(b.ok());
      b.value()->bypassCacheForAlignedWrites();
      QVERIFY(b.value()->writeAt(0, piece).ok());
    }
    const long pages = kLength / kPage;
    // The buffered write left its pages cached (nothing asked for them to
    // go); the direct one left none.
    QCOMPARE(residentPages(cached, 0, kLength), pages);
    QCOMPARE(residentPages(uncached, 0, kLength), 0L);
  }
};

QTEST_GUILESS_MAIN(TestUncachedWrites)
#include "tst_uncached_writes.moc"
