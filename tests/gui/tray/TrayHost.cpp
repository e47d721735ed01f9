#include "gui/tray/TrayHost.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QFileInfo>
#include <QStandardPaths>
#include <chrono>
#include <csignal>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace tributary::test {

namespace {

using Clock = std::chrono::steady_clock;

// Display numbers well away from :0 and from the ones CI images use for
// their own Xvfb (:99 is taken if it exists: the socket and lock are checked).
constexpr int kFirstDisplay = 90;
constexpr int kLastDisplay = 150;
constexpr int kMaxXvfbAttempts = 5;
constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr auto kPollInterval = std::chrono::milliseconds(20);

QByteArray socketPath(int display) {
  return "/tmp/.X11-unix/X" + QByteArray::number(display);
}

QByteArray lockPath(int display) {
  return "/tmp/.X" + QByteArray::number(display) + "-lock";
}

// fork and exec `program` with DISPLAY set and its output discarded. The
// child gets SIGTERM if this thread dies, so a test killed by its timeout
// leaves no X server behind. Everything the child needs is built before the
// fork.
pid_t spawn(const QString& program, const std::vector<std::string>& args,
            const QByteArray& display) {
  const std::string path = QFileInfo(program).absoluteFilePath().toStdString();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(path.c_str()));
  for (const std::string& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  const std::string displayVar = "DISPLAY=" + display.toStdString();
  std::vector<char*> envp;
  for (char** var = environ; *var != nullptr; ++var) {
    if (std::strncmp(*var, "DISPLAY=", 8) != 0) {
      envp.push_back(*var);
    }
  }
  envp.push_back(const_cast<char*>(displayVar.c_str()));
  envp.push_back(nullptr);

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) {
      _exit(127);  // the parent is already gone
    }
    const int null = open("/dev/null", O_RDWR);
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    execve(path.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

bool hasExited(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, WNOHANG) == pid;
}

// SIGTERM, a bounded wait, then SIGKILL: only ever our own child.
void stop(pid_t& pid) {
  if (pid <= 0) {
    return;
  }
  kill(pid, SIGTERM);
  const auto deadline = Clock::now() + kStopTimeout;
  bool reaped = hasExited(pid);
  while (!reaped && Clock::now() < deadline) {
    std::this_thread::sleep_for(kPollInterval);
    reaped = hasExited(pid);
  }
  if (!reaped) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  pid = -1;
}

// True once a server accepts connections on the display's socket.
bool accepts(int display) {
  const QByteArray path = socketPath(display);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return false;
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.constData(), sizeof(address.sun_path) - 1);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

}  // namespace

TrayHost::~TrayHost() {
  stop(trayer_);
  stop(xvfb_);
}

bool TrayHost::start() {
  const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
  const QString trayer = QStandardPaths::findExecutable(QStringLiteral("trayer"));
  if (xvfb.isEmpty() || trayer.isEmpty()) {
    skipReason_ = QStringLiteral("%1 is not installed (a system tray host needs Xvfb and trayer)")
                      .arg(xvfb.isEmpty() ? QStringLiteral("Xvfb") : QStringLiteral("trayer"));
    return false;
  }
  if (!startXvfb(xvfb)) {
    return false;
  }
  // trayer is ready when it owns the tray selection; the test waits for that
  // through QSystemTrayIcon::isSystemTrayAvailable().
  trayer_ = spawn(trayer,
                  {"--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24",
                   "--transparent", "false"},
                  display_);
  if (trayer_ < 0) {
    error_ = QStringLiteral("could not start trayer");
    return false;
  }
  return true;
}

bool TrayHost::startXvfb(const QString& program) {
  int attempts = 0;
  for (int display = kFirstDisplay; display <= kLastDisplay && attempts < kMaxXvfbAttempts;
       ++display) {
    if (QFileInfo::exists(QString::fromLatin1(socketPath(display))) ||
        QFileInfo::exists(QString::fromLatin1(lockPath(display)))) {
      continue;
    }
    ++attempts;
    const QByteArray name = ":" + QByteArray::number(display);
    // -noreset: the readiness probe below is a client too, and its leaving
    // must not make the server start over while trayer connects.
    xvfb_ = spawn(
        program,
        {name.toStdString(), "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"}, {});
    if (xvfb_ < 0) {
      break;
    }
    const auto deadline = Clock::now() + kStartTimeout;
    while (Clock::now() < deadline) {
      if (hasExited(xvfb_)) {
        xvfb_ = -1;  // lost a race for this display to someone else: try the next
        break;
      }
      if (accepts(display)) {
        display_ = name;
        return true;
      }
      std::this_thread::sleep_for(kPollInterval);
    }
    if (xvfb_ > 0) {
      stop(xvfb_);
      error_ = QStringLiteral("Xvfb %1 did not accept connections within %2 s")
                   .arg(QString::fromLatin1(name))
                   .arg(std::chrono::seconds(kStartTimeout).count());
      return false;
    }
  }
  error_ = QStringLiteral("Xvfb would not start on any free display in :%1..:%2")
               .arg(kFirstDisplay)
               .arg(kLastDisplay);
  return false;
}

}  // namespace tributary::test
