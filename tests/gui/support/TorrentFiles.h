// .torrent files on disk for the GUI tests of adding (the add dialog, the
// second-launch hand-off), built with the metainfo tests' TorrentBuilder so a
// test can have padding files and folders without making any content. Links
// tributary_codec.
#pragma once

#include <QFile>
#include <QString>
#include <string>
#include <vector>

#include "unit/metainfo/TorrentBuilder.h"

namespace tributary::test {

inline bool writeBytes(const QString& path, const std::string& bytes) {
  QFile file(path);
  return file.open(QIODevice::WriteOnly) &&
         file.write(bytes.data(), static_cast<qint64>(bytes.size())) ==
             static_cast<qint64>(bytes.size());
}

// "album": a.bin, a padding file, dir/b.bin, dir/c.bin, dir/sub/d.bin (torrent
// order; the padding file is index 1). Trackerless, so nothing is announced.
inline const std::vector<testing::FileSpec>& albumFiles() {
  static const std::vector<testing::FileSpec> files = {
      {{"a.bin"}, 1000},        {{".pad", "15384"}, 15384, "p"}, {{"dir", "b.bin"}, 2000},
      {{"dir", "c.bin"}, 3000}, {{"dir", "sub", "d.bin"}, 4000},
  };
  return files;
}

inline bool writeAlbumTorrent(const QString& path) {
  return writeBytes(
      path, testing::torrentWith(testing::multiFileInfo("album", albumFiles()), std::string()));
}

inline bool writeSingleFileTorrent(const QString& path, const std::string& name,
                                   std::int64_t size) {
  return writeBytes(path, testing::torrentWith(testing::singleFileInfo(name, size), std::string()));
}

}  // namespace tributary::test
