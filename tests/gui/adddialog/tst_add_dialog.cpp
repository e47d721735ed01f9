// The add dialog (ui/dialogs/AddTorrentDialog) and its file tree
// (ui/models/AddTorrentFilesModel), alone and as the main window uses them: a
// .torrent added from the GUI opens the dialog without blocking, OK adds it
// with the chosen folder, skipped files and start-paused, Cancel adds nothing,
// and "Don't ask again" is remembered.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QTimer>
#include <QTreeView>

#include "gui/support/TorrentFiles.h"
#include "gui/support/WindowHarness.h"
#include "ui/bridge/TorrentPreview.h"
#include "ui/dialogs/AddTorrentDialog.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/models/AddTorrentFilesModel.h"
#include "ui/models/Format.h"
#include "ui/widgets/AppSettings.h"

using tributary::AddParams;
using tributary::Error;
using tributary::ErrorCode;
using tributary::Result;
using tributary::TaskId;
using tributary::test::WindowHarness;
using tributary::ui::AddTorrentDialog;
using tributary::ui::AddTorrentFilesModel;
using tributary::ui::AppSettings;
using tributary::ui::MainWindow;
using tributary::ui::TorrentPreview;
using Priorities = QList<quint8>;
using Kind = tributary::test::FakeEngine::Command::Kind;

namespace {

// The row under `parent` whose name is `name`; invalid when there is none.
QModelIndex child(const QAbstractItemModel& model, const QModelIndex& parent, const QString& name) {
  for (int r = 0; r < model.rowCount(parent); ++r) {
    const QModelIndex index = model.index(r, 0, parent);
    if (index.data().toString() == name) {
      return index;
    }
  }
  return {};
}

QStringList childNames(const QAbstractItemModel& model, const QModelIndex& parent) {
  QStringList names;
  for (int r = 0; r < model.rowCount(parent); ++r) {
    names << model.index(r, 0, parent).data().toString();
  }
  return names;
}

Qt::CheckState stateOf(const QModelIndex& index) {
  return index.data(Qt::CheckStateRole).value<Qt::CheckState>();
}

bool setChecked(QAbstractItemModel& model, const QModelIndex& index, Qt::CheckState state) {
  return model.setData(index, state, Qt::CheckStateRole);
}

// Captures every AddParams the engine is asked to add.
struct AddRecorder {
  std::shared_ptr<std::vector<AddParams>> seen = std::make_shared<std::vector<AddParams>>();

  void attach(tributary::test::FakeEngine* engine) const {
    engine->setAddHandler([seen = seen](const AddParams& params) -> Result<TaskId> {
      seen->push_back(params);
      if (params.source.ends_with("bad.torrent")) {
        return Error{ErrorCode::InvalidTorrent, "not bencode"};
      }
      return static_cast<TaskId>(seen->size());
    });
  }
};

AddTorrentDialog* openDialog(MainWindow* window) {
  const auto dialogs = window->findChildren<AddTorrentDialog*>();
  for (AddTorrentDialog* dialog : dialogs) {
    if (dialog->isVisible()) {
      return dialog;
    }
  }
  return nullptr;
}

}  // namespace

class TestAddDialog : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void previewReadsTheTorrent();
  void modelHidesPaddingAndBuildsTheTree();
  void folderBoxesFollowTheFilesBelow();
  void folderToggleRepaintsEveryRowBelow();
  void singleFileTorrentIsOneRow();

  void dialogShowsNameSizeAndFolder();
  void okNeedsAFileAndAFolder();
  void browseOpensAChooserWithoutBlocking();

  void torrentFromTheWindowAddsWhatWasChosen();
  void cancelAddsNothing();
  void dontAskAgainIsRememberedAndSkipsTheDialog();
  void dontAskAgainIgnoredOnCancel();
  void settingsTurnTheDialogBackOn();
  void unreadableTorrentIsRefusedByTheEngine();
  void linksNeverOpenTheDialog();
  void windowGoneWhileReadingIsSafe();

 private:
  QString albumPath();

  QTemporaryDir scratch_;
};

void TestAddDialog::initTestCase() {
  tributary::test::useTestSettings();
  QVERIFY(scratch_.isValid());
}

void TestAddDialog::init() {
  QSettings().clear();
}

QString TestAddDialog::albumPath() {
  const QString path = scratch_.filePath(QStringLiteral("album.torrent"));
  if (!QFile::exists(path)) {
    tributary::test::writeAlbumTorrent(path);
  }
  return path;
}

