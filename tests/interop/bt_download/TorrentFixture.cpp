#include "TorrentFixture.h"

#include <QDir>
#include <QFile>
#include <QProcess>

#include <random>

#include "support/TestFiles.h"

namespace tributary::test {

QString TorrentFixture::create(int totalMiB, unsigned seed) {
  if (!dir_.isValid()) {
    return QStringLiteral("no temporary folder");
  }
  const qint64 total = qint64{totalMiB} << 20;
  // Odd sizes so pieces straddle file boundaries everywhere.
  const QList<QPair<QString, qint64>> files = {
      {"content/a.bin", total / 8 + 17},
      {"content/small.txt", 1000},
      {"content/empty.dat", 0},
      {"content/sub/b.bin", total / 2 + 3},
      {"content/sub/deeper/c.bin", total - total / 8 - total / 2 - 1020},
  };
  std::mt19937_64 rng(seed);
  for (const auto& [path, size] : files) {
    const QString full = contentParent() + '/' + path;
    QDir().mkpath(QFileInfo(full).path());
    QFile file(full);
    if (!file.open(QIODevice::WriteOnly)) {
      return "cannot write " + full;
    }
    QByteArray chunk(1 << 20, Qt::Uninitialized);
    for (qint64 left = size; left > 0;) {
      const qint64 n = std::min<qint64>(left, chunk.size());
      auto* words = reinterpret_cast<std::uint64_t*>(chunk.data());
      for (qint64 i = 0; i < (n + 7) / 8; ++i) {
        words[i] = rng();
      }
      file.write(chunk.constData(), n);
      left -= n;
    }
    file.close();
    hashes_[path] = sha256Of(full);
  }
  return makeTorrent({"http://127.0.0.1:9/announce"}, torrentFile());
}

QString TorrentFixture::makeTorrent(const QStringList& announceUrls, const QString& out) const {
  QStringList args;
  for (const QString& url : announceUrls) {
    args << "-a" << url;
  }
  args << "-l"
       << "18"
       << "-o" << out << contentParent() + "/content";
  QFile::remove(out);
  QProcess mk;
  mk.setProcessChannelMode(QProcess::MergedChannels);
  mk.start("mktorrent", args);
  if (!mk.waitForFinished(120000) || mk.exitCode() != 0) {
    return "mktorrent failed: " + QString::fromUtf8(mk.readAll());
  }
  return {};
}

QString TorrentFixture::infoHashOf(const QString& torrentFile) {
  QProcess py;
  py.start("/usr/bin/python3",
           {"-c", "import sys, libtorrent as lt; print(lt.torrent_info(sys.argv[1]).info_hash())",
            torrentFile});
  if (!py.waitForFinished(30000) || py.exitCode() != 0) {
    return {};
  }
  return QString::fromUtf8(py.readAllStandardOutput()).trimmed();
}

QString TorrentFixture::verify(const QString& parent) const {
  for (auto it = hashes_.begin(); it != hashes_.end(); ++it) {
    const QString full = parent + '/' + it.key();
    if (!QFile::exists(full)) {
      return it.key() + " is missing";
    }
    if (sha256Of(full) != it.value()) {
      return it.key() + " differs";
    }
  }
  return {};
}

}  // namespace tributary::test
