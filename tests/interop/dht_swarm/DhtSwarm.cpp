#include "DhtSwarm.h"

#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QElapsedTimer>

#include <csignal>

namespace tributary::test {
namespace {

constexpr char kPython[] = "/usr/bin/python3";

}  // namespace

bool DhtSwarm::available() {
  return QProcess::execute(kPython, {"-c", "import libtorrent"}) == 0;
}

bool DhtSwarm::haveIpv6Loopback() {
  const int fd = ::socket(AF_INET6, SOCK_DGRAM, 0);
  if (fd < 0) {
    return false;
  }
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_loopback;
  const bool bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return bound;
}

bool DhtSwarm::start(const QStringList& args, QString& why) {
  process_.setProcessChannelMode(QProcess::MergedChannels);
  process_.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
  process_.start(kPython, QStringList{TRIBUTARY_DHT_SWARM_SCRIPT} + args);
  if (!process_.waitForStarted(10000)) {
    why = process_.errorString();
    return false;
  }
  return true;
}

std::optional<QString> DhtSwarm::waitLine(const QString& prefix, std::chrono::milliseconds limit) {
  QElapsedTimer clock;
  clock.start();
  while (clock.elapsed() < limit.count()) {
    while (process_.canReadLine()) {
      const QString line = QString::fromUtf8(process_.readLine()).trimmed();
      log_ += line + '\n';
      if (line.startsWith(prefix)) {
        return line.mid(prefix.size()).trimmed();
      }
    }
    if (process_.state() != QProcess::Running) {
      return std::nullopt;
    }
    process_.waitForReadyRead(100);
  }
  return std::nullopt;
}

void DhtSwarm::write(const QString& line) {
  process_.write((line + '\n').toUtf8());
  process_.waitForBytesWritten(1000);
}

void DhtSwarm::stop() {
  if (process_.state() == QProcess::NotRunning) {
    return;
  }
  process_.closeWriteChannel();  // the script exits when its stdin closes
  if (!process_.waitForFinished(5000)) {
    process_.kill();  // our own child, by its PID
    process_.waitForFinished(3000);
  }
}

}  // namespace tributary::test
