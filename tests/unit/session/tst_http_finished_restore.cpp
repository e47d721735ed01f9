// A finished HTTP task across restarts (EngineConfig::stateDir): it comes back
// Completed with its file's name (here "f (1).bin", since f.bin was taken),
// size and traffic, without a single new request; removing it keeps or
// deletes its file as asked (but never a file of another size that took its
// name since); and when its file is gone it shows FileMissing
// instead of downloading a second copy, also after a resume() and another
// restart. Against support/BadHttpServer on 127.0.0.1.
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <string>

#include "engine/api/Engine.h"
#include "support/BadHttpServer.h"
#include "support/EngineSession.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

constexpr std::size_t kSize = 300 * 1024 + 5;
const std::string kPath = "/f.bin";

bool completed(const TaskSnapshot& s) {
  return s.state == TaskState::Completed;
}

bool missing(const TaskSnapshot& s) {
  return s.state == TaskState::Failed && s.error == ErrorCode::FileMissing;
}

}  // namespace

class TestHttpFinishedRestore : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QCOMPARE(server_.start(), std::string());
    const QByteArray bytes = test::randomBytes(kSize, 7);
    payload_ = bytes;
    test::Route route;
    route.payload = std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
    route.etag = "\"v1\"";
    server_.setRoute(kPath, route);
  }

  void init() {
    state_ = std::make_unique<QTemporaryDir>();
    downloads_ = std::make_unique<QTemporaryDir>();
  }

  void comesBackFinishedWithoutDownloading() {
    const TrafficCounters traffic = downloadOnce();
    const int requests = server_.requestCount(kPath);
    Session again(configure());
    QVERIFY(again.waitForSnapshot(1, completed, 10s));
    const TaskSnapshot s = again.latest(1);
    QCOMPARE(s.kind, TaskKind::Http);
    QCOMPARE(s.name, std::string("f (1).bin"));
    QCOMPARE(s.saveDir, downloads_->path().toStdString());
    QCOMPARE(s.totalBytes, std::uint64_t(kSize));
    QCOMPARE(s.verifiedBytes, std::uint64_t(kSize));
    QCOMPARE(s.traffic.http, traffic.http);
    QCOMPARE(again.eventCount(1, Event::Kind::Completed), 0);  // no second completion
    // Still finished a moment later, and nothing was asked of the server.
    QTest::qWait(500);
    QVERIFY(completed(again.latest(1)));
    QCOMPARE(server_.requestCount(kPath), requests);
    QCOMPARE(test::fileContent(downloads_->filePath("f (1).bin")), payload_);
    QVERIFY(!QFile::exists(downloads_->filePath("f (1).bin.part")));
  }

  void removedKeepingOrDeletingItsFile() {
    downloadOnce();
    {
      Session again(configure());
      QVERIFY(again.waitForSnapshot(1, completed, 10s));
      again.engine().remove(1, false);
      QVERIFY(again.waitForEvent(1, {Event::Kind::Removed}, 10s));
      QVERIFY(QFile::exists(downloads_->filePath("f (1).bin")));
    }
    downloadOnce();  // f.bin and "f (1).bin" are taken: "f (2).bin"
    Session again(configure());
    QVERIFY(again.waitForSnapshot(1, completed, 10s));
    QCOMPARE(again.latest(1).name, std::string("f (2).bin"));
    again.engine().remove(1, true);
    QVERIFY(again.waitForEvent(1, {Event::Kind::Removed}, 10s));
    // Removed is reported before the file is deleted (on the pool).
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(downloads_->filePath("f (2).bin")), 5000);
    QVERIFY(QFile::exists(downloads_->filePath("f (1).bin")));  // not this task's
  }

  void removeKeepsAFileThatIsNotOursAnyMore() {
    downloadOnce();
    // Another file took the name since: removing the task must not delete it.
    const QByteArray other = test::randomBytes(kSize / 2, 9);
    {
      QFile replaced(downloads_->filePath("f (1).bin"));
      QVERIFY(replaced.open(QIODevice::WriteOnly | QIODevice::Truncate));
      QCOMPARE(replaced.write(other), qint64(other.size()));
    }
    Session again(configure());
    QVERIFY(again.waitForSnapshot(1, missing, 10s));
    QVERIFY(again.latest(1).errorDetail.find("another size") != std::string::npos);
    again.engine().remove(1, true);
    QVERIFY(again.waitForEvent(1, {Event::Kind::Removed}, 10s));
    // The delete would run on the pool right after Removed (see above, where
    // it takes a few milliseconds): give it ample time to do the wrong thing.
    QTest::qWait(1000);
    QCOMPARE(test::fileContent(downloads_->filePath("f (1).bin")), other);
  }

  void missingFileIsAnErrorNotASecondDownload() {
    downloadOnce();
    const int requests = server_.requestCount(kPath);
    QVERIFY(QFile::remove(downloads_->filePath("f (1).bin")));
    {
      Session again(configure());
      QVERIFY(again.waitForSnapshot(1, missing, 10s));
      QVERIFY(again.latest(1).errorDetail.find("f (1).bin") != std::string::npos);
      // resume() checks again (the third run below shows it finds a file put
      // back); still gone, it stays failed without a second Failed event.
      const int failed = again.eventCount(1, Event::Kind::Failed);
      QCOMPARE(failed, 1);
      again.engine().resume(1);
      QTest::qWait(500);
      QVERIFY(missing(again.latest(1)));
      QCOMPARE(again.eventCount(1, Event::Kind::Failed), failed);
    }
    QCOMPARE(server_.requestCount(kPath), requests);
    // Still a finished task with a missing file after one more restart; once
    // the file is back, resume() shows it completed.
    Session third(configure());
    QVERIFY(third.waitForSnapshot(1, missing, 10s));
    QFile::copy(downloads_->filePath("f.bin"), downloads_->filePath("f (1).bin"));
    third.engine().resume(1);
    QVERIFY(third.waitForSnapshot(1, completed, 10s));
    QCOMPARE(server_.requestCount(kPath), requests);
  }

 private:
  // Downloads f.bin into a folder where f.bin is taken, in an engine that
  // keeps its list in the state folder; the traffic it counted.
  TrafficCounters downloadOnce() {
    if (!QFile::exists(downloads_->filePath("f.bin"))) {
      QFile taken(downloads_->filePath("f.bin"));
      taken.open(QIODevice::WriteOnly);
      taken.write(payload_);
    }
    Session session(configure());
    AddParams params;
    params.source = server_.url(kPath);
    params.saveDir = downloads_->path().toStdString();
    const TaskId id = session.add(params);
    const auto end = session.waitForEnd(id, 30s);
    if (!end || end->kind != Event::Kind::Completed ||
        !session.waitForSnapshot(id, completed, 10s)) {
      qWarning("the first download did not complete");
      return {};
    }
    const TrafficCounters traffic = session.settledSnapshot(id).traffic;
    session.stop();
    return traffic;
  }

  std::function<void(EngineConfig&)> configure() const {
    return [dir = state_->filePath("st").toStdString()](EngineConfig& config) {
      config.stateDir = dir;
    };
  }

  test::BadHttpServer server_;
  QByteArray payload_;
  std::unique_ptr<QTemporaryDir> state_;
  std::unique_ptr<QTemporaryDir> downloads_;
};

QTEST_GUILESS_MAIN(TestHttpFinishedRestore)
#include "tst_http_finished_restore.moc"