void TestAddDialog::previewReadsTheTorrent() {
  const auto result = TorrentPreview::fromFile(albumPath());
  QVERIFY2(result.ok(), qPrintable(result.error));
  const TorrentPreview& preview = result.preview;
  QCOMPARE(preview.name, QStringLiteral("album"));
  QCOMPARE(preview.totalBytes, quint64{10000});  // padding left out
  QCOMPARE(preview.infoHashHex.size(), 40);
  QCOMPARE(preview.files.size(), 5);
  QVERIFY(preview.files[1].padding);
  QCOMPARE(preview.files[4].path, (QStringList{QStringLiteral("album"), QStringLiteral("dir"),
                                               QStringLiteral("sub"), QStringLiteral("d.bin")}));

  // The same off the GUI thread, and a refusal in words that name the file.
  auto future = TorrentPreview::fromFileAsync(scratch_.filePath(QStringLiteral("none.torrent")));
  QTRY_VERIFY_WITH_TIMEOUT(future.isFinished(), 5000);
  const auto missing = future.result();
  QVERIFY(!missing.ok());
  QVERIFY2(missing.error.contains(QStringLiteral("none.torrent")), qPrintable(missing.error));
}

void TestAddDialog::modelHidesPaddingAndBuildsTheTree() {
  AddTorrentFilesModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setFiles(TorrentPreview::fromFile(albumPath()).preview.files);
  QCOMPARE(childNames(model, {}), QStringList{QStringLiteral("album")});
  const QModelIndex album = child(model, {}, QStringLiteral("album"));
  QCOMPARE(childNames(model, album), (QStringList{QStringLiteral("a.bin"), QStringLiteral("dir")}));
  const QModelIndex dir = child(model, album, QStringLiteral("dir"));
  QCOMPARE(childNames(model, dir),
           (QStringList{QStringLiteral("b.bin"), QStringLiteral("c.bin"), QStringLiteral("sub")}));
  QCOMPARE(album.data(AddTorrentFilesModel::SizeRole).value<quint64>(), quint64{10000});
  QCOMPARE(dir.data(AddTorrentFilesModel::SizeRole).value<quint64>(), quint64{9000});
  QVERIFY(dir.data(AddTorrentFilesModel::IsFolderRole).toBool());
  const QModelIndex c = child(model, dir, QStringLiteral("c.bin"));
  QCOMPARE(c.data(AddTorrentFilesModel::FileIndexRole).toInt(), 3);
  QCOMPARE(model.index(c.row(), AddTorrentFilesModel::SizeColumn, dir).data().toString(),
           tributary::ui::Format::bytes(3000));
  QCOMPARE(stateOf(album), Qt::Checked);
  QVERIFY(model.allChecked());
  QCOMPARE(model.checkedBytes(), quint64{10000});
  QCOMPARE(model.filePriorities(), (Priorities{1, 1, 1, 1, 1}));
}

void TestAddDialog::folderBoxesFollowTheFilesBelow() {
  AddTorrentFilesModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setFiles(TorrentPreview::fromFile(albumPath()).preview.files);
  QSignalSpy changed(&model, &AddTorrentFilesModel::checkedChanged);
  const QModelIndex album = child(model, {}, QStringLiteral("album"));
  const QModelIndex dir = child(model, album, QStringLiteral("dir"));
  const QModelIndex sub = child(model, dir, QStringLiteral("sub"));
  const QModelIndex c = child(model, dir, QStringLiteral("c.bin"));

  // A folder unchecked skips everything below it.
  QVERIFY(setChecked(model, dir, Qt::Unchecked));
  QCOMPARE(stateOf(dir), Qt::Unchecked);
  QCOMPARE(stateOf(sub), Qt::Unchecked);
  QCOMPARE(stateOf(album), Qt::PartiallyChecked);
  QCOMPARE(model.filePriorities(), (Priorities{1, 1, 0, 0, 0}));
  QCOMPARE(model.checkedBytes(), quint64{1000});
  QCOMPARE(changed.count(), 1);

  // One file back: its folder is partly checked.
  QVERIFY(setChecked(model, c, Qt::Checked));
  QCOMPARE(stateOf(dir), Qt::PartiallyChecked);
  QCOMPARE(model.filePriorities(), (Priorities{1, 1, 0, 1, 0}));

  // A click on a partly checked folder checks all of it (a view sends Checked).
  QVERIFY(setChecked(model, dir, Qt::Checked));
  QCOMPARE(stateOf(dir), Qt::Checked);
  QCOMPARE(stateOf(sub), Qt::Checked);
  QCOMPARE(stateOf(album), Qt::Checked);
  QVERIFY(model.allChecked());

  // Everything off; the padding entry keeps its place and stays "normal".
  QVERIFY(setChecked(model, album, Qt::Unchecked));
  QVERIFY(model.noneChecked());
  QCOMPARE(model.filePriorities(), (Priorities{0, 1, 0, 0, 0}));
  model.setAllChecked(true);
  QCOMPARE(model.filePriorities(), (Priorities{1, 1, 1, 1, 1}));
  QCOMPARE(model.checkedBytes(), quint64{10000});

  // The size column has no box.
  QVERIFY(!model.setData(model.index(0, AddTorrentFilesModel::SizeColumn), Qt::Unchecked,
                         Qt::CheckStateRole));
  QVERIFY(
      !(model.flags(model.index(0, AddTorrentFilesModel::SizeColumn)) & Qt::ItemIsUserCheckable));
}

