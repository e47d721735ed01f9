// A python3-libtorrent peer (tests/support/scripts/lt_peer.py) on 127.0.0.1,
// our child process: killed with us if we crash (PR_SET_PDEATHSIG), stopped
// by PID when this object goes. Seeds or leeches one torrent.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <chrono>
#include <memory>

namespace tributary::test {

struct LibtorrentPeerOptions {
  QString torrentFile;
  QString dataDir;         // the torrent's content is (or goes) under it
  QStringList connectTo;   // "127.0.0.1:PORT" peers it dials
  bool trustData = false;  // seed mode: serve the files without checking them
  qint64 uploadLimit = 0;  // bytes/s, 0 = none
  qint64 downloadLimit = 0;
  bool noPex = false;  // no ut_pex: it learns no peers through PEX, nor we through it
  QString magnet;      // instead of torrentFile: fetch the metadata from the swarm
  // MSE/PE: "forced" (both ways, RC4 only: plaintext peers refused),
  // "disabled" (plaintext only), empty = libtorrent's default (both).
  QString encryption;
  bool utpOnly = false;  // uTP in and out, no TCP (it still reports its listen port)
};

class LibtorrentPeer {
 public:
  explicit LibtorrentPeer(LibtorrentPeerOptions options);
  ~LibtorrentPeer();
  LibtorrentPeer(const LibtorrentPeer&) = delete;
  LibtorrentPeer& operator=(const LibtorrentPeer&) = delete;

  // Empty when it listens; else why not.
  QString start();
  void stop();
  quint16 port() const { return port_; }
  QString address() const { return QStringLiteral("127.0.0.1:%1").arg(port_); }
  // Until it printed FINISHED (it has the whole torrent), or the deadline.
  bool waitFinished(std::chrono::milliseconds deadline);
  QString output() const { return output_; }
  // The payload bytes it uploaded in all (libtorrent's total_payload_upload),
  // as printed when stop() closed its stdin; -1 before stop() or if it did not say.
  qint64 uploadedBytes() const;

  static bool available();

 private:
  bool readLines(std::chrono::milliseconds deadline, const QString& until);

  LibtorrentPeerOptions options_;
  std::unique_ptr<QProcess> process_;
  quint16 port_ = 0;
  QString output_;
};

}  // namespace tributary::test
