#include "ScratchMount.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include <QFile>
#include <QProcess>

namespace tributary::test {

QString runTool(const QString& program, const QStringList& args) {
  QProcess process;
  process.setProcessChannelMode(QProcess::MergedChannels);
  process.start(program, args);
  if (!process.waitForStarted(10000)) {
    return program + " did not start";
  }
  if (!process.waitForFinished(60000)) {
    process.kill();
    process.waitForFinished(5000);
    return program + " did not finish within 60 s";
  }
  if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
    return program + " " + args.join(' ') + ": " + QString::fromLocal8Bit(process.readAll());
  }
  return {};
}

ScratchMount::~ScratchMount() {
  if (mounted_ && !runTool("umount", {path()}).isEmpty()) {
    // Something still holds a file there (a failed test's leftovers): detach
    // it now, the kernel frees it when the last user goes.
    runTool("umount", {"-l", path()});
  }
}

QString ScratchMount::mount(const QStringList& args) {
  if (::geteuid() != 0) {
    return QStringLiteral("not root: cannot mount a file system");
  }
  if (!point_.isValid()) {
    return QStringLiteral("no temporary folder");
  }
  const QString failed = runTool("mount", args + QStringList{path()});
  mounted_ = failed.isEmpty();
  return failed;
}

QString ScratchMount::mountTmpfs(qint64 bytes) {
  return mount(
      {"-t", "tmpfs", "-o", QStringLiteral("size=%1k,mode=0755").arg(bytes / 1024), "tmpfs"});
}

QString ScratchMount::mountExt4Image(qint64 bytes) {
  if (::geteuid() != 0) {
    return QStringLiteral("not root: cannot mount a file system");
  }
  const QString image = imageDir_.filePath("fs.img");
  {
    QFile file(image);
    if (!file.open(QIODevice::WriteOnly) || !file.resize(bytes)) {
      return "cannot make " + image;
    }
  }
  // No blocks reserved for root (we are root: it would only shift "full").
  if (QString failed = runTool("mkfs.ext4", {"-q", "-F", "-m", "0", image}); !failed.isEmpty()) {
    return failed;
  }
  return mount({"-o", "loop", image});
}

qint64 ScratchMount::freeBytes() const {
  struct statvfs fs {};
  if (::statvfs(path().toLocal8Bit().constData(), &fs) != 0) {
    return -1;
  }
  return static_cast<qint64>(fs.f_bavail) * static_cast<qint64>(fs.f_frsize);
}

bool ScratchMount::takesDirectWrites() const {
  const QByteArray file = (path() + "/direct.probe").toLocal8Bit();
  const int fd = ::open(file.constData(), O_WRONLY | O_CREAT | O_DIRECT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return false;
  }
  constexpr std::size_t kBlock = 4096;
  void* buffer = std::aligned_alloc(kBlock, kBlock);
  std::memset(buffer, 0, kBlock);
  const bool written = ::pwrite(fd, buffer, kBlock, 0) == static_cast<ssize_t>(kBlock);
  std::free(buffer);
  ::close(fd);
  ::unlink(file.constData());
  return written;
}

}  // namespace tributary::test
