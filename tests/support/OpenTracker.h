// A real opentracker on 127.0.0.1 for the tracker interop tests: HTTP and UDP
// on one free port, its whitelist and config in a temporary directory (the
// Debian build only tracks whitelisted info-hashes). Started as our child,
// killed with us if we crash (PR_SET_PDEATHSIG), and stopped by PID when
// this object goes. Start it from the test's main thread.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace tributary::test {

class OpenTracker {
 public:
  OpenTracker() = default;
  ~OpenTracker();
  OpenTracker(const OpenTracker&) = delete;
  OpenTracker& operator=(const OpenTracker&) = delete;

  // The binary, or an empty string if it is not installed (tests QSKIP then).
  static QString executable();

  // infoHashesHex: 40 hex digits each, the torrents it accepts. Returns once
  // its HTTP port accepts connections (it binds UDP before that); an empty
  // string on success, otherwise what went wrong.
  QString start(const QStringList& infoHashesHex);
  void stop();

  quint16 port() const { return port_; }
  QString httpAnnounceUrl() const;  // "http://127.0.0.1:PORT/announce"
  QString udpAnnounceUrl() const;   // "udp://127.0.0.1:PORT/announce"
  QString output() const { return output_; }

  // Seeders plus leechers the tracker knows for the torrent (its HTTP
  // scrape), or -1 when it does not answer.
  int swarmSize(const QString& infoHashHex) const;
  // Polls swarmSize() until it reaches `atLeast` or the deadline passes.
  bool waitForSwarm(const QString& infoHashHex, int atLeast, int deadlineMs) const;

 private:
  QString startOnce(quint16 port);
  QByteArray httpGet(const QByteArray& target) const;
  bool whitelistLoaded(const QString& infoHashHex) const;
  static QByteArray percentEncodedHash(const QString& infoHashHex);

  QTemporaryDir dir_;
  std::unique_ptr<QProcess> process_;
  quint16 port_ = 0;
  QString output_;
  QStringList whitelist_;  // the info-hashes start() was given
};

}  // namespace tributary::test
