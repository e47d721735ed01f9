// A real nginx on 127.0.0.1 for interop tests, with everything (config, pid,
// logs, temp files) inside a temporary directory of its own. One process
// (`master_process off`), started with `daemon off` as our child, killed with
// us if we crash (PR_SET_PDEATHSIG), and stopped by PID when this object goes,
// so a failing QVERIFY cannot leave it running. Start it from a thread that
// lives as long as it should (the test's main thread): PR_SET_PDEATHSIG fires
// when the thread that forked it ends.
#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QtGlobal>

#include <memory>

namespace tributary::test {

struct NginxOptions {
  QString rootDir;  // served as "/"
  // Both set: HTTPS (TLS 1.2 and 1.3) with this certificate chain and key. Both empty: plain HTTP.
  QString certFile;
  QString keyFile;
  quint16 port = 0;  // 0: pick a free port (retried if another process takes it first)
  // Pasted inside the server { } block, e.g. "location /slow/ { limit_rate 100k; }".
  QString extraServerDirectives;
};

class NginxServer {
 public:
  explicit NginxServer(NginxOptions options);
  ~NginxServer();
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  // The nginx binary, or an empty string if it is not installed (tests QSKIP then).
  static QString executable();

  // Starts nginx and returns once it accepts connections (at most ~10 s).
  // Returns an empty string on success, otherwise what went wrong with the error log.
  QString start();
  void stop();
  bool running() const;

  quint16 port() const { return port_; }
  bool tls() const { return !options_.certFile.isEmpty(); }
  QString baseUrl() const;  // "https://127.0.0.1:PORT" or "http://..."
  QString errorLog() const;
  QString accessLog() const;

 private:
  QString startOnce(quint16 port);
  QString writeConfig(quint16 port) const;

  NginxOptions options_;
  QTemporaryDir dir_;
  std::unique_ptr<QProcess> process_;
  quint16 port_ = 0;
};

}  // namespace tributary::test
