#include "ui/widgets/SingleInstance.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocalServer>
#include <QLocalSocket>
#include <QStandardPaths>
#include <QTimer>
#include <QUrl>
#include <QWidget>
#include <QtEndian>
#include <memory>
#include <optional>

namespace tributary::ui {

namespace {

constexpr qsizetype kHeaderBytes = 4;
const QByteArray kAck = QByteArrayLiteral("OK");
// Long enough for a live but busy instance's kernel backlog to accept us.
constexpr int kProbeTimeoutMs = 1000;

// Whole payload in, list out; nullopt for anything but a JSON array of strings.
std::optional<QStringList> decodePayload(const QByteArray& payload) {
  QJsonParseError error{};
  const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
  if (error.error != QJsonParseError::NoError || !document.isArray()) {
    return std::nullopt;
  }
  QStringList sources;
  for (const QJsonValue& value : document.array()) {
    if (!value.isString()) {
      return std::nullopt;
    }
    const QString source = value.toString().trimmed();
    if (!source.isEmpty()) {
      sources << source;
    }
  }
  return sources;
}

int remainingMs(const QDeadlineTimer& deadline) {
  return static_cast<int>(qMax<qint64>(0, deadline.remainingTime()));
}

bool hasScheme(const QString& argument, const char* scheme) {
  return argument.startsWith(QString::fromLatin1(scheme) + QLatin1Char(':'), Qt::CaseInsensitive);
}

}  // namespace

SingleInstance::SingleInstance(const QString& name, QObject* parent)
    : QObject(parent), name_(name.isEmpty() ? defaultName() : name) {}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::defaultName() {
  const QString fromEnvironment = qEnvironmentVariable("TRIBUTARY_INSTANCE_NAME");
  if (!fromEnvironment.isEmpty()) {
    return fromEnvironment;
  }
#ifdef Q_OS_UNIX
  // $XDG_RUNTIME_DIR is the user's own (mode 0700): nobody else can squat on
  // the name or connect, which a socket in the shared /tmp cannot promise.
  const QString runtime = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
  if (!runtime.isEmpty()) {
    return QDir(runtime).filePath(QStringLiteral("tributary.instance"));
  }
#endif
  const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
  const QByteArray who = (user + QLatin1Char('|') + QDir::homePath()).toUtf8();
  return QStringLiteral("tributary-") +
         QString::fromLatin1(
             QCryptographicHash::hash(who, QCryptographicHash::Sha256).toHex().left(16));
}

QByteArray SingleInstance::encodeMessage(const QStringList& sources) {
  const QByteArray payload =
      QJsonDocument(QJsonArray::fromStringList(sources)).toJson(QJsonDocument::Compact);
  if (payload.size() > kMaxMessageBytes) {
    return {};
  }
  QByteArray frame(kHeaderBytes, Qt::Uninitialized);
  qToBigEndian(static_cast<quint32>(payload.size()), frame.data());
  return frame + payload;
}

bool SingleInstance::tryHandOff(const QStringList& sources, int timeoutMs) {
  const QByteArray frame = encodeMessage(sources);
  if (frame.isEmpty()) {
    qWarning("tributary: too many arguments to pass to the running instance");
    return false;
  }
  const QDeadlineTimer deadline(timeoutMs);
  QLocalSocket socket;
  socket.connectToServer(name_);
  if (!socket.waitForConnected(remainingMs(deadline))) {
    return false;  // nobody there (or a stale socket file): we are the first
  }
  socket.write(frame);
  while (socket.bytesToWrite() > 0) {
    if (!socket.waitForBytesWritten(remainingMs(deadline))) {
      return false;
    }
  }
  // The answer may already be buffered when the server has closed its end.
  QByteArray reply;
  while (reply.size() < kAck.size()) {
    if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(remainingMs(deadline))) {
      break;
    }
    reply += socket.read(kAck.size() - reply.size());
  }
  socket.abort();
  return reply == kAck;
}