void TestAddDialog::folderToggleRepaintsEveryRowBelow() {
  AddTorrentFilesModel model;
  model.setFiles(TorrentPreview::fromFile(albumPath()).preview.files);
  const QModelIndex album = child(model, {}, QStringLiteral("album"));
  const QModelIndex dir = child(model, album, QStringLiteral("dir"));
  const QModelIndex d =
      child(model, child(model, dir, QStringLiteral("sub")), QStringLiteral("d.bin"));
  QSignalSpy spy(&model, &QAbstractItemModel::dataChanged);
  QVERIFY(setChecked(model, album, Qt::Unchecked));
  auto covered = [&](const QModelIndex& index) {
    for (const QList<QVariant>& args : spy) {
      const auto first = args[0].value<QModelIndex>();
      const auto last = args[1].value<QModelIndex>();
      if (first.parent() == index.parent() && first.row() <= index.row() &&
          index.row() <= last.row()) {
        return true;
      }
    }
    return false;
  };
  QVERIFY(covered(album));
  QVERIFY(covered(dir));
  QVERIFY(covered(d));
}

void TestAddDialog::singleFileTorrentIsOneRow() {
  const QString path = scratch_.filePath(QStringLiteral("single.torrent"));
  QVERIFY(tributary::test::writeSingleFileTorrent(path, "disc.iso", 40000));
  AddTorrentFilesModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setFiles(TorrentPreview::fromFile(path).preview.files);
  QCOMPARE(childNames(model, {}), QStringList{QStringLiteral("disc.iso")});
  QCOMPARE(model.rowCount(model.index(0, 0)), 0);
  QVERIFY(setChecked(model, model.index(0, 0), Qt::Unchecked));
  QCOMPARE(model.filePriorities(), Priorities{0});
}

void TestAddDialog::dialogShowsNameSizeAndFolder() {
  const auto preview = TorrentPreview::fromFile(albumPath()).preview;
  AddTorrentDialog dialog(albumPath(), preview, QStringLiteral("/srv/downloads"));
  QCOMPARE(dialog.findChild<QLabel*>(QStringLiteral("torrentName"))->text(),
           QStringLiteral("album"));
  QCOMPARE(dialog.findChild<QLabel*>(QStringLiteral("torrentSize"))->text(),
           tributary::ui::Format::bytes(10000));
  QCOMPARE(dialog.saveDir(), QStringLiteral("/srv/downloads"));
  QCOMPARE(dialog.source(), albumPath());
  QVERIFY(!dialog.startPaused());
  QVERIFY(!dialog.dontAskAgain());
  // Everything wanted: no list at all, the engine's default.
  QVERIFY(dialog.filePriorities().isEmpty());
  // The torrent's folder is open.
  QVERIFY(dialog.fileView()->isExpanded(dialog.filesModel()->index(0, 0)));
  dialog.setStartPaused(true);
  QVERIFY(dialog.startPaused());
}

void TestAddDialog::okNeedsAFileAndAFolder() {
  AddTorrentDialog dialog(albumPath(), TorrentPreview::fromFile(albumPath()).preview,
                          QStringLiteral("/srv/downloads"));
  QPushButton* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
  QVERIFY(ok->isEnabled());
  dialog.findChild<QPushButton*>(QStringLiteral("selectNoFiles"))->click();
  QVERIFY(!ok->isEnabled());
  QCOMPARE(dialog.filePriorities(), (Priorities{0, 1, 0, 0, 0}));
  dialog.findChild<QPushButton*>(QStringLiteral("selectAllFiles"))->click();
  QVERIFY(ok->isEnabled());
  dialog.setSaveDir(QStringLiteral("   "));
  QVERIFY(!ok->isEnabled());
  dialog.setSaveDir(QStringLiteral("/elsewhere/"));
  QVERIFY(ok->isEnabled());
  QCOMPARE(dialog.saveDir(), QStringLiteral("/elsewhere"));
}

