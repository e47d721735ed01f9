// The file-I/O door of the storage layer: positional writes and reads, the
// atomic replace used for resume data, errno mapping, and fault injection.
#include <QTemporaryDir>
#include <QtTest>

#include <string>

#include "engine/storage/AtomicFile.h"
#include "engine/storage/FaultInjectingFileIo.h"
#include "engine/storage/FileIo.h"

using namespace tributary;
using namespace tributary::storage;

namespace {

std::span<const std::byte> bytesOf(const std::string& s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

}  // namespace

class TestStorageFileIo : public QObject {
  Q_OBJECT

 private slots:
  void positionalWritesAndReads() {
    QTemporaryDir dir;
    auto io = systemFileIo();
    const std::string path = dir.filePath("a.bin").toStdString();
    auto file = io->open(path, FileIo::OpenMode::ReadWrite);
    QVERIFY(file.ok());
    QVERIFY(file.value()->resize(1 << 20, true).ok());
    QCOMPARE(file.value()->size().value(), std::uint64_t{1 << 20});
    QVERIFY(file.value()->writeAt(1000, bytesOf("world")).ok());
    QVERIFY(file.value()->writeAt(0, bytesOf("hello")).ok());
    std::string back(5, '\0');
    auto n = file.value()->readAt(1000, std::as_writable_bytes(std::span<char>(back)));
    QVERIFY(n.ok());
    QCOMPARE(n.value(), std::size_t{5});
    QCOMPARE(back, std::string("world"));
    // A read past the end returns what exists, not an error.
    std::string tail(16, '\0');
    auto short_ =
        file.value()->readAt((1 << 20) - 4, std::as_writable_bytes(std::span<char>(tail)));
    QVERIFY(short_.ok());
    QCOMPARE(short_.value(), std::size_t{4});
  }

  void errorsAreMapped() {
    auto io = systemFileIo();
    auto missing = io->open("/nonexistent-folder-xyz/a", FileIo::OpenMode::Read);
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().code, ErrorCode::FileMissing);
    QVERIFY(missing.error().detail.find("/nonexistent-folder-xyz/a") != std::string::npos);
  }

  void atomicReplace() {
    QTemporaryDir dir;
    auto io = systemFileIo();
    const std::string path = dir.filePath("state.dat").toStdString();
    QVERIFY(replaceFileAtomically(*io, path, bytesOf("first version")).ok());
    QVERIFY(replaceFileAtomically(*io, path, bytesOf("second")).ok());
    auto content = readSmallFile(*io, path, 1024);
    QVERIFY(content.ok());
    QCOMPARE(content.value(), std::string("second"));
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));
    auto tooBig = readSmallFile(*io, path, 3);
    QVERIFY(!tooBig.ok());
  }

  void failedReplaceKeepsTheOldContent() {
    QTemporaryDir dir;
    auto faulty = std::make_shared<FaultInjectingFileIo>(systemFileIo());
    const std::string path = dir.filePath("state.dat").toStdString();
    QVERIFY(replaceFileAtomically(*faulty, path, bytesOf("good")).ok());
    faulty->failWritesAfter(0);
    auto failed = replaceFileAtomically(*faulty, path, bytesOf("never lands"));
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().code, ErrorCode::DiskFull);
    faulty->clearFaults();
    QCOMPARE(readSmallFile(*faulty, path, 1024).value(), std::string("good"));
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));
  }

  void faultInjectionCountsWrites() {
    QTemporaryDir dir;
    FaultInjectingFileIo faulty(systemFileIo());
    auto file = faulty.open(dir.filePath("b").toStdString(), FileIo::OpenMode::ReadWrite);
    QVERIFY(file.ok());
    faulty.failWritesAfter(2);
    QVERIFY(file.value()->writeAt(0, bytesOf("1")).ok());
    QVERIFY(file.value()->writeAt(1, bytesOf("2")).ok());
    QCOMPARE(file.value()->writeAt(2, bytesOf("3")).error().code, ErrorCode::DiskFull);
    faulty.failReads(true);
    std::string buf(1, '\0');
    QCOMPARE(file.value()->readAt(0, std::as_writable_bytes(std::span<char>(buf))).error().code,
             ErrorCode::IoError);
    faulty.clearFaults();
    QVERIFY(file.value()->writeAt(2, bytesOf("3")).ok());
    QCOMPARE(faulty.writesSeen(), std::uint64_t{4});
  }
};

QTEST_GUILESS_MAIN(TestStorageFileIo)
#include "tst_storage_fileio.moc"