bool SingleInstance::listen() {
  if (isListening()) {
    return true;
  }
  if (!server_) {
    server_ = new QLocalServer(this);
    connect(server_, &QLocalServer::newConnection, this, &SingleInstance::acceptConnections);
  }
  if (server_->listen(name_)) {
    return true;
  }
  if (server_->serverError() != QAbstractSocket::AddressInUseError) {
    qWarning("tributary: cannot listen for other launches on %s: %s", qPrintable(name_),
             qPrintable(server_->errorString()));
    return false;
  }
  // In use: by a live instance, which accepts a connect, or by the socket file
  // of one that crashed, which refuses it and can be removed.
  QLocalSocket probe;
  probe.connectToServer(name_);
  if (probe.waitForConnected(kProbeTimeoutMs)) {
    probe.abort();
    return false;
  }
  QLocalServer::removeServer(name_);
  return server_->listen(name_);
}

bool SingleInstance::isListening() const {
  return server_ && server_->isListening();
}

void SingleInstance::acceptConnections() {
  while (QLocalSocket* socket = server_->nextPendingConnection()) {
    if (openConnections_ >= kMaxOpenConnections) {
      socket->abort();
      socket->deleteLater();
      continue;
    }
    ++openConnections_;
    connect(socket, &QObject::destroyed, this, [this] { --openConnections_; });
    connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
    // A client that connects and says nothing must not hold a slot forever.
    auto* timer = new QTimer(socket);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, socket, [socket] {
      socket->abort();
      socket->deleteLater();
    });
    timer->start(readTimeoutMs_);
    auto frame = std::make_shared<QByteArray>();
    connect(socket, &QLocalSocket::readyRead, this,
            [this, socket, frame] { readFrom(socket, *frame); });
    // Bytes may have arrived with the connection itself.
    if (socket->bytesAvailable() > 0) {
      readFrom(socket, *frame);
    }
  }
}

void SingleInstance::readFrom(QLocalSocket* socket, QByteArray& frame) {
  if (socket->state() != QLocalSocket::ConnectedState && socket->bytesAvailable() == 0) {
    return;
  }
  // Never read more than the frame can hold: the cap bounds memory, whatever arrives.
  if (frame.size() < kHeaderBytes) {
    frame += socket->read(kHeaderBytes - frame.size());
    if (frame.size() < kHeaderBytes) {
      return;
    }
  }
  const quint32 length = qFromBigEndian<quint32>(frame.constData());
  if (length > kMaxMessageBytes) {
    socket->abort();
    socket->deleteLater();
    return;
  }
  const qsizetype total = kHeaderBytes + static_cast<qsizetype>(length);
  if (frame.size() < total) {
    frame += socket->read(total - frame.size());
    if (frame.size() < total) {
      return;
    }
  }
  const std::optional<QStringList> sources = decodePayload(frame.mid(kHeaderBytes));
  frame.clear();
  if (!sources) {
    socket->abort();
    socket->deleteLater();
    return;
  }
  // Answer before acting, so the second launch exits while dialogs open here.
  disconnect(socket, &QLocalSocket::readyRead, this, nullptr);
  socket->write(kAck);
  socket->flush();
  socket->disconnectFromServer();
  emit activationRequested();
  if (!sources->isEmpty()) {
    emit sourcesReceived(*sources);
  }
}

QStringList SingleInstance::sourcesFromArguments(const QStringList& arguments,
                                                 const QString& workingDir) {
  QStringList sources;
  for (const QString& argument : arguments) {
    const QString trimmed = argument.trimmed();
    if (trimmed.isEmpty()) {
      continue;
    }
    // The desktop file passes file:// URLs (%U); links stay as they are.
    if (hasScheme(trimmed, "file")) {
      const QUrl url(trimmed);
      sources << (url.isLocalFile() ? url.toLocalFile() : trimmed);
    } else if (hasScheme(trimmed, "magnet") || trimmed.contains(QLatin1String("://"))) {
      sources << trimmed;
    } else {
      sources << QDir::cleanPath(QDir(workingDir).absoluteFilePath(trimmed));
    }
  }
  return sources;
}

void SingleInstance::bringToFront(QWidget* window) {
  if (window->isMinimized()) {
    // Keeps Maximized if it was: only the minimised bit goes.
    window->setWindowState((window->windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
  }
  window->show();
  window->raise();
  window->activateWindow();
}

}  // namespace tributary::ui
