// Magnet links added from the window while the add dialog is wanted: the task
// is added with stopAfterMetadata, its row says "Fetching metadata" with no
// size, and once the MetadataReceived event and a snapshot with the files are
// in (either first) a file dialog opens: OK sets the priorities (skipped
// files at 0) and resumes, Cancel removes the task, "don't ask" adds at once
// with no dialog, and several magnets get one non-blocking dialog each.
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>
#include <algorithm>

#include "engine/api/Engine.h"
#include "gui/support/WindowHarness.h"
#include "ui/dialogs/AddLinkDialog.h"
#include "ui/dialogs/MagnetFilesDialog.h"
#include "ui/models/AddTorrentFilesModel.h"
#include "ui/models/TaskListModel.h"
#include "ui/widgets/AppSettings.h"
#include "ui/widgets/MagnetFileChooser.h"
#include "ui/widgets/SourceAdder.h"

using tributary::Event;
using tributary::FileSnapshot;
using tributary::TaskId;
using tributary::TaskKind;
using tributary::TaskSnapshot;
using tributary::TaskState;
using tributary::Update;
using tributary::test::FakeEngine;
using tributary::test::WindowHarness;
using tributary::ui::AddLinkDialog;
using tributary::ui::AddTorrentFilesModel;
using tributary::ui::AppSettings;
using tributary::ui::EngineBridge;
using tributary::ui::MagnetFileChooser;
using tributary::ui::MagnetFilesDialog;
using tributary::ui::TaskListModel;
using Kind = FakeEngine::Command::Kind;

namespace {

const QString kLink =
    QStringLiteral("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=Album");
const QString kOtherLink =
    QStringLiteral("magnet:?xt=urn:btih:89abcdef0123456789abcdef0123456789abcdef&dn=Other");
const std::string kSaveDir = "/downloads/music";

std::vector<FileSnapshot> albumFiles() {
  return {{"Album/01.flac", 1000, 0, 1, 0},
          {"Album/02.flac", 2000, 0, 1, 1},
          {"Album/cover.jpg", 300, 0, 1, 2}};
}

// A magnet task as the engine shows it: no files and no size until the
// metadata is in, then the torrent's files (and the task paused).
TaskSnapshot magnetSnapshot(TaskId id, std::string name, TaskState state,
                            std::vector<FileSnapshot> files = {}) {
  TaskSnapshot s = tributary::test::makeSnapshot(id, std::move(name), state);
  s.kind = TaskKind::Magnet;
  s.saveDir = kSaveDir;
  s.source = kLink.toStdString();
  s.torrent.emplace();
  s.torrent->infoHashHex = "0123456789abcdef0123456789abcdef01234567";
  for (const FileSnapshot& file : files) {
    s.totalBytes += file.size;
  }
  s.sizeKnown = !files.empty();
  s.torrent->files = std::move(files);
  return s;
}

Update updateOf(TaskSnapshot snapshot) {
  Update update;
  update.tasks.push_back(std::move(snapshot));
  return update;
}

bool deliverEvent(const WindowHarness& h, Event::Kind kind, TaskId id, std::string message = {}) {
  QSignalSpy spy(h.bridge.get(), &EngineBridge::taskEvent);
  Event event;
  event.kind = kind;
  event.task = id;
  event.message = std::move(message);
  h.engine->runOnEngineThread([&](FakeEngine& engine) { engine.deliver(event); });
  return spy.wait(5000);
}

bool dropText(const WindowHarness& h, const QString& text) {
  QMimeData mime;
  mime.setText(text);
  QWidget* window = h.window.get();
  const QPoint at = window->rect().center();
  QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(window, &enter);
  if (!enter.isAccepted()) {
    return false;
  }
  QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(window, &drop);
  return true;
}

MagnetFileChooser* chooser(const WindowHarness& h) {
  return h.window->sourceAdder()->magnetFileChooser();
}

// The dialog of task `id`, or nullptr.
MagnetFilesDialog* dialogOf(const WindowHarness& h, TaskId id) {
  for (MagnetFilesDialog* dialog : chooser(h)->openDialogs()) {
    if (dialog->taskId() == id) {
      return dialog;
    }
  }
  return nullptr;
}

std::vector<FakeEngine::Command> commandsFor(const WindowHarness& h, TaskId id) {
  std::vector<FakeEngine::Command> out;
  for (const FakeEngine::Command& command : h.engine->commands()) {
    if (command.task == id && command.kind != Kind::Add) {
      out.push_back(command);
    }
  }
  return out;
}

void click(MagnetFilesDialog* dialog, QDialogButtonBox::StandardButton which) {
  dialog->findChild<QDialogButtonBox*>()->button(which)->click();
}

}  // namespace

