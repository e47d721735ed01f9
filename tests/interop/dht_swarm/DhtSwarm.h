// dht_swarm.py, our child process: a DHT of python3-libtorrent sessions on
// 127.0.0.1 (or ::1, with "--ipv6"). Killed with us (PR_SET_PDEATHSIG), and by its PID when this
// object goes, however the test ends.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

namespace tributary::test {

class DhtSwarm {
 public:
  ~DhtSwarm() { stop(); }

  // `args` go to the script (--nodes, --info-hash, --torrent, ...).
  bool start(const QStringList& args, QString& why);
  // Waits for a line starting with `prefix`; returns the rest of it.
  std::optional<QString> waitLine(const QString& prefix, std::chrono::milliseconds limit);
  void write(const QString& line);
  void stop();
  const QString& log() const { return log_; }

  static bool available();
  // Whether a UDP socket can be bound on ::1 (the IPv6 tests skip otherwise).
  static bool haveIpv6Loopback();

 private:
  QProcess process_;
  QString log_;
};

}  // namespace tributary::test
