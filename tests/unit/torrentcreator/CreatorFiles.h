// Shared by the torrent creator tests: content on disk from a seeded generator,
// and the SHA-1 of each piece computed the plain way, to compare against.
#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QStringList>

namespace tributary::test {

inline QByteArray patternBytes(qint64 size, quint32 seed) {
  QByteArray data(size, Qt::Uninitialized);
  quint32 x = seed;
  for (char& c : data) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return data;
}

// Writes `size` pattern bytes at `path` (parents made); returns them.
inline QByteArray writePatternFile(const QString& path, qint64 size, quint32 seed) {
  QDir().mkpath(QFileInfo(path).path());
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    return {};
  }
  const QByteArray data = patternBytes(size, seed);
  file.write(data);
  return data;
}

// 20 bytes a piece over `stream`, as BEP 3 defines them.
inline QByteArray pieceHashes(const QByteArray& stream, qint64 pieceSize) {
  QByteArray out;
  for (qint64 at = 0; at < stream.size(); at += pieceSize) {
    out += QCryptographicHash::hash(stream.mid(at, pieceSize), QCryptographicHash::Sha1);
  }
  return out;
}

}  // namespace tributary::test