class TestMagnetFiles : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void dropAddsToStopAfterMetadata();
  void everyAddPathAsks();
  void fetchingRowShowsStatusAndNoSize();
  void metadataOpensTheDialog_data();
  void metadataOpensTheDialog();
  void unwatchedTaskGetsNoDialog();
  void okSetsPrioritiesThenResumes();
  void okWithEveryFileOnlyResumes();
  void startPausedAndDontAskAgain();
  void skippedFilesOfTheSnapshotStartUnchecked();
  void cancelRemovesTheTask();
  void removedTaskTakesItsDialog();
  void severalMagnetsOneDialogEach();
  void dontAskAddsAtOnce();
};

void TestMagnetFiles::initTestCase() {
  tributary::test::useTestSettings();
}

void TestMagnetFiles::init() {
  QSettings().clear();  // asking is on by default
}

void TestMagnetFiles::dropAddsToStopAfterMetadata() {
  WindowHarness h;
  QVERIFY(dropText(h, kLink));
  const auto added = h.engine->commandsOf(Kind::Add);
  QCOMPARE(added.size(), 1u);
  QCOMPARE(QString::fromStdString(added[0].source), kLink);
  QVERIFY(added[0].addParams.stopAfterMetadata);
  QVERIFY(!added[0].addParams.startPaused);
  QCOMPARE(added[0].saveDir, AppSettings().defaultSaveDir().toStdString());
  QVERIFY(chooser(h)->isWatching(added[0].task));
  QVERIFY(chooser(h)->openDialogs().isEmpty());
}

void TestMagnetFiles::everyAddPathAsks() {
  WindowHarness h;
  // Paste (one link a line, as browsers copy several).
  QApplication::clipboard()->setText(kLink + QLatin1Char('\n') + kOtherLink);
  h.action("actionPasteLinks")->trigger();
  // The toolbar's Add Magnet or URL: its dialog opens without blocking.
  h.action("actionAddLink")->trigger();
  auto* input = h.window->findChild<AddLinkDialog*>();
  QVERIFY(input != nullptr);
  input->setLink(kLink);
  input->accept();
  // A second launch's arguments, as app/main.cpp passes them on.
  h.window->addSources({kOtherLink});

  const auto added = h.engine->commandsOf(Kind::Add);
  QCOMPARE(added.size(), 4u);
  for (const FakeEngine::Command& command : added) {
    QVERIFY(command.addParams.stopAfterMetadata);
    QVERIFY(chooser(h)->isWatching(command.task));
  }
}

void TestMagnetFiles::fetchingRowShowsStatusAndNoSize() {
  WindowHarness h;
  QVERIFY(h.deliver(updateOf(magnetSnapshot(7, "Album", TaskState::FetchingMetadata))));
  TaskListModel* model = h.window->taskModel();
  const int row = model->rowOf(7);
  QVERIFY(row >= 0);
  QCOMPARE(model->index(row, TaskListModel::StatusColumn).data().toString(),
           QStringLiteral("Fetching metadata"));
  // Unknown is blank, never "0 B".
  QVERIFY(model->index(row, TaskListModel::SizeColumn).data().toString().isEmpty());
  QVERIFY(model->index(row, TaskListModel::ProgressColumn).data().toString().isEmpty());
  QVERIFY(model->index(row, TaskListModel::EtaColumn).data().toString().isEmpty());
}

void TestMagnetFiles::metadataOpensTheDialog_data() {
  QTest::addColumn<bool>("eventFirst");
  QTest::newRow("event, then the snapshot") << true;
  QTest::newRow("snapshot, then the event") << false;
}