void TestAddDialog::browseOpensAChooserWithoutBlocking() {
  const QString target = scratch_.filePath(QStringLiteral("chosen"));
  QVERIFY(QDir().mkpath(target));
  AddTorrentDialog dialog(albumPath(), TorrentPreview::fromFile(albumPath()).preview,
                          scratch_.path());
  dialog.show();
  QVERIFY(QTest::qWaitForWindowExposed(&dialog));
  // click() returns: the chooser is open() ed, not exec() ed.
  dialog.findChild<QPushButton*>(QStringLiteral("browseSaveDir"))->click();
  auto* chooser = dialog.findChild<QFileDialog*>(QStringLiteral("saveDirChooser"));
  QVERIFY(chooser);
  QTRY_VERIFY_WITH_TIMEOUT(chooser->isVisible(), 5000);
  QCOMPARE(chooser->fileMode(), QFileDialog::Directory);
  emit chooser->fileSelected(target);
  QCOMPARE(dialog.saveDir(), target);
  chooser->reject();
}

void TestAddDialog::torrentFromTheWindowAddsWhatWasChosen() {
  const QString downloads = scratch_.filePath(QStringLiteral("downloads"));
  QVERIFY(QDir().mkpath(downloads));
  AppSettings().setDefaultSaveDir(downloads);
  WindowHarness h;
  AddRecorder added;
  added.attach(h.engine);
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));

  // Nothing added yet: the dialog is waiting for the user, and the call returned.
  QCOMPARE(h.window->addSources({albumPath()}), 0);
  QVERIFY(added.seen->empty());
  AddTorrentDialog* dialog = nullptr;
  QTRY_VERIFY_WITH_TIMEOUT((dialog = openDialog(h.window.get())) != nullptr, 5000);
  QCOMPARE(dialog->windowModality(), Qt::WindowModal);
  QCOMPARE(dialog->saveDir(), downloads);

  AddTorrentFilesModel* model = dialog->filesModel();
  const QModelIndex album = child(*model, {}, QStringLiteral("album"));
  const QModelIndex dir = child(*model, album, QStringLiteral("dir"));
  QVERIFY(setChecked(*model, child(*model, dir, QStringLiteral("sub")), Qt::Unchecked));
  QVERIFY(setChecked(*model, child(*model, album, QStringLiteral("a.bin")), Qt::Unchecked));
  dialog->findChild<QCheckBox*>(QStringLiteral("startPaused"))->setChecked(true);
  const QString elsewhere = scratch_.filePath(QStringLiteral("elsewhere"));
  dialog->findChild<QLineEdit*>(QStringLiteral("saveDir"))->setText(elsewhere);
  dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();

  QCOMPARE(added.seen->size(), std::size_t{1});
  const AddParams& params = added.seen->front();
  QCOMPARE(QString::fromStdString(params.source), albumPath());
  QCOMPARE(QString::fromStdString(params.saveDir), elsewhere);
  QVERIFY(params.startPaused);
  QCOMPARE(params.filePriorities, (std::vector<std::uint8_t>{0, 1, 1, 1, 0}));
  QVERIFY(h.window->statusBar()->currentMessage().contains(QStringLiteral("album.torrent")));
  QTRY_VERIFY_WITH_TIMEOUT(h.window->findChildren<AddTorrentDialog*>().isEmpty(), 5000);
  // Asked once, still asks: "Don't ask again" was left alone.
  QVERIFY(AppSettings().askBeforeAddingTorrents());
}

void TestAddDialog::cancelAddsNothing() {
  WindowHarness h;
  h.window->addSources({albumPath()});
  AddTorrentDialog* dialog = nullptr;
  QTRY_VERIFY_WITH_TIMEOUT((dialog = openDialog(h.window.get())) != nullptr, 5000);
  dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Cancel)->click();
  QTRY_VERIFY_WITH_TIMEOUT(h.window->findChildren<AddTorrentDialog*>().isEmpty(), 5000);
  QVERIFY(h.engine->commandsOf(Kind::Add).empty());
}

