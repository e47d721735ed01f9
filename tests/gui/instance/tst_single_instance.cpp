// SingleInstance in one process: a client hands its sources to a server (the
// client blocks, so it runs on a thread of its own), a second server never
// steals a live name, a stale socket file is taken over, and what a hostile or
// broken client sends (oversize, garbage, silence, a flood of connections) is
// refused without a signal, a crash or a hang.
#include <QElapsedTimer>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <QWidget>
#include <QtEndian>
#include <future>
#include <memory>
#include <vector>

#include "ui/widgets/SingleInstance.h"

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#endif

using tributary::ui::SingleInstance;

namespace {

QString uniqueName() {
  return QStringLiteral("tributary-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// The client blocks while it waits for the answer, so it runs off this thread
// while the test's event loop serves the server.
std::future<bool> handOffLater(const QString& name, const QStringList& sources,
                               int timeoutMs = SingleInstance::kHandOffTimeoutMs) {
  return std::async(std::launch::async, [name, sources, timeoutMs] {
    SingleInstance client(name);
    return client.tryHandOff(sources, timeoutMs);
  });
}

bool ready(const std::future<bool>& future) {
  return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

QByteArray header(quint32 length) {
  QByteArray bytes(4, Qt::Uninitialized);
  qToBigEndian(length, bytes.data());
  return bytes;
}

struct Spies {
  explicit Spies(SingleInstance& instance)
      : sources(&instance, &SingleInstance::sourcesReceived),
        activation(&instance, &SingleInstance::activationRequested) {}
  QSignalSpy sources;
  QSignalSpy activation;
};

}  // namespace

class TestSingleInstance : public QObject {
  Q_OBJECT

 private slots:
  void handsSourcesToTheRunningInstance();
  void emptyHandOffOnlyActivates();
  void noInstanceMeansNoHandOff();
  void secondServerNeverStealsALiveName();
  void staleSocketFileIsTakenOver();
  void oversizeMessageIsRefused();
  void garbageIsRefused_data();
  void garbageIsRefused();
  void silentClientIsDropped();
  void floodOfConnectionsIsBounded();
  void silentServerDoesNotHoldTheClient();
  void encodeRefusesOversize();
  void argumentsBecomeSources_data();
  void argumentsBecomeSources();
  void bringToFrontRestoresTheWindow();
  void defaultNameComesFromTheEnvironment();

 private:
  // A valid hand-off still goes through: the server survived what came before.
  void expectServerStillWorks(SingleInstance& server, Spies& spies);
};

void TestSingleInstance::expectServerStillWorks(SingleInstance& server, Spies& spies) {
  spies.sources.clear();
  auto after = handOffLater(server.serverName(), {QStringLiteral("/still/works.torrent")});
  QTRY_VERIFY_WITH_TIMEOUT(ready(after), 10000);
  QVERIFY(after.get());
  QCOMPARE(spies.sources.count(), 1);
  QCOMPARE(spies.sources.first().first().toStringList(),
           QStringList{QStringLiteral("/still/works.torrent")});
}

void TestSingleInstance::handsSourcesToTheRunningInstance() {
  SingleInstance server(uniqueName());
  QVERIFY(server.listen());
  Spies spies(server);
  const QStringList sources = {
      QStringLiteral("/home/u/Ubuntu 24.04 ☃.torrent"),
      QStringLiteral("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=x"),
      QStringLiteral("https://example.test/a.iso")};
  auto handOff = handOffLater(server.serverName(), sources);
  QTRY_VERIFY_WITH_TIMEOUT(ready(handOff), 10000);
  QVERIFY(handOff.get());
  QCOMPARE(spies.sources.count(), 1);
  QCOMPARE(spies.sources.first().first().toStringList(), sources);
  QCOMPARE(spies.activation.count(), 1);
}

void TestSingleInstance::emptyHandOffOnlyActivates() {
  SingleInstance server(uniqueName());
  QVERIFY(server.listen());
  Spies spies(server);
  auto handOff = handOffLater(server.serverName(), {});
  QTRY_VERIFY_WITH_TIMEOUT(ready(handOff), 10000);
  QVERIFY(handOff.get());
  QCOMPARE(spies.activation.count(), 1);
  QCOMPARE(spies.sources.count(), 0);
}

void TestSingleInstance::noInstanceMeansNoHandOff() {
  SingleInstance client(uniqueName());
  QVERIFY(!client.tryHandOff({QStringLiteral("/a.torrent")}));
}

void TestSingleInstance::secondServerNeverStealsALiveName() {
  const QString name = uniqueName();
  SingleInstance first(name);
  QVERIFY(first.listen());
  Spies spies(first);
  {
    SingleInstance second(name);
    QVERIFY(!second.listen());
    QVERIFY(!second.isListening());
  }
  QVERIFY(first.isListening());
  expectServerStillWorks(first, spies);
}

void TestSingleInstance::staleSocketFileIsTakenOver() {
#ifndef Q_OS_UNIX
  QSKIP("socket files are a Unix thing; Windows pipes vanish with their process");
#else
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath(QStringLiteral("instance"));
  // What a crashed instance leaves: a bound socket file that nobody listens on.
  {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const QByteArray encoded = QFile::encodeName(path);
    QVERIFY(static_cast<std::size_t>(encoded.size()) < sizeof(address.sun_path));
    std::memcpy(address.sun_path, encoded.constData(), static_cast<std::size_t>(encoded.size()));
    QCOMPARE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    ::close(fd);
  }
  QVERIFY(QFile::exists(path));
  // The file really is in the way of a plain listen...
  {
    QLocalServer plain;
    QVERIFY(!plain.listen(path));
    QCOMPARE(plain.serverError(), QAbstractSocket::AddressInUseError);
  }
  // ...nobody answers through it...
  SingleInstance client(path);
  QVERIFY(!client.tryHandOff({QStringLiteral("/x.torrent")}));
  // ...and the instance takes the name over.
  SingleInstance server(path);
  QVERIFY(server.listen());
  Spies spies(server);
  expectServerStillWorks(server, spies);
#endif
}

void TestSingleInstance::oversizeMessageIsRefused() {
  SingleInstance server(uniqueName());
  // Only the refusal, never the read timeout, may close the connection here.
  server.setReadTimeout(60000);
  QVERIFY(server.listen());
  Spies spies(server);
  QLocalSocket client;
  client.connectToServer(server.serverName());
  QVERIFY(client.waitForConnected(5000));
  client.write(header(SingleInstance::kMaxMessageBytes + 1));
  client.write(QByteArray(64 * 1024, '['));
  client.flush();
  // Closed without an answer, and nothing reached the window.
  QTRY_COMPARE_WITH_TIMEOUT(client.state(), QLocalSocket::UnconnectedState, 5000);
  QCOMPARE(client.bytesAvailable(), 0);
  QCOMPARE(spies.sources.count(), 0);
  QCOMPARE(spies.activation.count(), 0);
  expectServerStillWorks(server, spies);
}

void TestSingleInstance::garbageIsRefused_data() {
  QTest::addColumn<QByteArray>("payload");
  QTest::newRow("not json") << QByteArray("this is not json");
  QTest::newRow("object") << QByteArray(R"({"sources":["/a.torrent"]})");
  QTest::newRow("number in array") << QByteArray(R"(["/a.torrent", 7])");
  QTest::newRow("nested array") << QByteArray(R"([["/a.torrent"]])");
  QTest::newRow("truncated") << QByteArray(R"(["/a.torr)");
  QTest::newRow("binary") << QByteArray("\x00\xff\xfe\x01[\"", 6);
  QTest::newRow("empty payload") << QByteArray();
}

void TestSingleInstance::garbageIsRefused() {
  QFETCH(QByteArray, payload);
  SingleInstance server(uniqueName());
  // Only the refusal, never the read timeout, may close the connection here.
  server.setReadTimeout(60000);
  QVERIFY(server.listen());
  Spies spies(server);
  QLocalSocket client;
  client.connectToServer(server.serverName());
  QVERIFY(client.waitForConnected(5000));
  client.write(header(static_cast<quint32>(payload.size())) + payload);
  client.flush();
  QTRY_COMPARE_WITH_TIMEOUT(client.state(), QLocalSocket::UnconnectedState, 5000);
  QCOMPARE(client.readAll(), QByteArray());  // no "OK": the sender must not exit
  QCOMPARE(spies.sources.count(), 0);
  QCOMPARE(spies.activation.count(), 0);
  expectServerStillWorks(server, spies);
}

void TestSingleInstance::silentClientIsDropped() {
  SingleInstance server(uniqueName());
  server.setReadTimeout(200);
  QVERIFY(server.listen());
  Spies spies(server);
  QLocalSocket client;
  client.connectToServer(server.serverName());
  QVERIFY(client.waitForConnected(5000));
  client.write(QByteArray("\x00\x00", 2));  // half a header, then nothing
  client.flush();
  QTRY_COMPARE_WITH_TIMEOUT(client.state(), QLocalSocket::UnconnectedState, 5000);
  QCOMPARE(spies.activation.count(), 0);
  expectServerStillWorks(server, spies);
}

void TestSingleInstance::floodOfConnectionsIsBounded() {
  SingleInstance server(uniqueName());
  server.setReadTimeout(500);
  QVERIFY(server.listen());
  Spies spies(server);
  std::vector<std::unique_ptr<QLocalSocket>> idle;
  const int extra = 4;
  for (int i = 0; i < SingleInstance::kMaxOpenConnections + extra; ++i) {
    idle.push_back(std::make_unique<QLocalSocket>());
    idle.back()->connectToServer(server.serverName());
    QVERIFY(idle.back()->waitForConnected(5000));
  }
  // Those over the bound are closed at once, long before the read timeout.
  auto closed = [&] {
    int count = 0;
    for (const auto& socket : idle) {
      count += socket->state() == QLocalSocket::UnconnectedState ? 1 : 0;
    }
    return count;
  };
  QTRY_VERIFY_WITH_TIMEOUT(closed() >= extra, 5000);
  // The rest time out; then a real hand-off is served again.
  QTRY_COMPARE_WITH_TIMEOUT(closed(), SingleInstance::kMaxOpenConnections + extra, 10000);
  QCOMPARE(spies.activation.count(), 0);
  expectServerStillWorks(server, spies);
}

void TestSingleInstance::silentServerDoesNotHoldTheClient() {
  // A server that accepts but never answers (a hung instance): the client gives
  // up after its timeout and reports that nobody took the sources.
  QLocalServer mute;
  QVERIFY(mute.listen(uniqueName()));
  auto handOff = handOffLater(mute.serverName(), {QStringLiteral("/a.torrent")}, 300);
  QTRY_VERIFY_WITH_TIMEOUT(ready(handOff), 10000);
  QVERIFY(!handOff.get());
}

void TestSingleInstance::encodeRefusesOversize() {
  const QByteArray frame = SingleInstance::encodeMessage({QStringLiteral("/a.torrent")});
  QCOMPARE(qFromBigEndian<quint32>(frame.constData()), quint32(frame.size() - 4));
  QCOMPARE(frame.mid(4), QByteArray(R"(["/a.torrent"])"));
  const QString huge(static_cast<qsizetype>(SingleInstance::kMaxMessageBytes), QLatin1Char('x'));
  QVERIFY(SingleInstance::encodeMessage({huge}).isEmpty());
  // Nothing is sent, and the caller is told nobody took them.
  SingleInstance client(uniqueName());
  QVERIFY(!client.tryHandOff({huge}));
}

void TestSingleInstance::argumentsBecomeSources_data() {
  QTest::addColumn<QStringList>("arguments");
  QTest::addColumn<QStringList>("sources");
  const QString magnet =
      QStringLiteral("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=a%20b");
  QTest::newRow("relative path") << QStringList{QStringLiteral("t/x.torrent")}
                                 << QStringList{QStringLiteral("/work/dir/t/x.torrent")};
  QTest::newRow("dots cleaned") << QStringList{QStringLiteral("./a/../x.torrent")}
                                << QStringList{QStringLiteral("/work/dir/x.torrent")};
  QTest::newRow("absolute path") << QStringList{QStringLiteral("/srv/x.torrent")}
                                 << QStringList{QStringLiteral("/srv/x.torrent")};
  QTest::newRow("file url") << QStringList{QStringLiteral("file:///srv/two%20words.torrent")}
                            << QStringList{QStringLiteral("/srv/two words.torrent")};
  QTest::newRow("magnet") << QStringList{magnet} << QStringList{magnet};
  QTest::newRow("urls") << QStringList{QStringLiteral("https://e.test/a.iso"),
                                       QStringLiteral("HTTP://e.test/b")}
                        << QStringList{QStringLiteral("https://e.test/a.iso"),
                                       QStringLiteral("HTTP://e.test/b")};
  QTest::newRow("blanks skipped") << QStringList{QStringLiteral(""), QStringLiteral("  ")}
                                  << QStringList{};
}

void TestSingleInstance::argumentsBecomeSources() {
  QFETCH(QStringList, arguments);
  QFETCH(QStringList, sources);
  QCOMPARE(SingleInstance::sourcesFromArguments(arguments, QStringLiteral("/work/dir")), sources);
}

void TestSingleInstance::bringToFrontRestoresTheWindow() {
  QWidget window;
  window.resize(300, 200);
  window.show();
  QVERIFY(QTest::qWaitForWindowExposed(&window));
  window.hide();
  SingleInstance::bringToFront(&window);
  QVERIFY(window.isVisible());

  window.setWindowState(Qt::WindowMaximized);
  window.showMinimized();
  QTRY_VERIFY_WITH_TIMEOUT(window.isMinimized(), 5000);
  SingleInstance::bringToFront(&window);
  QTRY_VERIFY_WITH_TIMEOUT(!window.isMinimized(), 5000);
  QVERIFY(window.isVisible());
  QVERIFY(window.windowState().testFlag(Qt::WindowMaximized));  // as it was before
}

void TestSingleInstance::defaultNameComesFromTheEnvironment() {
  const QString name = uniqueName();
  qputenv("TRIBUTARY_INSTANCE_NAME", name.toUtf8());
  QCOMPARE(SingleInstance::defaultName(), name);
  QCOMPARE(SingleInstance().serverName(), name);
  qunsetenv("TRIBUTARY_INSTANCE_NAME");
  // Per user, and never the test's name.
  const QString perUser = SingleInstance::defaultName();
  QVERIFY(!perUser.isEmpty());
  QVERIFY(perUser != name);
}

QTEST_MAIN(TestSingleInstance)
#include "tst_single_instance.moc"
