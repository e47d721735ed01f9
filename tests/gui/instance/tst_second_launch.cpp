// A real second launch: the built `tributary` runs as a child process with the
// test's instance name and hands its arguments to a first instance living in
// this process (a MainWindow over a FakeEngine, wired as app/main.cpp wires
// it). The child must exit 0 at once, and the window must come to the front
// and add what it was given: a .torrent through the add dialog, links
// directly. The first instance is in-process because a real one would start
// a real engine.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QUuid>
#include <memory>

#include "gui/support/TorrentFiles.h"
#include "gui/support/WindowHarness.h"
#include "ui/dialogs/AddTorrentDialog.h"
#include "ui/widgets/SingleInstance.h"

using tributary::AddParams;
using tributary::Result;
using tributary::TaskId;
using tributary::test::WindowHarness;
using tributary::ui::AddTorrentDialog;
using tributary::ui::MainWindow;
using tributary::ui::SingleInstance;

namespace {

AddTorrentDialog* visibleDialog(MainWindow* window) {
  for (AddTorrentDialog* dialog : window->findChildren<AddTorrentDialog*>()) {
    if (dialog->isVisible()) {
      return dialog;
    }
  }
  return nullptr;
}

}  // namespace

class TestSecondLaunch : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();

  void relativeTorrentPathOpensTheDialog();
  void fileUrlOpensTheDialog();
  void linksAreAddedAtOnce();
  void noArgumentsRaisesAMinimisedWindow();
  void hiddenWindowComesBack();

 private:
  // Runs `tributary ARGS` in `workingDir`; true when it exited 0 by itself.
  bool launch(const QStringList& arguments, const QString& workingDir);

  QString binary_;
  QTemporaryDir scratch_;
  QString name_;
  std::unique_ptr<WindowHarness> harness_;
  std::unique_ptr<SingleInstance> instance_;
  std::shared_ptr<std::vector<AddParams>> added_;
};

void TestSecondLaunch::initTestCase() {
  tributary::test::useTestSettings();
  binary_ = qEnvironmentVariable("TRIBUTARY_GUI_BINARY");
  QVERIFY2(QFile::exists(binary_), "TRIBUTARY_GUI_BINARY must name the built tributary");
  QVERIFY(scratch_.isValid());
  QVERIFY(QDir().mkpath(scratch_.filePath(QStringLiteral("home"))));
  QVERIFY(QDir().mkpath(scratch_.filePath(QStringLiteral("work"))));
}

