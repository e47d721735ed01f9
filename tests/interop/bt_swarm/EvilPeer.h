// tests/support/scripts/evil_peer.py as our child on 127.0.0.1: a BitTorrent
// peer that misbehaves in one chosen way (see the script for the modes) and
// prints each connection it accepts and when the client closed it. Killed
// with us if we crash (PR_SET_PDEATHSIG), stopped by PID when this goes.
#pragma once

#include <QList>
#include <QProcess>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>

namespace tributary::test {

class EvilPeer {
 public:
  EvilPeer(QString torrentFile, QString mode);
  ~EvilPeer();
  EvilPeer(const EvilPeer&) = delete;
  EvilPeer& operator=(const EvilPeer&) = delete;

  // Empty when it listens; else why not.
  QString start();
  void stop();
  QString address() const { return QStringLiteral("127.0.0.1:%1").arg(port_); }

  // Connections it accepted so far (reads what it printed, without waiting).
  int connections();
  // Whether it sent its bad bytes on connection `n` (1-based).
  bool misbehaved(int n);
  // Seconds connection `n` lasted once the client closed it; nullopt while open.
  std::optional<double> closedAfter(int n);
  // Until connection `n` is accepted / closed by the client, or the deadline.
  bool waitConnected(int n, std::chrono::milliseconds deadline);
  std::optional<double> waitClosed(int n, std::chrono::milliseconds deadline);
  QString output();
  // Until a line starting with `prefix` was printed: that line, else empty.
  QString waitLine(const QString& prefix, std::chrono::milliseconds deadline);

  static bool available();

 private:
  void read(int waitMs);

  QString torrentFile_;
  QString mode_;
  std::unique_ptr<QProcess> process_;
  quint16 port_ = 0;
  QString output_;
};

}  // namespace tributary::test