void TestMagnetFiles::metadataOpensTheDialog() {
  QFETCH(bool, eventFirst);
  WindowHarness h;
  h.window->show();
  QVERIFY(dropText(h, kLink));
  const TaskId id = h.engine->commandsOf(Kind::Add).at(0).task;
  QVERIFY(h.deliver(updateOf(magnetSnapshot(id, "Album", TaskState::FetchingMetadata))));
  QVERIFY(chooser(h)->openDialogs().isEmpty());

  const TaskSnapshot withFiles = magnetSnapshot(id, "Album", TaskState::Paused, albumFiles());
  if (eventFirst) {
    QVERIFY(deliverEvent(h, Event::Kind::MetadataReceived, id, "Album"));
    QVERIFY(chooser(h)->openDialogs().isEmpty());  // the files are not known yet
    QVERIFY(h.deliver(updateOf(withFiles)));
  } else {
    QVERIFY(h.deliver(updateOf(withFiles)));
    QVERIFY(chooser(h)->openDialogs().isEmpty());  // no event, no dialog
    QVERIFY(deliverEvent(h, Event::Kind::MetadataReceived, id, "Album"));
  }
  MagnetFilesDialog* dialog = dialogOf(h, id);
  QVERIFY(dialog != nullptr);
  QVERIFY(dialog->isVisible());
  QCOMPARE(dialog->windowModality(), Qt::WindowModal);  // open(), not exec()
  QCOMPARE(dialog->findChild<QLabel*>(QStringLiteral("torrentName"))->text(),
           QStringLiteral("Album"));
  QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("saveDirShown"))
              ->text()
              .contains(QStringLiteral("music")));
  AddTorrentFilesModel* model = dialog->filesModel();
  QCOMPARE(model->rowCount(), 1);  // the "Album" folder
  const QModelIndex folder = model->index(0, 0);
  QCOMPARE(folder.data().toString(), QStringLiteral("Album"));
  QCOMPARE(model->rowCount(folder), 3);
  QCOMPARE(model->index(1, 0, folder).data().toString(), QStringLiteral("02.flac"));
  QCOMPARE(model->index(1, 0, folder).data(AddTorrentFilesModel::SizeRole).value<quint64>(),
           quint64{2000});
  QCOMPARE(model->totalBytes(), quint64{3300});
  QVERIFY(model->allChecked());
  QVERIFY(dialog->fileView()->isExpanded(folder));
  QVERIFY(!chooser(h)->isWatching(id));
  QVERIFY(commandsFor(h, id).empty());  // nothing decided yet
}

void TestMagnetFiles::unwatchedTaskGetsNoDialog() {
  // A magnet added elsewhere (not watched) never gets a dialog.
  WindowHarness h;
  QVERIFY(h.deliver(updateOf(magnetSnapshot(42, "Album", TaskState::Paused, albumFiles()))));
  QVERIFY(deliverEvent(h, Event::Kind::MetadataReceived, 42, "Album"));
  QVERIFY(chooser(h)->openDialogs().isEmpty());
}

void TestMagnetFiles::okSetsPrioritiesThenResumes() {
  WindowHarness h;
  QVERIFY(dropText(h, kLink));
  const TaskId id = h.engine->commandsOf(Kind::Add).at(0).task;
  QVERIFY(deliverEvent(h, Event::Kind::MetadataReceived, id, "Album"));
  QVERIFY(h.deliver(updateOf(magnetSnapshot(id, "Album", TaskState::Paused, albumFiles()))));
  MagnetFilesDialog* dialog = dialogOf(h, id);
  QVERIFY(dialog != nullptr);
  AddTorrentFilesModel* model = dialog->filesModel();
  const QModelIndex second = model->index(1, 0, model->index(0, 0));
  QVERIFY(model->setData(second, Qt::Unchecked, Qt::CheckStateRole));
  click(dialog, QDialogButtonBox::Ok);

  const auto commands = commandsFor(h, id);
  QCOMPARE(commands.size(), 2u);
  QCOMPARE(commands[0].kind, Kind::FilePriorities);  // before the resume
  QCOMPARE(commands[0].filePriorities, (std::vector<std::uint8_t>{1, 0, 1}));
  QCOMPARE(commands[1].kind, Kind::Resume);
  QTRY_VERIFY_WITH_TIMEOUT(chooser(h)->openDialogs().isEmpty(), 5000);
  QVERIFY(AppSettings().askBeforeAddingTorrents());
}

