// A real system tray for a test: Xvfb on a free display and trayer (a small
// XEmbed tray) on it. Both are started before the QApplication exists, since
// Qt connects to the display when it is created, and both are ended by their
// own process ids when the host goes, after Qt has let go of the display.
// Linux only: the children also get SIGTERM if the test process dies.
#pragma once

#include <sys/types.h>

#include <QByteArray>
#include <QString>

namespace tributary::test {

class TrayHost {
 public:
  TrayHost() = default;
  ~TrayHost();
  TrayHost(const TrayHost&) = delete;
  TrayHost& operator=(const TrayHost&) = delete;

  // False when Xvfb or trayer is missing (skipReason() says which) or when
  // they would not start (error() says why).
  bool start();

  QByteArray display() const { return display_; }  // ":93"
  QString skipReason() const { return skipReason_; }
  QString error() const { return error_; }

 private:
  bool startXvfb(const QString& program);

  pid_t xvfb_ = -1;
  pid_t trayer_ = -1;
  QByteArray display_;
  QString skipReason_;
  QString error_;
};

}  // namespace tributary::test
