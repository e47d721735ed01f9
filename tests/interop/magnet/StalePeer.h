// tests/interop/magnet/stale_peer.py as our child: a connection to a seeder
// that claims (BEP 10 "p") a listen port which is about to be ours, as a
// connection left over from an earlier client on that port would. Killed
// with us if we crash (PR_SET_PDEATHSIG), stopped by PID when this goes.
#pragma once

#include <QProcess>
#include <QString>

#include <chrono>
#include <memory>

namespace tributary::test {

class StalePeer {
 public:
  StalePeer() = default;
  ~StalePeer();
  StalePeer(const StalePeer&) = delete;
  StalePeer& operator=(const StalePeer&) = delete;

  // Empty once the seeder holds the connection (it has read the claim);
  // else why not.
  QString start(const QString& seederAddress, const QString& infoHashHex, quint16 claimedPort);
  // Closes the held connection; true once the script says it did.
  bool release(std::chrono::milliseconds deadline);
  QString output() const { return output_; }

 private:
  bool waitFor(const QString& line, std::chrono::milliseconds deadline);

  std::unique_ptr<QProcess> process_;
  QString output_;
};

}  // namespace tributary::test
