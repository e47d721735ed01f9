// Shared by the cli_bt interop tests: a folder of content with odd sizes (a file
// smaller than a piece, a zero-length file, a hidden file, nested folders) from
// a seeded generator, its sha256 sums, and ways to run tributary-cli, mktorrent
// and python3-libtorrent on it.
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace tributary::test {

struct ProgramRun {
  int exitCode = -1;  // -1: crashed or timed out
  QByteArray out;
  QByteArray err;
};

// Runs a program to its end (at most `timeoutMs`), its stdout and stderr apart.
ProgramRun runProgram(const QString& program, const QStringList& args, int timeoutMs = 120000);
ProgramRun runCli(const QStringList& args, int timeoutMs = 120000);

// python3-libtorrent's reading of a .torrent: "info_hash\nnum_files\n" + the
// bencoded info dictionary in hex; empty when libtorrent refuses the file.
struct LibtorrentView {
  QString infoHash;
  int files = 0;
  QByteArray infoHex;
  QByteArray announceList;  // repr() of announce-list, for comparing tiers
};
LibtorrentView libtorrentView(const QString& torrentFile, QString* error);

class CliBtContent {
 public:
  // Empty on success; else why not. About `totalMiB` of content under parent()/name().
  QString create(int totalMiB, unsigned seed);

  QString root() const { return dir_.path(); }
  QString parent() const { return dir_.filePath("seed"); }  // holds name()/
  QString name() const { return QStringLiteral("payload"); }
  QString contentPath() const { return parent() + '/' + name(); }
  qint64 totalBytes() const { return total_; }
  // Empty when every file under `parent` matches; else the first difference.
  QString verify(const QString& parent) const;

 private:
  QTemporaryDir dir_;
  QMap<QString, QByteArray> hashes_;  // "payload/sub/b.bin" -> sha256 hex
  qint64 total_ = 0;
};

}  // namespace tributary::test
