// Public to app/: one Tributary window per user. A second launch
// (`tributary FILE.torrent`, `tributary magnet:?...`, `tributary URL`, or no
// argument) hands its sources to the running instance over a local socket and
// exits; the running instance adds them and comes to the front.
//
// The wire format is one frame each way. The client sends a 4-byte big-endian
// length and that many bytes of UTF-8 JSON, an array of strings (empty = only
// "show yourself"); the server answers "OK" once it has taken them, and only
// then does the client exit. The server refuses a frame over the size cap, one
// that is not an array of strings, and a client that goes silent, by closing the
// connection without an answer; nothing a client sends can block or crash it.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QLocalServer;
class QLocalSocket;
class QWidget;

namespace tributary::ui {

class SingleInstance : public QObject {
  Q_OBJECT

 public:
  static constexpr qint64 kMaxMessageBytes = 1024 * 1024;
  static constexpr int kHandOffTimeoutMs = 3000;
  static constexpr int kReadTimeoutMs = 5000;
  // Connections being read at once; more are closed at once (a local client
  // that opens hundreds gets nothing but costs nothing either).
  static constexpr int kMaxOpenConnections = 16;

  // `name` is the QLocalServer name; empty means defaultName().
  explicit SingleInstance(const QString& name = {}, QObject* parent = nullptr);
  ~SingleInstance() override;

  // $TRIBUTARY_INSTANCE_NAME when set (tests give each run its own), else a
  // per-user name: a socket in the user's private runtime folder on Unix, a
  // pipe named after the user elsewhere (pipe names are machine-wide there).
  static QString defaultName();

  QString serverName() const { return name_; }

  // Client side. True when a running instance took `sources` (the caller
  // should exit); false when none answered within timeoutMs, in which case the
  // caller becomes the instance. Blocks for at most timeoutMs: call it before
  // the event loop runs.
  bool tryHandOff(const QStringList& sources, int timeoutMs = kHandOffTimeoutMs);

  // Server side. False when another live instance holds the name. A socket file
  // that a crashed instance left behind (nobody answers a connect) is removed
  // and the name taken over.
  bool listen();
  bool isListening() const;

  // How long a connected client may take to send its frame (tests shorten it).
  void setReadTimeout(int ms) { readTimeoutMs_ = ms; }

  // Command-line arguments as sources: file:// URLs become local paths, and
  // relative paths are made absolute against `workingDir` (the running
  // instance has its own working folder). Links pass through unchanged.
  static QStringList sourcesFromArguments(const QStringList& arguments, const QString& workingDir);

  // Shows `window` in front, restored if it was hidden or minimised.
  static void bringToFront(QWidget* window);

  // The frame a client sends for `sources`; empty when it would exceed the cap.
  static QByteArray encodeMessage(const QStringList& sources);

 signals:
  // Emitted first, for every accepted message, so the window is on screen
  // before any dialog the sources open.
  void activationRequested();
  // Only when the message named at least one source.
  void sourcesReceived(const QStringList& sources);

 private:
  void acceptConnections();
  // Reads what has arrived into `frame`; answers and closes once it is whole or bad.
  void readFrom(QLocalSocket* socket, QByteArray& frame);

  QString name_;
  QLocalServer* server_ = nullptr;
  int readTimeoutMs_ = kReadTimeoutMs;
  int openConnections_ = 0;
};

}  // namespace tributary::ui
