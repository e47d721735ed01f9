// tributary-cli get against nginx, as a user runs it: files from 0 bytes to
// 512 MiB over 1 and 8 connections, then downloads interrupted by SIGINT and
// SIGKILL at random moments and run again until done: the result is always the
// exact file, and a re-run resumes instead of starting over.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <random>

#include "support/NginxServer.h"
#include "support/TestFiles.h"

using namespace tributary;
using test::sha256Of;

namespace {

struct Run {
  int exitCode = -1;
  QProcess::ExitStatus status = QProcess::CrashExit;
  QString err;
};

Run runCli(const QStringList& args, int timeoutMs = 120000) {
  QProcess process;
  process.start(QStringLiteral(TRIBUTARY_CLI), args);
  Run run;
  if (!process.waitForFinished(timeoutMs)) {
    process.kill();
    process.waitForFinished();
    run.err = QStringLiteral("timed out");
    return run;
  }
  run.exitCode = process.exitCode();
  run.status = process.exitStatus();
  run.err = QString::fromUtf8(process.readAllStandardError());
  return run;
}

}  // namespace

class TestCliHttp : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    test::NginxOptions options;
    options.rootDir = root_.path();
    // A slow path, so an interruption lands in the middle of the download.
    options.extraServerDirectives =
        QStringLiteral("location /slow/ { alias %1/; limit_rate 2m; }").arg(root_.path());
    server_ = std::make_unique<test::NginxServer>(options);
    QCOMPARE(server_->start(), QString());
  }

  void sizesAndConnections_data() {
    QTest::addColumn<qint64>("size");
    QTest::addColumn<int>("connections");
    const qint64 mib = 1024 * 1024;
    for (int c : {1, 8}) {
      for (qint64 size : {qint64(0), qint64(1), mib - 1, mib + 1, 64 * mib + 7}) {
        QTest::addRow("%lld bytes, -c %d", static_cast<long long>(size), c) << size << c;
      }
    }
    QTest::addRow("512 MiB, -c 8") << 512 * mib << 8;
  }

  void sizesAndConnections() {
    QFETCH(qint64, size);
    QFETCH(int, connections);
    const QString name = QStringLiteral("f%1.bin").arg(size);
    QVERIFY(QFile::exists(root_.filePath(name)) ||
            !test::writePayload(root_.filePath(name), size, static_cast<unsigned>(size)).isEmpty());
    QTemporaryDir out;
    const Run run = runCli({"get", server_->baseUrl() + "/" + name, "-d", out.path(), "-c",
                            QString::number(connections), "--quiet"});
    QVERIFY2(run.exitCode == 0 && run.status == QProcess::NormalExit, qPrintable(run.err));
    QCOMPARE(QFileInfo(out.filePath(name)).size(), size);
    QCOMPARE(sha256Of(out.filePath(name)), sha256Of(root_.filePath(name)));
    QVERIFY(!QFile::exists(out.filePath(name + ".part")));
  }

  void interruptedAndRunAgain_data() {
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGKILL") << int(SIGKILL);
  }

  void interruptedAndRunAgain() {
    QFETCH(int, signal);
    const qint64 size = 24 * 1024 * 1024 + 333;
    const QString name = QStringLiteral("interrupted.bin");
    QVERIFY(QFile::exists(root_.filePath(name)) ||
            !test::writePayload(root_.filePath(name), size, 99).isEmpty());
    QTemporaryDir out;
    const QStringList args = {"get", server_->baseUrl() + "/slow/" + name, "-d", out.path(),
                              "--quiet"};
    std::mt19937 rng(static_cast<unsigned>(signal) * 7919u);
    bool resumedFromSavedState = false;
    int interruptions = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
      QProcess process;
      process.start(QStringLiteral(TRIBUTARY_CLI), args);
      QVERIFY(process.waitForStarted());
      // 8 connections at 2 MiB/s each: the file takes about 1.5 s; cut it early.
      QTest::qWait(120 + static_cast<int>(rng() % 350));
      if (process.state() == QProcess::Running) {
        ::kill(static_cast<pid_t>(process.processId()), signal);
        ++interruptions;
      }
      // SIGINT: saves and exits promptly. (A later attempt may have finished first.)
      QVERIFY(process.state() == QProcess::NotRunning || process.waitForFinished(10000));
      resumedFromSavedState |= QFile::exists(out.filePath(name + ".part.tributary"));
    }
    QVERIFY(interruptions > 0);  // else this test tested nothing
    if (signal == SIGINT) {
      // An interrupt saves the segment map on the way out.
      QVERIFY(resumedFromSavedState);
    }
    const Run last = runCli(args);
    QVERIFY2(last.exitCode == 0, qPrintable(last.err));
    QCOMPARE(sha256Of(out.filePath(name)), sha256Of(root_.filePath(name)));
    QVERIFY(!QFile::exists(out.filePath(name + ".part.tributary")));
  }

 private:
  QTemporaryDir root_;
  std::unique_ptr<test::NginxServer> server_;
};

QTEST_GUILESS_MAIN(TestCliHttp)
#include "tst_cli_http.moc"
