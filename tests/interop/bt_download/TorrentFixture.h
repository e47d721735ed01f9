// A multi-file torrent for the BitTorrent interop tests: files of odd sizes, one
// smaller than a piece, one of zero length, from a seeded PRNG; the .torrent made
// by mktorrent (an outside tool, so our parser meets what real users feed it).
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QTemporaryDir>

namespace tributary::test {

class TorrentFixture {
 public:
  // Empty on success; else why not. `totalMiB` of content in 256 KiB pieces.
  QString create(int totalMiB, unsigned seed);

  QString contentParent() const { return dir_.filePath("seed"); }  // holds NAME/
  QString torrentFile() const { return dir_.filePath("t.torrent"); }
  QString name() const { return QStringLiteral("content"); }
  // Relative paths ("content/sub/b.bin") and their sha256.
  const QMap<QString, QByteArray>& hashes() const { return hashes_; }
  // Another .torrent of the same content announcing to `announceUrls` (one
  // tier each); empty on success.
  QString makeTorrent(const QStringList& announceUrls, const QString& out) const;
  // The info-hash (40 hex digits) python3-libtorrent computes for a .torrent.
  static QString infoHashOf(const QString& torrentFile);
  // Empty when every file under `parent` has the right content; else the first difference.
  QString verify(const QString& parent) const;

 private:
  QTemporaryDir dir_;
  QMap<QString, QByteArray> hashes_;
};

}  // namespace tributary::test