void TestSecondLaunch::init() {
  QSettings().clear();
  // A name of our own each time: never a real user's instance, never the last test's.
  name_ = QStringLiteral("tributary-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
  harness_ = std::make_unique<WindowHarness>();
  added_ = std::make_shared<std::vector<AddParams>>();
  harness_->engine->setAddHandler([added = added_](const AddParams& params) -> Result<TaskId> {
    added->push_back(params);
    return static_cast<TaskId>(added->size());
  });
  instance_ = std::make_unique<SingleInstance>(name_);
  QVERIFY(instance_->listen());
  // As app/main.cpp wires them.
  MainWindow* window = harness_->window.get();
  connect(instance_.get(), &SingleInstance::activationRequested, window,
          [window] { SingleInstance::bringToFront(window); });
  connect(instance_.get(), &SingleInstance::sourcesReceived, window,
          [window](const QStringList& sources) { window->addSources(sources); });
}

void TestSecondLaunch::cleanup() {
  instance_.reset();
  harness_.reset();
}

bool TestSecondLaunch::launch(const QStringList& arguments, const QString& workingDir) {
  QProcess child;
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  environment.insert(QStringLiteral("TRIBUTARY_INSTANCE_NAME"), name_);
  environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
  // Should the hand-off fail, the child becomes a whole application: keep its
  // settings and log in the scratch folder, never in the user's.
  const QString home = scratch_.filePath(QStringLiteral("home"));
  environment.insert(QStringLiteral("HOME"), home);
  environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
  environment.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
  environment.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/.cache"));
  child.setProcessEnvironment(environment);
  child.setWorkingDirectory(workingDir);
  child.setProcessChannelMode(QProcess::ForwardedChannels);
  QSignalSpy finished(&child, &QProcess::finished);
  child.start(binary_, arguments);
  if (!child.waitForStarted(10000)) {
    qWarning("cannot start %s", qPrintable(binary_));
    return false;
  }
  // Not waitForFinished(): the first instance lives on this thread's event
  // loop, and the child waits for its answer.
  if (!finished.wait(20000)) {
    qWarning("the second launch did not exit: the hand-off failed");
    child.kill();
    child.waitForFinished(5000);
    return false;
  }
  return child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0;
}

void TestSecondLaunch::relativeTorrentPathOpensTheDialog() {
  const QString work = scratch_.filePath(QStringLiteral("work"));
  const QString torrent = QDir(work).filePath(QStringLiteral("album.torrent"));
  QVERIFY(tributary::test::writeAlbumTorrent(torrent));
  QVERIFY(launch({QStringLiteral("album.torrent")}, work));

  AddTorrentDialog* dialog = nullptr;
  QTRY_VERIFY_WITH_TIMEOUT((dialog = visibleDialog(harness_->window.get())) != nullptr, 10000);
  // Made absolute in the child's folder, not this process's.
  QCOMPARE(dialog->source(), torrent);
  QVERIFY(harness_->window->isVisible());
  dialog->setStartPaused(true);
  dialog->accept();
  QCOMPARE(added_->size(), std::size_t{1});
  QCOMPARE(QString::fromStdString(added_->front().source), torrent);
  QVERIFY(added_->front().startPaused);
}

void TestSecondLaunch::fileUrlOpensTheDialog() {
  const QString torrent = scratch_.filePath(QStringLiteral("two words.torrent"));
  QVERIFY(tributary::test::writeSingleFileTorrent(torrent, "disc.iso", 40000));
  QVERIFY(launch({QUrl::fromLocalFile(torrent).toString()}, scratch_.path()));
  AddTorrentDialog* dialog = nullptr;
  QTRY_VERIFY_WITH_TIMEOUT((dialog = visibleDialog(harness_->window.get())) != nullptr, 10000);
  QCOMPARE(dialog->source(), torrent);
  QCOMPARE(dialog->preview().name, QStringLiteral("disc.iso"));
  dialog->reject();
  QTRY_VERIFY_WITH_TIMEOUT(harness_->window->findChildren<AddTorrentDialog*>().isEmpty(), 5000);
  QVERIFY(added_->empty());
}

void TestSecondLaunch::linksAreAddedAtOnce() {
  const QString magnet =
      QStringLiteral("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=x");
  const QString url = QStringLiteral("http://127.0.0.1:1/file.iso");
  QVERIFY(launch({magnet, url}, scratch_.path()));
  QTRY_COMPARE_WITH_TIMEOUT(added_->size(), std::size_t{2}, 10000);
  QCOMPARE(QString::fromStdString((*added_)[0].source), magnet);
  QCOMPARE(QString::fromStdString((*added_)[1].source), url);
}

void TestSecondLaunch::noArgumentsRaisesAMinimisedWindow() {
  MainWindow* window = harness_->window.get();
  window->show();
  QVERIFY(QTest::qWaitForWindowExposed(window));
  window->showMinimized();
  QTRY_VERIFY_WITH_TIMEOUT(window->isMinimized(), 5000);
  QSignalSpy activated(instance_.get(), &SingleInstance::activationRequested);
  QVERIFY(launch({}, scratch_.path()));
  QTRY_COMPARE_WITH_TIMEOUT(activated.count(), 1, 10000);
  QTRY_VERIFY_WITH_TIMEOUT(!window->isMinimized(), 5000);
  QVERIFY(window->isVisible());
  QVERIFY(added_->empty());
}

void TestSecondLaunch::hiddenWindowComesBack() {
  // As when it sits in the tray.
  MainWindow* window = harness_->window.get();
  window->show();
  QVERIFY(QTest::qWaitForWindowExposed(window));
  window->hide();
  QVERIFY(launch({}, scratch_.path()));
  QTRY_VERIFY_WITH_TIMEOUT(window->isVisible(), 10000);
}

QTEST_MAIN(TestSecondLaunch)
#include "tst_second_launch.moc"
