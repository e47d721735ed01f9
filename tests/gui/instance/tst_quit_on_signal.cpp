// The built `tributary` as a real process: SIGTERM (a logout, `kill`) quits it
// the normal way, so the engine saves its task list on the way out, and the
// next start brings the task back. Its data and settings live in a scratch
// HOME; DHT and LSD are off in its settings and the only task is a link to a
// closed port on 127.0.0.1, so it reaches no network.
#include <signal.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QUuid>
#include <QtTest>

namespace {

const QString kLink = QStringLiteral("http://127.0.0.1:9/quit-on-signal.bin");

}  // namespace

class TestQuitOnSignal : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    binary_ = qEnvironmentVariable("TRIBUTARY_GUI_BINARY");
    QVERIFY2(QFile::exists(binary_), "TRIBUTARY_GUI_BINARY must name the built tributary");
    QVERIFY(scratch_.isValid());
    QSettings settings(home() + "/.config/Tributary/tributary.conf", QSettings::IniFormat);
    settings.setValue(QStringLiteral("bittorrent/dht"), false);
    settings.setValue(QStringLiteral("bittorrent/lsd"), false);
    settings.sync();
    QCOMPARE(settings.status(), QSettings::NoError);
  }

  void sigtermSavesTheTaskList() {
    QProcess first;
    start(first, {kLink});
    // Saved while running (within a couple of seconds of the change)...
    QVERIFY2(waitForStateHolding(kLink, 20000), qPrintable(stateFile()));
    QVERIFY(QFile::remove(stateFile()));
    // ...and, above all, on the way out after a SIGTERM.
    QVERIFY(::kill(static_cast<pid_t>(first.processId()), SIGTERM) == 0);
    QVERIFY(first.waitForFinished(20000));
    QCOMPARE(first.exitStatus(), QProcess::NormalExit);
    QCOMPARE(first.exitCode(), 0);
    QVERIFY2(stateHolds(kLink), "the exit did not save the task list");

    // The next start has the task: its own exit saves it again.
    QProcess second;
    start(second, {});
    QVERIFY(waitForStateHolding(kLink, 20000));  // the file is there from before
    QVERIFY(QFile::remove(stateFile()));
    QTest::qWait(500);  // the engine is up and the task restored by now, or never
    QVERIFY(::kill(static_cast<pid_t>(second.processId()), SIGTERM) == 0);
    QVERIFY(second.waitForFinished(20000));
    QCOMPARE(second.exitCode(), 0);
    QVERIFY2(stateHolds(kLink), "the task did not come back after the restart");
  }

 private:
  QString home() const { return scratch_.filePath(QStringLiteral("home")); }
  QString stateFile() const {
    return home() + QStringLiteral("/.local/share/Tributary/tributary/session/session.state");
  }
  bool stateHolds(const QString& text) const {
    QFile file(stateFile());
    return file.open(QIODevice::ReadOnly) && file.readAll().contains(text.toUtf8());
  }
  bool waitForStateHolding(const QString& text, int ms) const {
    QDeadlineTimer deadline(ms);
    while (!stateHolds(text)) {
      if (deadline.hasExpired()) {
        return false;
      }
      QTest::qWait(100);
    }
    return true;
  }

  void start(QProcess& child, const QStringList& arguments) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(
        QStringLiteral("TRIBUTARY_INSTANCE_NAME"),
        QStringLiteral("tributary-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("HOME"), home());
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home() + QStringLiteral("/.config"));
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home() + QStringLiteral("/.local/share"));
    environment.insert(QStringLiteral("XDG_CACHE_HOME"), home() + QStringLiteral("/.cache"));
    child.setProcessEnvironment(environment);
    child.setWorkingDirectory(home());
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.start(binary_, arguments);
    QVERIFY(child.waitForStarted(10000));
  }

  QString binary_;
  QTemporaryDir scratch_;
};

QTEST_GUILESS_MAIN(TestQuitOnSignal)
#include "tst_quit_on_signal.moc"
