// A small file system of its own for a test (root only): a tmpfs, or an ext4
// image on a loop device (where O_DIRECT writes work, unlike on some tmpfs).
// Unmounted when the object goes, lazily if busy, on every path out of a test.
#pragma once

#include <QString>
#include <QTemporaryDir>

namespace tributary::test {

class ScratchMount {
 public:
  ScratchMount() = default;
  ~ScratchMount();
  ScratchMount(const ScratchMount&) = delete;
  ScratchMount& operator=(const ScratchMount&) = delete;

  // Empty when mounted; else why not (not root, no mount, no loop device...).
  QString mountTmpfs(qint64 bytes);
  QString mountExt4Image(qint64 bytes);

  QString path() const { return point_.path(); }
  // What an unprivileged writer may still use (statvfs f_bavail), or -1.
  qint64 freeBytes() const;
  // Whether a 4 KiB O_DIRECT write works there (what the engine's piece
  // writes use where they can).
  bool takesDirectWrites() const;

 private:
  QString mount(const QStringList& args);

  QTemporaryDir point_;
  QTemporaryDir imageDir_;
  bool mounted_ = false;
};

// Runs `program` with `args`, bounded to 60 s; empty on exit 0, else its output.
QString runTool(const QString& program, const QStringList& args);

}  // namespace tributary::test