void TestMagnetFiles::okWithEveryFileOnlyResumes() {
  WindowHarness h;
  QVERIFY(dropText(h, kLink));
  const TaskId id = h.engine->commandsOf(Kind::Add).at(0).task;
  QVERIFY(h.deliver(updateOf(magnetSnapshot(id, "Album", TaskState::Paused, albumFiles()))));
  QVERIFY(deliverEvent(h, Event::Kind::MetadataReceived, id, "Album"));
  click(dialogOf(h, id), QDialogButtonBox::Ok);
  const auto commands = commandsFor(h, id);
  QCOMPARE(commands.size(), 1u);
  QCOMPARE(commands[0].kind, Kind::Resume);
}

void TestMagnetFiles::startPausedAndDontAskAgain() {
  WindowHarness h;
  QVERIFY(dropText(h, kLink));
  const TaskId id = h.engine->commandsOf(Kind::Add).at(0).task;
  QVERIFY(h.deliver(updateOf(magnetSnapshot(id, "Album", TaskState::Paused, albumFiles()))));
  QVERIFY(deliverEvent(h, Event::Kind::MetadataReceived, id, "Album"));
  MagnetFilesDialog* dialog = dialogOf(h, id);
  QVERIFY(dialog != nullptr);
  dialog->findChild<QCheckBox*>(QStringLiteral("startPaused"))->setChecked(true);
  dialog->findChild<QCheckBox*>(QStringLiteral("dontAskAgain"))->setChecked(true);
  click(dialog, QDialogButtonBox::Ok);
  QVERIFY(commandsFor(h, id).empty());  // stays paused, every file wanted
  QVERIFY(!AppSettings().askBeforeAddingTorrents());
}

void TestMagnetFiles::skippedFilesOfTheSnapshotStartUnchecked() {
  // The magnet's so= selection arrives as priorities: shown unchecked, and a
  // file the user checks again is sent as wanted.
  WindowHarness h;
  QVERIFY(dropText(h, kLink));
  const TaskId id = h.engine->commandsOf(Kind::Add).at(0).task;
  std::vector<FileSnapshot> files = albumFiles();
  files[0].priority = 0;
  files[2].priority = 2;
  QVERIFY(h.deliver(updateOf(magnetSnapshot(id, "Album", TaskState::Paused, files))));
  QVERIFY(deliverEvent(h, Event::Kind::MetadataReceived, id, "Album"));
  MagnetFilesDialog* dialog = dialogOf(h, id);
  QVERIFY(dialog != nullptr);
  AddTorrentFilesModel* model = dialog->filesModel();
  const QModelIndex folder = model->index(0, 0);
  QCOMPARE(model->index(0, 0, folder).data(Qt::CheckStateRole).value<Qt::CheckState>(),
           Qt::Unchecked);
  QCOMPARE(folder.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::PartiallyChecked);
  QVERIFY(dialog->filePriorities().isEmpty());  // unchanged: nothing to send
  QVERIFY(model->setData(model->index(0, 0, folder), Qt::Checked, Qt::CheckStateRole));
  QVERIFY(model->setData(model->index(1, 0, folder), Qt::Unchecked, Qt::CheckStateRole));
  click(dialog, QDialogButtonBox::Ok);
  const auto commands = commandsFor(h, id);
  QCOMPARE(commands.size(), 2u);
  QCOMPARE(commands[0].filePriorities, (std::vector<std::uint8_t>{1, 0, 2}));  // high stays high
  QCOMPARE(commands[1].kind, Kind::Resume);
}