void TestAddDialog::dontAskAgainIsRememberedAndSkipsTheDialog() {
  WindowHarness h;
  AddRecorder added;
  added.attach(h.engine);
  h.window->addSources({albumPath()});
  AddTorrentDialog* dialog = nullptr;
  QTRY_VERIFY_WITH_TIMEOUT((dialog = openDialog(h.window.get())) != nullptr, 5000);
  dialog->findChild<QCheckBox*>(QStringLiteral("dontAskAgain"))->setChecked(true);
  dialog->accept();
  QCOMPARE(added.seen->size(), std::size_t{1});
  QVERIFY(added.seen->front().filePriorities.empty());
  QVERIFY(!added.seen->front().startPaused);
  // Stored, not only remembered by this window.
  QVERIFY(!AppSettings().askBeforeAddingTorrents());

  // The next one is added at once, to the default folder, with every file.
  const QString second = scratch_.filePath(QStringLiteral("second.torrent"));
  QVERIFY(tributary::test::writeSingleFileTorrent(second, "second.iso", 50000));
  QCOMPARE(h.window->addSources({second}), 1);
  QCOMPARE(added.seen->size(), std::size_t{2});
  QCOMPARE(QString::fromStdString(added.seen->back().saveDir), AppSettings().defaultSaveDir());

  // And so is it in a window opened later (a restart).
  WindowHarness later;
  QCOMPARE(later.window->addSources({second}), 1);
}

void TestAddDialog::dontAskAgainIgnoredOnCancel() {
  WindowHarness h;
  h.window->addSources({albumPath()});
  AddTorrentDialog* dialog = nullptr;
  QTRY_VERIFY_WITH_TIMEOUT((dialog = openDialog(h.window.get())) != nullptr, 5000);
  dialog->findChild<QCheckBox*>(QStringLiteral("dontAskAgain"))->setChecked(true);
  dialog->reject();
  QVERIFY(AppSettings().askBeforeAddingTorrents());
  QVERIFY(h.engine->commandsOf(Kind::Add).empty());
}

void TestAddDialog::settingsTurnTheDialogBackOn() {
  AppSettings().setAskBeforeAddingTorrents(false);
  WindowHarness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  bool shown = true;
  QTimer::singleShot(0, this, [&] {
    auto* dialog = qobject_cast<tributary::ui::SettingsDialog*>(QApplication::activeModalWidget());
    if (!dialog) {
      return;
    }
    auto* ask = dialog->findChild<QCheckBox*>(QStringLiteral("askBeforeAddingTorrents"));
    shown = ask->isChecked();
    ask->setChecked(true);
    dialog->accept();
  });
  h.action("actionSettings")->trigger();
  QVERIFY(!shown);  // the settings showed what "Don't ask again" stored
  QVERIFY(AppSettings().askBeforeAddingTorrents());
  QCOMPARE(h.window->addSources({albumPath()}), 0);
  QTRY_VERIFY_WITH_TIMEOUT(openDialog(h.window.get()) != nullptr, 5000);
}

void TestAddDialog::unreadableTorrentIsRefusedByTheEngine() {
  const QString bad = scratch_.filePath(QStringLiteral("bad.torrent"));
  QVERIFY(tributary::test::writeBytes(bad, "not a torrent"));
  WindowHarness h;
  AddRecorder added;
  added.attach(h.engine);
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  h.window->addSources({bad});
  // No dialog for what cannot be read: the engine is asked, and its refusal shown.
  QTRY_COMPARE_WITH_TIMEOUT(added.seen->size(), std::size_t{1}, 5000);
  QVERIFY(h.window->findChildren<AddTorrentDialog*>().isEmpty());
  auto* box = h.window->findChild<QMessageBox*>(QStringLiteral("addErrorBox"));
  QVERIFY(box);
  QVERIFY2(box->text().contains(QStringLiteral("“bad.torrent”")), qPrintable(box->text()));
}

void TestAddDialog::linksNeverOpenTheDialog() {
  WindowHarness h;
  QCOMPARE(h.window->addSources(
               {QStringLiteral("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"),
                QStringLiteral("https://127.0.0.1:1/file.iso")}),
           2);
  QCOMPARE(h.engine->commandsOf(Kind::Add).size(), std::size_t{2});
  QVERIFY(h.window->findChildren<AddTorrentDialog*>().isEmpty());
}

void TestAddDialog::windowGoneWhileReadingIsSafe() {
  {
    WindowHarness h;
    h.window->addSources({albumPath()});
  }
  // The parse finishes after the window is gone; its result must land nowhere.
  QVERIFY(QThreadPool::globalInstance()->waitForDone(5000));
  QCoreApplication::processEvents();
  QCoreApplication::sendPostedEvents();
}

QTEST_MAIN(TestAddDialog)
#include "tst_add_dialog.moc"
