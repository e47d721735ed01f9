// Files the tests make and check on disk: payloads from a seeded generator
// (so a failure can be replayed), their sha256, and writes that leave a
// file's times as they were. Header-only (Qt Core and POSIX), so the test
// fixtures compiled into many targets need no extra library.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>

#include <algorithm>
#include <random>

namespace tributary::test {

// The sha256 of a file, in hex; empty when it cannot be read.
inline QByteArray sha256Of(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    return {};
  }
  QCryptographicHash hash(QCryptographicHash::Sha256);
  hash.addData(&file);
  return hash.result().toHex();
}

// Writes `size` bytes drawn from `rng`, a MiB at a time (large payloads
// never sit in memory whole; each MiB takes a whole MiB of the stream).
// Returns their sha256 in hex, or empty when the file cannot be written.
inline QByteArray writePayload(const QString& path, qint64 size, std::mt19937_64& rng) {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    return {};
  }
  QCryptographicHash hash(QCryptographicHash::Sha256);
  QByteArray chunk(1 << 20, Qt::Uninitialized);
  for (qint64 left = size; left > 0;) {
    auto* words = reinterpret_cast<quint64*>(chunk.data());
    for (qsizetype i = 0; i < chunk.size() / 8; ++i) {
      words[i] = rng();
    }
    const qint64 n = std::min<qint64>(left, chunk.size());
    if (file.write(chunk.constData(), n) != n) {
      return {};
    }
    hash.addData(QByteArrayView(chunk.constData(), n));
    left -= n;
  }
  return hash.result().toHex();
}

// The same from a stream of its own, seeded with `seed`.
inline QByteArray writePayload(const QString& path, qint64 size, unsigned seed) {
  std::mt19937_64 rng(seed);
  return writePayload(path, size, rng);
}

// Writes `bytes` as the whole of `path`, making its folders first.
inline bool writeFile(const QString& path, const QByteArray& bytes) {
  if (!QDir().mkpath(QFileInfo(path).path())) {
    return false;
  }
  QFile file(path);
  return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Writes `bytes` at `offset` and puts the file's times back, to the
// nanosecond: as a write looks that landed after something (a resume-data
// save) had taken the file's time, or within the file system's timestamp
// granularity.
inline bool overwriteKeepingTime(const QString& path, qint64 offset, const QByteArray& bytes) {
  struct stat before {};
  if (::stat(path.toLocal8Bit().constData(), &before) != 0) {
    return false;
  }
  QFile f(path);
  if (!f.open(QIODevice::ReadWrite) || !f.seek(offset) || f.write(bytes) != bytes.size()) {
    return false;
  }
  f.close();
  const struct timespec times[2] = {before.st_atim, before.st_mtim};
  return ::utimensat(AT_FDCWD, path.toLocal8Bit().constData(), times, 0) == 0;
}

}  // namespace tributary::test