void TestMagnetFiles::cancelRemovesTheTask() {
  WindowHarness h;
  QVERIFY(dropText(h, kLink));
  const TaskId id = h.engine->commandsOf(Kind::Add).at(0).task;
  QVERIFY(h.deliver(updateOf(magnetSnapshot(id, "Album", TaskState::Paused, albumFiles()))));
  QVERIFY(deliverEvent(h, Event::Kind::MetadataReceived, id, "Album"));
  click(dialogOf(h, id), QDialogButtonBox::Cancel);
  const auto commands = commandsFor(h, id);
  QCOMPARE(commands.size(), 1u);
  QCOMPARE(commands[0].kind, Kind::Remove);
  // It never started, so it wrote nothing; files by those names in the folder
  // are the user's and stay.
  QVERIFY(!commands[0].deleteFiles);
  QTRY_VERIFY_WITH_TIMEOUT(chooser(h)->openDialogs().isEmpty(), 5000);
}

void TestMagnetFiles::removedTaskTakesItsDialog() {
  WindowHarness h;
  QVERIFY(dropText(h, kLink));
  const TaskId id = h.engine->commandsOf(Kind::Add).at(0).task;
  QVERIFY(h.deliver(updateOf(magnetSnapshot(id, "Album", TaskState::Paused, albumFiles()))));
  QVERIFY(deliverEvent(h, Event::Kind::MetadataReceived, id, "Album"));
  QVERIFY(dialogOf(h, id) != nullptr);
  Update gone;
  gone.removed = {id};
  QVERIFY(h.deliver(gone));
  QVERIFY(chooser(h)->openDialogs().isEmpty());
  QVERIFY(commandsFor(h, id).empty());  // closed without removing it again
}

void TestMagnetFiles::severalMagnetsOneDialogEach() {
  WindowHarness h;
  h.window->show();
  QCOMPARE(h.window->addSources({kLink, kOtherLink}), 2);
  const auto added = h.engine->commandsOf(Kind::Add);
  QCOMPARE(added.size(), 2u);
  const TaskId first = added[0].task;
  const TaskId second = added[1].task;
  for (TaskId id : {first, second}) {
    QVERIFY(h.deliver(updateOf(magnetSnapshot(id, "Album", TaskState::Paused, albumFiles()))));
    QVERIFY(deliverEvent(h, Event::Kind::MetadataReceived, id, "Album"));
  }
  QCOMPARE(chooser(h)->openDialogs().size(), 2);
  QVERIFY(dialogOf(h, first)->isVisible());
  QVERIFY(dialogOf(h, second)->isVisible());
  // The window goes on taking the engine's updates under them.
  TaskSnapshot moving = tributary::test::makeSnapshot(99, "other", TaskState::Downloading, 10, 5);
  QVERIFY(h.deliver(updateOf(moving)));
  QVERIFY(h.window->taskModel()->rowOf(99) >= 0);

  click(dialogOf(h, second), QDialogButtonBox::Cancel);
  click(dialogOf(h, first), QDialogButtonBox::Ok);
  QCOMPARE(commandsFor(h, first).size(), 1u);
  QCOMPARE(commandsFor(h, first)[0].kind, Kind::Resume);
  QCOMPARE(commandsFor(h, second).size(), 1u);
  QCOMPARE(commandsFor(h, second)[0].kind, Kind::Remove);
}

void TestMagnetFiles::dontAskAddsAtOnce() {
  AppSettings().setAskBeforeAddingTorrents(false);
  WindowHarness h;
  QVERIFY(dropText(h, kLink));
  const auto added = h.engine->commandsOf(Kind::Add);
  QCOMPARE(added.size(), 1u);
  QVERIFY(!added[0].addParams.stopAfterMetadata);
  const TaskId id = added[0].task;
  QVERIFY(!chooser(h)->isWatching(id));
  QVERIFY(deliverEvent(h, Event::Kind::MetadataReceived, id, "Album"));
  QVERIFY(h.deliver(updateOf(magnetSnapshot(id, "Album", TaskState::Downloading, albumFiles()))));
  QVERIFY(chooser(h)->openDialogs().isEmpty());
  QVERIFY(h.window->findChildren<MagnetFilesDialog*>().isEmpty());
  QVERIFY(commandsFor(h, id).empty());
}

QTEST_MAIN(TestMagnetFiles)
#include "tst_magnet_files.moc"
