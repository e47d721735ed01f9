// Issue 8, item 3: a source that is down must not stop a task that has a
// working one. A torrent whose trackers are a closed TCP port and a UDP
// tracker that never answers, with a web seed (nginx) that works, completes;
// the dead HTTP tracker shows its error and when it is asked again. An HTTP
// task whose mirror refuses connections completes from its origin, and the
// mirror shows ConnectionRefused.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <ctime>

#include "engine/api/Engine.h"
#include "engine/api/TorrentCreator.h"
#include "support/EngineSession.h"
#include "support/NginxServer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

constexpr qint64 kMiB = 1 << 20;

// A socket of `type` bound to 127.0.0.1 on a free port; closed with the object.
class LoopbackSocket {
 public:
  explicit LoopbackSocket(int type) : fd_(::socket(AF_INET, type, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  ~LoopbackSocket() { close(); }
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;

  void close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  quint16 port() const { return port_; }  // 0 when binding failed

 private:
  int fd_ = -1;
  quint16 port_ = 0;
};

// A port on 127.0.0.1 that was free a moment ago and that nothing listens on
// (a bound TCP socket that never listened, then closed): a connection there
// is refused at once.
quint16 closedPort() {
  LoopbackSocket socket(SOCK_STREAM);
  return socket.port();
}

}  // namespace

class TestSourcesDown : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    content_ = test::randomBytes(4 * kMiB + 321, 81);
    QFile file(root_.filePath("data.bin"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(content_), content_.size());
    file.close();
    test::NginxOptions options;
    options.rootDir = root_.path();
    // Slow enough that the dead sources are tried while the download runs.
    options.extraServerDirectives = QStringLiteral("limit_rate 1m; sendfile_max_chunk 16k;");
    nginx_ = std::make_unique<test::NginxServer>(options);
    QCOMPARE(nginx_->start(), QString());
  }

  void torrentWithDeadTrackersCompletesFromItsWebSeed() {
    const quint16 deadTcp = closedPort();
    QVERIFY(deadTcp != 0);
    LoopbackSocket silent(SOCK_DGRAM);  // bound, never read: a tracker that never answers
    QVERIFY(silent.port() != 0);
    const std::string deadHttp = "http://127.0.0.1:" + std::to_string(deadTcp) + "/announce";
    const std::string deadUdp = "udp://127.0.0.1:" + std::to_string(silent.port()) + "/announce";

    CreateTorrentParams create;
    create.path = root_.filePath("data.bin").toStdString();
    create.trackers = {deadHttp, deadUdp};
    create.webSeeds = {(nginx_->baseUrl() + "/data.bin").toStdString()};
    create.pieceSize = 256 * 1024;
    create.creationDate = 0;
    auto made = createTorrent(create);
    QVERIFY2(made, made ? "" : made.error().detail.c_str());
    const QString torrentFile = work_.filePath("dead-trackers.torrent");
    {
      QFile file(torrentFile);
      QVERIFY(file.open(QIODevice::WriteOnly));
      const QByteArray bytes = QByteArray::fromStdString(made.value().bytes);
      QCOMPARE(file.write(bytes), bytes.size());
    }

    QTemporaryDir out;
    Session session;
    AddParams params;
    params.source = torrentFile.toStdString();
    params.saveDir = out.path().toStdString();
    const auto started = std::chrono::steady_clock::now();
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);

    // While it downloads, the refused tracker shows why and is on back-off
    // with a retry time.
    const auto deadFailed = [&](const TaskSnapshot& s) {
      return s.torrent && !s.torrent->trackers.empty() &&
             s.torrent->trackers[0].status == TrackerSnapshot::Status::Failed;
    };
    QVERIFY2(session.waitForSnapshot(id, deadFailed, 10s), "the closed port never failed");
    const TaskSnapshot during = session.latest(id);
    QCOMPARE(during.state, TaskState::Downloading);
    QCOMPARE(during.torrent->trackers.size(), std::size_t{2});
    const TrackerSnapshot& http = during.torrent->trackers[0];
    QCOMPARE(http.url, deadHttp);
    QVERIFY2(!http.message.empty(), "no reason shown for the dead tracker");
    const std::int64_t now = std::time(nullptr);
    QVERIFY2(http.nextAnnounceUnix >= now + 5,
             qPrintable(QString("retry at %1, now %2").arg(http.nextAnnounceUnix).arg(now)));
    qInfo("dead HTTP tracker: \"%s\", retried in %lld s", http.message.c_str(),
          static_cast<long long>(http.nextAnnounceUnix - now));
    // The silent one has not answered, so it cannot be Working.
    QCOMPARE(during.torrent->trackers[1].url, deadUdp);
    QVERIFY(during.torrent->trackers[1].status != TrackerSnapshot::Status::Working);

    auto end = session.waitForEvent(id, {Event::Kind::Completed, Event::Kind::Failed}, 30s);
    QVERIFY2(end && end->kind == Event::Kind::Completed,
             end ? end->message.c_str() : "not completed within 30 s");
    qInfo("completed in %.1f s",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    QVERIFY(test::fileContent(out.filePath("data.bin")) == content_);
    const TaskSnapshot s = session.settledSnapshot(id);
    QVERIFY(s.traffic.cdn >= static_cast<std::uint64_t>(content_.size()));
    session.stop();
  }

  void httpTaskWithARefusingMirrorCompletesFromItsOrigin() {
    const quint16 deadTcp = closedPort();
    QVERIFY(deadTcp != 0);
    const std::string deadMirror = "http://127.0.0.1:" + std::to_string(deadTcp) + "/data.bin";
    QTemporaryDir out;
    Session session;
    const TaskId id =
        session.add((nginx_->baseUrl() + "/data.bin").toStdString(), out.path(), {deadMirror});
    QVERIFY(id != kInvalidTaskId);
    // While the origin carries the download, the mirror says why it is idle.
    const auto mirrorRefused = [](const TaskSnapshot& s) {
      return s.sources.size() == 2 && s.sources[1].error == ErrorCode::ConnectionRefused;
    };
    QVERIFY2(session.waitForSnapshot(id, mirrorRefused, 10s),
             "the refusing mirror never showed ConnectionRefused");
    QCOMPARE(session.latest(id).state, TaskState::Downloading);
    auto end = session.waitForEvent(id, {Event::Kind::Completed, Event::Kind::Failed}, 30s);
    QVERIFY2(end && end->kind == Event::Kind::Completed,
             end ? end->message.c_str() : "not completed within 30 s");
    QVERIFY(test::fileContent(out.filePath("data.bin")) == content_);

    const TaskSnapshot s = session.settledSnapshot(id);
    QCOMPARE(s.sources.size(), std::size_t{2});
    const SourceSnapshot& mirror = s.sources[1];
    QCOMPARE(mirror.url, deadMirror);
    qInfo("dead mirror: state %d, \"%s\"", static_cast<int>(mirror.state),
          mirror.errorDetail.c_str());
    QCOMPARE(mirror.error, ErrorCode::ConnectionRefused);
    QCOMPARE(mirror.downloaded, std::uint64_t{0});
    QCOMPARE(s.traffic.http, static_cast<std::uint64_t>(content_.size()));
    session.stop();
  }

 private:
  QTemporaryDir root_;
  QTemporaryDir work_;
  QByteArray content_;
  std::unique_ptr<test::NginxServer> nginx_;
};

QTEST_GUILESS_MAIN(TestSourcesDown)
#include "tst_sources_down.moc"
