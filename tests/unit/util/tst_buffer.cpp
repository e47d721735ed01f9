#include <QtTest>

#include <cerrno>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "engine/util/Buffer.h"

using tributary::util::Buffer;

namespace {

std::string pattern(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    s[i] = static_cast<char>((i * 31 + seed) & 0xff);
  }
  return s;
}

}  // namespace

class TstBuffer : public QObject {
  Q_OBJECT
 private slots:
  void appendAndRetrieve() {
    Buffer b;
    QCOMPARE(b.readableBytes(), std::size_t{0});
    QCOMPARE(b.prependableBytes(), Buffer::kCheapPrepend);
    b.append(std::string_view("hello world"));
    QCOMPARE(b.readableBytes(), std::size_t{11});
    QCOMPARE(b.view(), std::string_view("hello world"));
    b.retrieve(6);
    QCOMPARE(b.view(), std::string_view("world"));
    QCOMPARE(b.retrieveAsString(3), std::string("wor"));
    QCOMPARE(b.retrieveAllAsString(), std::string("ld"));
    QCOMPARE(b.readableBytes(), std::size_t{0});
    QCOMPARE(b.prependableBytes(), Buffer::kCheapPrepend);
  }

  void slidesInsteadOfGrowingWhenFrontIsFree() {
    Buffer b(1024);
    const std::string first = pattern(800, 1);
    b.append(first);
    b.retrieve(700);
    const std::size_t capacity = b.capacity();
    const std::string second = pattern(800, 2);
    b.append(second);  // 100 readable + 800 fits once the 700 consumed bytes are reclaimed
    QCOMPARE(b.capacity(), capacity);
    QCOMPARE(b.prependableBytes(), Buffer::kCheapPrepend);
    QCOMPARE(std::string(b.view()), first.substr(700) + second);
  }

  void growsIntoNewStorageKeepingReadableBytes() {
    Buffer b(16);
    const std::string data = pattern(10, 3);
    b.append(data);
    b.retrieve(4);
    const std::string more = pattern(5000, 4);
    b.append(more);
    QVERIFY(b.capacity() >= Buffer::kCheapPrepend + 6 + 5000);
    QCOMPARE(b.prependableBytes(), Buffer::kCheapPrepend);
    QCOMPARE(std::string(b.view()), data.substr(4) + more);
  }

  void growthIsAmortised() {
    // Capacity at least doubles per growth, so 1 MiB of 1-byte appends
    // reallocates (and copies the readable part) only ~log2(1 MiB) times.
    Buffer b(16);
    std::size_t capacity = b.capacity();
    int growths = 0;
    for (int i = 0; i < (1 << 20); ++i) {
      const char c = static_cast<char>(i);
      b.append(&c, 1);
      if (b.capacity() != capacity) {
        ++growths;
        capacity = b.capacity();
      }
    }
    QCOMPARE(b.readableBytes(), std::size_t{1} << 20);
    QVERIFY2(growths <= 17, qPrintable(QString::number(growths)));
    QCOMPARE(static_cast<unsigned char>(b.peek()[12345]), static_cast<unsigned char>(12345 & 0xff));
  }

  void ensureWritableThenHasWritten() {
    Buffer b(8);
    b.ensureWritable(100);
    QVERIFY(b.writableBytes() >= 100);
    std::memcpy(b.beginWrite(), "abc", 3);
    b.hasWritten(3);
    QCOMPARE(b.view(), std::string_view("abc"));
    b.unwrite(1);
    QCOMPARE(b.view(), std::string_view("ab"));
  }

  void prependUsesTheCheapSpace() {
    Buffer b;
    b.append(std::string_view("payload"));
    const std::uint32_t length = 7;
    b.prepend(&length, sizeof length);
    QCOMPARE(b.readableBytes(), sizeof length + 7);
    std::uint32_t read = 0;
    std::memcpy(&read, b.peek(), sizeof read);
    QCOMPARE(read, length);
  }

  void movedFromBufferIsEmptyAndReusable() {
    Buffer a;
    a.append(std::string_view("xyz"));
    Buffer b = std::move(a);
    QCOMPARE(b.view(), std::string_view("xyz"));
    QCOMPARE(a.readableBytes(), std::size_t{0});  // NOLINT(bugprone-use-after-move)
    QCOMPARE(a.writableBytes(), std::size_t{0});
    a.retrieveAll();
    a.append(std::string_view("again"));
    QCOMPARE(a.view(), std::string_view("again"));
  }

  void shrinkToFitKeepsData() {
    Buffer b(16);
    b.append(pattern(100000, 5));
    b.retrieve(99990);
    b.shrinkToFit(0);
    QCOMPARE(b.capacity(), Buffer::kCheapPrepend + 10);
    QCOMPARE(std::string(b.view()), pattern(100000, 5).substr(99990));
  }

  void readFdUsesTheStackExtraBuffer() {
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    const std::string data = pattern(60000, 6);  // below the pipe's 64 KiB: write() cannot block
    QCOMPARE(::write(fds[1], data.data(), data.size()), static_cast<ssize_t>(data.size()));
    Buffer b(16);
    b.append(std::string_view("head"));
    int savedErrno = 0;
    const long n = b.readFd(fds[0], &savedErrno);
    QCOMPARE(n, static_cast<long>(data.size()));
    QCOMPARE(std::string(b.view()), "head" + data);

    ::close(fds[1]);
    QCOMPARE(b.readFd(fds[0], &savedErrno), 0L);  // EOF
    ::close(fds[0]);
    QCOMPARE(b.readFd(fds[0], &savedErrno), -1L);
    QCOMPARE(savedErrno, EBADF);
    QCOMPARE(b.readableBytes(), data.size() + 4);
  }

  void readFdIntoLargeSpareSpaceOnly() {
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    const std::string data = pattern(1000, 7);
    QCOMPARE(::write(fds[1], data.data(), data.size()), static_cast<ssize_t>(data.size()));
    Buffer b(std::size_t{128} * 1024);
    const std::size_t capacity = b.capacity();
    int savedErrno = 0;
    QCOMPARE(b.readFd(fds[0], &savedErrno), 1000L);
    QCOMPARE(b.capacity(), capacity);
    QCOMPARE(std::string(b.view()), data);
    ::close(fds[0]);
    ::close(fds[1]);
  }
};

QTEST_GUILESS_MAIN(TstBuffer)
#include "tst_buffer.moc"
