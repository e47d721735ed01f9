// Multicast for tests without touching the host's network: the test process
// moves itself into a fresh network namespace (root only) where loopback is
// brought up with multicast on and a route for 239.0.0.0/8, so LSD announces
// go from one socket to another and nowhere else. Call it first in
// initTestCase(), before any loop thread starts: threads started later inherit
// the namespace, those started earlier stay outside.
#pragma once

#include <sched.h>
#include <unistd.h>

#include <QProcess>
#include <QString>
#include <QStringList>

#include <cerrno>
#include <cstring>

namespace tributary::test {

// "" once inside; otherwise why not (the caller QSKIPs with it).
inline QString enterPrivateNetwork() {
  if (::geteuid() != 0) {
    return QStringLiteral("multicast tests need root for a private network namespace");
  }
  if (::unshare(CLONE_NEWNET) != 0) {
    return QStringLiteral("unshare(CLONE_NEWNET) refused: %1")
        .arg(QString::fromUtf8(std::strerror(errno)));
  }
  const QStringList commands[] = {
      {"link", "set", "lo", "up"},
      {"link", "set", "lo", "multicast", "on"},
      {"route", "add", "239.0.0.0/8", "dev", "lo"},
  };
  for (const QStringList& args : commands) {
    QProcess ip;
    ip.start(QStringLiteral("ip"), args);
    if (!ip.waitForFinished(10000) || ip.exitStatus() != QProcess::NormalExit ||
        ip.exitCode() != 0) {
      // Already in the new namespace: nothing of the host's was changed.
      return QStringLiteral("'ip %1' failed in the private namespace: %2")
          .arg(args.join(' '), QString::fromLocal8Bit(ip.readAllStandardError()).trimmed());
    }
  }
  return {};
}

}  // namespace tributary::test
