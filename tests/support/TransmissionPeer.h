// A transmission-daemon 3.00 seeding one torrent on 127.0.0.1, our child
// process: killed with us if we crash (PR_SET_PDEATHSIG), stopped by PID when
// this object goes. It never dials 127.x peers, so the client under test must
// dial it (AddParams::peers = {address()}).
//
// Its settings keep it on loopback and quiet: no DHT, LPD, PEX, uTP or port
// mapping, RPC only from 127.0.0.1 without authentication, encryption
// preferred but plain connections accepted (our client speaks plain BEP 3).
#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <chrono>
#include <memory>

namespace tributary::test {

struct TransmissionPeerOptions {
  QString torrentFile;
  QString dataDir;            // holds the torrent's content (NAME/... for a multi-file torrent)
  qint64 uploadLimitKiB = 0;  // KiB/s, 0 = none
};

class TransmissionPeer {
 public:
  explicit TransmissionPeer(TransmissionPeerOptions options);
  ~TransmissionPeer();
  TransmissionPeer(const TransmissionPeer&) = delete;
  TransmissionPeer& operator=(const TransmissionPeer&) = delete;

  // Starts the daemon, adds the torrent and waits until it has verified the
  // data and seeds it, within `deadline`. Empty on success; else why not.
  QString start(std::chrono::milliseconds deadline = std::chrono::seconds(60));
  void stop();

  quint16 peerPort() const { return peerPort_; }
  QString address() const { return QStringLiteral("127.0.0.1:%1").arg(peerPort_); }
  // `transmission-remote -t 1 -i`: its view of the torrent (for failure messages).
  QString torrentInfo() const;
  // What the daemon logged so far.
  QString log();

  static bool available();

 private:
  QString startOnce(quint16 rpcPort, quint16 peerPort, std::chrono::milliseconds deadline);
  QString writeSettings(quint16 rpcPort, quint16 peerPort) const;
  // Runs transmission-remote on our RPC port: whether it succeeded, and what it printed.
  bool remote(const QStringList& args, QString* output = nullptr) const;

  TransmissionPeerOptions options_;
  QTemporaryDir configDir_;
  std::unique_ptr<QProcess> process_;
  quint16 rpcPort_ = 0;
  quint16 peerPort_ = 0;
  QString log_;
};

}  // namespace tributary::test
