// HTTP(S) downloads through the whole engine against real nginx servers on
// 127.0.0.1: segmented, mirrors, empty and small files, redirects, servers
// without Range, errors, pause/resume and resume after an engine restart.
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>

#include "engine/api/Engine.h"
#include "engine/storage/FaultInjectingFileIo.h"
#include "support/EngineSession.h"
#include "support/NginxServer.h"
#include "support/TestCertificates.h"

using namespace tributary;
using namespace std::chrono_literals;

using test::fileContent;
using test::randomBytes;
using Session = test::EngineSession;

namespace {

// An add with the options the plain EngineSession::add leaves out.
AddParams paramsFor(const std::string& url, const QString& dir) {
  AddParams params;
  params.source = url;
  params.saveDir = dir.toStdString();
  return params;
}

TaskId addWithChecksum(Session& session, const std::string& url, const QString& dir,
                       Checksum checksum) {
  AddParams params = paramsFor(url, dir);
  params.checksum = std::move(checksum);
  return session.add(params);
}

}  // namespace

class TestHttpDownload : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    big_ = randomBytes(24 * 1024 * 1024 + 12345, 1);
    small_ = randomBytes(300 * 1000, 2);
    mid_ = randomBytes(6 * 1024 * 1024, 3);
    QVERIFY(writeFile("big.bin", big_) && writeFile("small.bin", small_) &&
            writeFile("mid.bin", mid_) && writeFile("empty.bin", {}));
    // The same bytes with another modification time: what a mirror serving an
    // older or newer version of the file looks like from outside.
    QVERIFY(writeFile("big-other.bin", big_));
    QFile other(root_.filePath("big-other.bin"));
    QVERIFY(other.open(QIODevice::ReadWrite));
    QVERIFY(other.setFileTime(QDateTime::currentDateTimeUtc().addDays(-3),
                              QFileDevice::FileModificationTime));
    QCOMPARE(certs_.generate(certDir_.path()), QString());
    const QString directives =
        QStringLiteral(
            "location /slow/ { alias %1/; limit_rate 2m; }\n"
            "location /norange/ { alias %1/; max_ranges 0; }\n"
            "location = /redirect { return 302 /big.bin; }\n"
            "location = /loop1 { return 302 /loop2; }\n"
            "location = /loop2 { return 302 /loop1; }\n"
            "location = /portal/file.iso { default_type text/html; return "
            "200 '<html>log in</html>'; }\n"
            "location = /login/small.bin { add_header Set-Cookie "
            "'token=abc; Path=/'; return 302 /private/small.bin; }\n"
            "location /private/ { alias %1/; "
            "if ($cookie_token != abc) { return 403; } }\n"
            "location /agent/ { alias %1/; "
            "if ($http_user_agent !~ ^Tributary/) { return 403; } "
            "if ($http_referer != http://127.0.0.1/page) { return 403; } }\n")
            .arg(root_.path());
    test::NginxOptions options;
    options.rootDir = root_.path();
    options.extraServerDirectives = directives;
    origin_ = std::make_unique<test::NginxServer>(options);
    QCOMPARE(origin_->start(), QString());
    mirror_ = std::make_unique<test::NginxServer>(options);
    QCOMPARE(mirror_->start(), QString());
    test::NginxOptions tls = options;
    tls.certFile = certs_.good.cert;
    tls.keyFile = certs_.good.key;
    tls_ = std::make_unique<test::NginxServer>(tls);
    QCOMPARE(tls_->start(), QString());
  }

  void segmentedDownload() {
    QTemporaryDir out;
    Session session;
    const TaskId id = session.add(url(*origin_, "/big.bin"), out.path());
    QVERIFY(id != kInvalidTaskId);
    auto end = session.waitForEnd(id);
    QVERIFY(end && end->kind == Event::Kind::Completed);
    QVERIFY(fileContent(out.filePath("big.bin")) == big_);
    QVERIFY(!QFile::exists(out.filePath("big.bin.part")));
    QVERIFY(!QFile::exists(out.filePath("big.bin.part.tributary")));
    const TaskSnapshot s = session.settledSnapshot(id);
    QCOMPARE(s.state, TaskState::Completed);
    QCOMPARE(s.verifiedBytes, std::uint64_t(big_.size()));
    QCOMPARE(s.traffic.http, std::uint64_t(big_.size()));
    // The file is split over several connections.
    QVERIFY(origin_->accessLog().count("GET /big.bin") >= 4);
  }

  void emptyAndSmallFiles() {
    QTemporaryDir out;
    Session session;
    const TaskId empty = session.add(url(*origin_, "/empty.bin"), out.path());
    const TaskId small = session.add(url(*origin_, "/small.bin"), out.path());
    auto e1 = session.waitForEnd(empty);
    auto e2 = session.waitForEnd(small);
    QVERIFY(e1 && e1->kind == Event::Kind::Completed);
    QVERIFY(e2 && e2->kind == Event::Kind::Completed);
    QVERIFY(QFileInfo::exists(out.filePath("empty.bin")));
    QCOMPARE(QFileInfo(out.filePath("empty.bin")).size(), 0);
    QVERIFY(fileContent(out.filePath("small.bin")) == small_);
  }

  void mirrorCarriesBytesToo() {
    QTemporaryDir out;
    Session session;
    const TaskId id =
        session.add(url(*origin_, "/big.bin"), out.path(), {url(*mirror_, "/big.bin")});
    auto end = session.waitForEnd(id);
    QVERIFY(end && end->kind == Event::Kind::Completed);
    QVERIFY(fileContent(out.filePath("big.bin")) == big_);
    const TaskSnapshot s = session.settledSnapshot(id);
    QVERIFY(s.traffic.http > 0);
    QVERIFY(s.traffic.cdn > 0);
    QCOMPARE(s.traffic.http + s.traffic.cdn, std::uint64_t(big_.size()));
    QCOMPARE(s.sources.size(), std::size_t{2});
    QCOMPARE(s.sources[1].kind, SourceKind::Cdn);
  }

  void brokenMirrorIsDroppedAndTheOriginCarriesOn() {
    QTemporaryDir out;
    Session session;
    const TaskId id =
        session.add(url(*origin_, "/big.bin"), out.path(), {url(*mirror_, "/missing.bin")});
    auto end = session.waitForEnd(id);
    QVERIFY(end && end->kind == Event::Kind::Completed);
    QVERIFY(fileContent(out.filePath("big.bin")) == big_);
    const TaskSnapshot s = session.settledSnapshot(id);
    QCOMPARE(s.sources[1].state, SourceSnapshot::State::Dropped);
    QCOMPARE(s.sources[1].error, ErrorCode::HttpNotFound);
  }

  void mirrorWithAnotherVersionIsDropped() {
    QTemporaryDir out;
    Session session;
    const TaskId id =
        session.add(url(*origin_, "/big.bin"), out.path(), {url(*mirror_, "/big-other.bin")});
    auto end = session.waitForEnd(id);
    QVERIFY(end && end->kind == Event::Kind::Completed);
    QVERIFY(fileContent(out.filePath("big.bin")) == big_);
    const TaskSnapshot s = session.settledSnapshot(id);
    QCOMPARE(s.sources[1].state, SourceSnapshot::State::Dropped);
    QCOMPARE(s.sources[1].error, ErrorCode::RemoteChanged);
    QVERIFY2(s.sources[1].errorDetail.find("Last-Modified") != std::string::npos,
             s.sources[1].errorDetail.c_str());
    QCOMPARE(s.traffic.cdn, std::uint64_t{0});
  }

  void serverWithoutRanges() {
    QTemporaryDir out;
    Session session;
    const TaskId id = session.add(url(*origin_, "/norange/small.bin"), out.path());
    auto end = session.waitForEnd(id);
    QVERIFY(end && end->kind == Event::Kind::Completed);
    QVERIFY(fileContent(out.filePath("small.bin")) == small_);
  }

  void redirectsAndLoops() {
    QTemporaryDir out;
    Session session;
    const TaskId ok = session.add(url(*origin_, "/redirect"), out.path());
    auto end = session.waitForEnd(ok);
    QVERIFY(end && end->kind == Event::Kind::Completed);
    QVERIFY(fileContent(out.filePath("big.bin")) == big_);
    const TaskId loop = session.add(url(*origin_, "/loop1"), out.path());
    auto failed = session.waitForEnd(loop);
    QVERIFY(failed && failed->kind == Event::Kind::Failed);
    QCOMPARE(failed->error, ErrorCode::RedirectLoop);
  }

  void checksumIsVerified() {
    QTemporaryDir out;
    Session session;
    const std::string good =
        QCryptographicHash::hash(small_, QCryptographicHash::Sha256).toHex().toStdString();
    const TaskId ok = addWithChecksum(session, url(*origin_, "/small.bin"), out.path(),
                                      Checksum{Checksum::Algorithm::Sha256, good});
    auto end = session.waitForEnd(ok);
    QVERIFY(end && end->kind == Event::Kind::Completed);
    QVERIFY(fileContent(out.filePath("small.bin")) == small_);

    QTemporaryDir out2;
    const TaskId bad = addWithChecksum(session, url(*origin_, "/small.bin"), out2.path(),
                                       Checksum{Checksum::Algorithm::Sha1, std::string(40, '0')});
    auto fail = session.waitForEnd(bad);
    QVERIFY(fail && fail->kind == Event::Kind::Failed);
    QCOMPARE(fail->error, ErrorCode::ChecksumMismatch);
    // The file keeps its .part name: it is not the file that was asked for.
    QVERIFY(!QFile::exists(out2.filePath("small.bin")));
    QVERIFY(QFile::exists(out2.filePath("small.bin.part")));
  }

  void cookiesUserAgentAndReferer() {
    QTemporaryDir out;
    Session session;
    // The login answer sets a cookie and redirects; the file is only served with it.
    const TaskId withCookie = session.add(url(*origin_, "/login/small.bin"), out.path());
    auto end = session.waitForEnd(withCookie);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QVERIFY(fileContent(out.filePath("small.bin")) == small_);

    QTemporaryDir out2;
    AddParams params;
    params.source = url(*origin_, "/agent/small.bin");
    params.saveDir = out2.path().toStdString();
    params.referer = "http://127.0.0.1/page";
    const TaskId agent = session.add(params);
    auto agentEnd = session.waitForEnd(agent);
    QVERIFY(agentEnd && agentEnd->kind == Event::Kind::Completed);
    QTemporaryDir out3;
    params.saveDir = out3.path().toStdString();
    params.referer.clear();
    const TaskId noReferer = session.add(params);
    auto refused = session.waitForEnd(noReferer);
    QVERIFY(refused && refused->kind == Event::Kind::Failed);
    QCOMPARE(refused->error, ErrorCode::HttpForbidden);
  }

  void htmlInsteadOfTheFileIsAHijack() {
    QTemporaryDir out;
    Session session;
    const TaskId id = session.add(url(*origin_, "/portal/file.iso"), out.path());
    auto end = session.waitForEnd(id);
    QVERIFY(end && end->kind == Event::Kind::Failed);
    QCOMPARE(end->error, ErrorCode::HijackedResponse);
    QVERIFY(!QFile::exists(out.filePath("file.iso")));
  }

  void notFoundIsAClearError() {
    QTemporaryDir out;
    Session session;
    const TaskId id = session.add(url(*origin_, "/nope.bin"), out.path());
    auto end = session.waitForEnd(id);
    QVERIFY(end && end->kind == Event::Kind::Failed);
    QCOMPARE(end->error, ErrorCode::HttpNotFound);
    QVERIFY(QDir(out.path()).entryList(QDir::Files).isEmpty());
  }

  void httpsWithTheTestCa() {
    QTemporaryDir out;
    Session session;
    const TaskId id = session.add([&] {
      AddParams p = paramsFor(url(*tls_, "/small.bin"), out.path());
      p.caCertFile = certs_.caCert.toStdString();
      return p;
    }());
    auto end = session.waitForEnd(id);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QVERIFY(fileContent(out.filePath("small.bin")) == small_);
    // Without the CA the certificate is refused, and nothing is written.
    QTemporaryDir out2;
    const TaskId refused = session.add(url(*tls_, "/small.bin"), out2.path());
    auto fail = session.waitForEnd(refused);
    QVERIFY(fail && fail->kind == Event::Kind::Failed);
    QCOMPARE(fail->error, ErrorCode::TlsFailure);
  }

  // A plain http URL that redirects to https: the task fetches a TLS context
  // when it needs one, not only when the first URL says https.
  void httpRedirectToHttps() {
    test::NginxOptions options;
    options.rootDir = root_.path();
    options.extraServerDirectives =
        QStringLiteral("location = /secure { return 302 %1/small.bin; }\n").arg(tls_->baseUrl());
    test::NginxServer redirector(options);
    QCOMPARE(redirector.start(), QString());
    QTemporaryDir out;
    Session session;
    AddParams params = paramsFor(url(redirector, "/secure"), out.path());
    params.caCertFile = certs_.caCert.toStdString();
    const TaskId id = session.add(params);
    auto end = session.waitForEnd(id);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QVERIFY(fileContent(out.filePath("small.bin")) == small_);
  }

  // The disk fills up mid-download: the task fails with DiskFull (nothing
  // written is lost), and resuming it once there is room again finishes the
  // file without fetching what was already on disk.
  void diskFullFailsAndResumeFinishes() {
    auto disk = std::make_shared<storage::FaultInjectingFileIo>(storage::systemFileIo());
    QTemporaryDir out;
    Session session(disk);
    // Slow enough that a periodic save of the resume data happens first.
    AddParams params = paramsFor(url(*origin_, "/big.bin"), out.path());
    params.maxDownloadRate = 4 * 1024 * 1024;
    const TaskId id = session.add(params);
    const QString resumeFile = out.filePath("big.bin.part.tributary");
    QVERIFY(session.waitForSnapshot(id, [&](const TaskSnapshot& s) {
      return s.verifiedBytes > 4 * 1024 * 1024 && QFile::exists(resumeFile);
    }));
    disk->failWritesAfter(0);  // the disk is full from now on
    auto failed = session.waitForEvent(id, {Event::Kind::Failed, Event::Kind::Completed}, 30s);
    QVERIFY(failed && failed->kind == Event::Kind::Failed);
    QCOMPARE(failed->error, ErrorCode::DiskFull);
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Failed; }));
    const TaskSnapshot atFailure = session.settledSnapshot(id);
    QVERIFY(QFile::exists(out.filePath("big.bin.part")));
    QVERIFY(!QFile::exists(out.filePath("big.bin")));

    disk->clearFaults();
    session.engine().resume(id);
    auto done = session.waitForEvent(id, {Event::Kind::Completed}, 90s);
    QVERIFY(done);
    QVERIFY(fileContent(out.filePath("big.bin")) == big_);
    const TaskSnapshot end = session.settledSnapshot(id);
    const std::uint64_t afterResume = end.traffic.http - atFailure.traffic.http;
    QVERIFY2(afterResume < std::uint64_t(big_.size()) - 2 * 1024 * 1024,
             std::to_string(afterResume).c_str());
  }

  void rateLimitHolds() {
    // 6 MiB at 2 MiB/s cannot take much under 3 s (a first burst aside); an
    // unlimited download of it takes a small fraction of that on loopback.
    QTemporaryDir out;
    Session session;
    const auto started = std::chrono::steady_clock::now();
    AddParams params = paramsFor(url(*origin_, "/mid.bin"), out.path());
    params.maxDownloadRate = 2 * 1024 * 1024;
    const TaskId id = session.add(params);
    auto end = session.waitForEnd(id);
    const auto took = std::chrono::steady_clock::now() - started;
    QVERIFY(end && end->kind == Event::Kind::Completed);
    QVERIFY(fileContent(out.filePath("mid.bin")) == mid_);
    QVERIFY2(took > 2200ms, std::to_string(took.count() / 1000000).c_str());
  }

  void pauseAndResume() {
    QTemporaryDir out;
    Session session;
    const TaskId id = session.add(url(*origin_, "/slow/big.bin"), out.path());
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.verifiedBytes > 2 * 1024 * 1024; }));
    session.engine().pause(id);
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Paused; }));
    const std::uint64_t before = session.settledSnapshot(id).verifiedBytes;
    std::this_thread::sleep_for(300ms);
    QCOMPARE(session.settledSnapshot(id).verifiedBytes, before);  // nothing moves while paused
    session.engine().resume(id);
    auto end = session.waitForEnd(id, 90s);
    QVERIFY(end && end->kind == Event::Kind::Completed);
    QVERIFY(fileContent(out.filePath("big.bin")) == big_);
  }

  void resumeAfterAnEngineRestart() {
    QTemporaryDir out;
    std::uint64_t firstRun = 0;
    {
      Session session;
      const TaskId id = session.add(url(*origin_, "/slow/big.bin"), out.path());
      QVERIFY(session.waitForSnapshot(
          id, [](const TaskSnapshot& s) { return s.verifiedBytes > 4 * 1024 * 1024; }));
      session.stop();  // saves the resume data on the way out
    }
    QVERIFY(QFile::exists(out.filePath("big.bin.part.tributary")));
    {
      Session session;
      const TaskId id = session.add(url(*origin_, "/big.bin"), out.path());
      auto end = session.waitForEnd(id);
      QVERIFY(end && end->kind == Event::Kind::Completed);
      const TaskSnapshot s = session.settledSnapshot(id);
      firstRun = std::uint64_t(big_.size()) - s.traffic.http;
    }
    QVERIFY(fileContent(out.filePath("big.bin")) == big_);
    // The second run fetched only what the first had not written.
    QVERIFY2(firstRun > 4 * 1024 * 1024, std::to_string(firstRun).c_str());
  }

 private:
  bool writeFile(const QString& name, const QByteArray& content) {
    QFile file(root_.filePath(name));
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
  }
  static std::string url(const test::NginxServer& server, const QString& path) {
    return (server.baseUrl() + path).toStdString();
  }

  QTemporaryDir root_;
  QTemporaryDir certDir_;
  test::TestCertificates certs_;
  QByteArray big_;
  QByteArray small_;
  QByteArray mid_;
  std::unique_ptr<test::NginxServer> origin_;
  std::unique_ptr<test::NginxServer> mirror_;
  std::unique_ptr<test::NginxServer> tls_;
};

QTEST_GUILESS_MAIN(TestHttpDownload)
#include "tst_http_download.moc"
