#include "NetNamespace.h"

#include <cerrno>
#include <cstring>

#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tributary::test {
namespace {

QString failure(const char* what) {
  return QStringLiteral("%1: %2").arg(QLatin1String(what),
                                      QString::fromLocal8Bit(std::strerror(errno)));
}

}  // namespace

QString enterPrivateNetwork() {
  // Namespaces belong to the thread: the other threads of this process stay
  // outside, and only children forked from this thread inherit it.
  if (::unshare(CLONE_NEWNET) != 0) {
    return failure("unshare(CLONE_NEWNET)");
  }
  return setLoopbackUp(true);
}

QString setLoopbackUp(bool up) {
  // The ioctl rather than `ip link`: no outside tool to find, and it runs on
  // this thread, which is the one in the namespace.
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return failure("socket");
  }
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  QString why;
  if (::ioctl(fd, SIOCGIFFLAGS, &request) != 0) {
    why = failure("SIOCGIFFLAGS lo");
  } else {
    if (up) {
      request.ifr_flags |= IFF_UP;
    } else {
      request.ifr_flags &= ~IFF_UP;
    }
    if (::ioctl(fd, SIOCSIFFLAGS, &request) != 0) {
      why = failure("SIOCSIFFLAGS lo");
    }
  }
  ::close(fd);
  return why;
}

}  // namespace tributary::test
