// File priorities in the Files tab, through the whole window over a
// FakeEngine: a change made in the priority cell, its combo box or the
// context menu sends the task's whole priority vector to the engine; the
// chosen value stays on screen over ticks that still carry the old one,
// until the engine reports it (or evidently never will); an HTTP download's
// one file has no priority to change.
#include <QAction>
#include <QComboBox>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

#include "gui/support/TorrentScript.h"
#include "gui/support/WindowHarness.h"
#include "ui/models/FileListModel.h"
#include "ui/widgets/DetailsTablePage.h"
#include "ui/widgets/TaskDetailsPanel.h"

using tributary::FileSnapshot;
using tributary::TaskSnapshot;
using tributary::TaskState;
using tributary::Update;
using tributary::test::FakeEngine;
using tributary::test::makeSnapshot;
using tributary::test::makeTorrentSnapshot;
using tributary::test::WindowHarness;
using tributary::ui::FileListModel;
using tributary::ui::TaskDetailsPanel;

namespace {

constexpr quint64 kTorrent = 7;
constexpr quint64 kHttp = 9;
using Priorities = std::vector<std::uint8_t>;

// The torrent as the engine reports it, with its files at `priorities`.
TaskSnapshot torrent(const Priorities& priorities) {
  TaskSnapshot task = makeTorrentSnapshot(kTorrent, "linux", {});
  task.torrent->files.push_back(FileSnapshot{"linux/extra/notes.nfo", 1024, 0, 1, 2});
  for (std::size_t i = 0; i < priorities.size(); ++i) {
    task.torrent->files[i].priority = priorities[i];
  }
  return task;
}

Update tick(const Priorities& priorities, bool full = false) {
  Update update;
  update.full = full;
  update.tasks = {torrent(priorities)};
  if (full) {
    update.tasks.push_back(makeSnapshot(kHttp, "a.iso", TaskState::Downloading, 1000, 10));
  }
  return update;
}

}  // namespace

class TestFilePriorities : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();

  void onlyThePriorityCellOfATorrentIsEditable();
  void editSendsTheWholeVector();
  void chosenValueWinsUntilTheEngineReportsIt();
  void unconfirmedChoiceGivesWayAfterAWhile();
  void contextMenuSetsTheSelectedFiles();
  void comboEditorIsNotUndoneByTicks();
  void httpDownloadHasNoPriorities();

 private:
  QModelIndex priorityCell(const QString& path) const;
  QString shownPriority(const QString& path) const;
  std::vector<Priorities> sentVectors() const;

  std::unique_ptr<WindowHarness> h_;
  TaskDetailsPanel* panel_ = nullptr;
  QTableView* view_ = nullptr;
};

void TestFilePriorities::initTestCase() {
  tributary::test::useTestSettings();
  QLocale::setDefault(QLocale::c());
}

void TestFilePriorities::init() {
  h_ = std::make_unique<WindowHarness>();
  h_->window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h_->window.get()));
  panel_ = h_->window->detailsPanel();
  view_ = panel_->page(TaskDetailsPanel::FilesTab)->view();
  QVERIFY(h_->deliver(tick({1, 1, 2}, true)));
  QVERIFY(h_->selectTask(kTorrent));
  panel_->setCurrentIndex(TaskDetailsPanel::FilesTab);
  QTRY_VERIFY_WITH_TIMEOUT(view_->isVisible(), 5000);
  QCOMPARE(view_->model()->rowCount(), 3);
}

void TestFilePriorities::cleanup() {
  h_.reset();
}

QModelIndex TestFilePriorities::priorityCell(const QString& path) const {
  for (int r = 0; r < view_->model()->rowCount(); ++r) {
    if (view_->model()->index(r, FileListModel::PathColumn).data().toString() == path) {
      return view_->model()->index(r, FileListModel::PriorityColumn);
    }
  }
  return {};
}

QString TestFilePriorities::shownPriority(const QString& path) const {
  return priorityCell(path).data().toString();
}

std::vector<Priorities> TestFilePriorities::sentVectors() const {
  std::vector<Priorities> out;
  for (const auto& command : h_->engine->commandsOf(FakeEngine::Command::Kind::FilePriorities)) {
    if (command.task == kTorrent) {
      out.push_back(command.filePriorities);
    }
  }
  return out;
}

void TestFilePriorities::onlyThePriorityCellOfATorrentIsEditable() {
  const QModelIndex cell = priorityCell(QStringLiteral("linux/README.txt"));
  QVERIFY(cell.isValid());
  QVERIFY(cell.flags() & Qt::ItemIsEditable);
  QVERIFY(!(cell.siblingAtColumn(FileListModel::PathColumn).flags() & Qt::ItemIsEditable));
  QVERIFY(!(cell.siblingAtColumn(FileListModel::SizeColumn).flags() & Qt::ItemIsEditable));
  QCOMPARE(cell.data(Qt::EditRole).toInt(), 1);
  QCOMPARE(shownPriority(QStringLiteral("linux/extra/notes.nfo")), QStringLiteral("High"));
}

void TestFilePriorities::editSendsTheWholeVector() {
  // The view is sorted by path, so rows and the engine's order differ.
  view_->sortByColumn(FileListModel::PathColumn, Qt::DescendingOrder);
  QVERIFY(view_->model()->setData(priorityCell(QStringLiteral("linux/README.txt")), 0));
  QCOMPARE(sentVectors(), (std::vector<Priorities>{{1, 0, 2}}));
  QCOMPARE(shownPriority(QStringLiteral("linux/README.txt")), QStringLiteral("Skip"));
  // Setting what is already shown sends nothing.
  QVERIFY(!view_->model()->setData(priorityCell(QStringLiteral("linux/README.txt")), 0));
  QCOMPARE(sentVectors().size(), std::size_t{1});
  // Values above High are High, as the engine reads them.
  QVERIFY(view_->model()->setData(priorityCell(QStringLiteral("linux/disc.iso")), 7));
  QCOMPARE(sentVectors().back(), (Priorities{2, 0, 2}));
  QVERIFY(!view_->model()->setData(priorityCell(QStringLiteral("linux/disc.iso")), -1));
}

void TestFilePriorities::chosenValueWinsUntilTheEngineReportsIt() {
  QVERIFY(view_->model()->setData(priorityCell(QStringLiteral("linux/README.txt")), 0));
  // The engine's next ticks were taken before it applied the change.
  for (int i = 0; i < 3; ++i) {
    QVERIFY(h_->deliver(tick({1, 1, 2})));
    QCOMPARE(shownPriority(QStringLiteral("linux/README.txt")), QStringLiteral("Skip"));
  }
  QVERIFY(h_->deliver(tick({1, 0, 2})));  // applied
  QCOMPARE(shownPriority(QStringLiteral("linux/README.txt")), QStringLiteral("Skip"));
  // From now on the engine's word stands again, whatever it says.
  QVERIFY(h_->deliver(tick({1, 2, 2})));
  QCOMPARE(shownPriority(QStringLiteral("linux/README.txt")), QStringLiteral("High"));
  QCOMPARE(sentVectors().size(), std::size_t{1});
}

void TestFilePriorities::unconfirmedChoiceGivesWayAfterAWhile() {
  QVERIFY(view_->model()->setData(priorityCell(QStringLiteral("linux/disc.iso")), 2));
  for (int i = 1; i < FileListModel::kPendingUpdates; ++i) {
    QVERIFY(h_->deliver(tick({1, 1, 2})));
    QCOMPARE(shownPriority(QStringLiteral("linux/disc.iso")), QStringLiteral("High"));
  }
  QVERIFY(h_->deliver(tick({1, 1, 2})));
  QCOMPARE(shownPriority(QStringLiteral("linux/disc.iso")), QStringLiteral("Normal"));
}

void TestFilePriorities::contextMenuSetsTheSelectedFiles() {
  for (const QString& path :
       {QStringLiteral("linux/disc.iso"), QStringLiteral("linux/extra/notes.nfo")}) {
    view_->selectionModel()->select(priorityCell(path),
                                    QItemSelectionModel::Select | QItemSelectionModel::Rows);
  }
  std::unique_ptr<QMenu> menu(panel_->createFilesMenu(nullptr));
  QVERIFY(menu);
  auto* skip = menu->findChild<QAction*>(QStringLiteral("filePrioritySkip"));
  auto* normal = menu->findChild<QAction*>(QStringLiteral("filePriorityNormal"));
  auto* high = menu->findChild<QAction*>(QStringLiteral("filePriorityHigh"));
  QVERIFY(skip && normal && high);
  QVERIFY(!skip->isChecked() && !normal->isChecked() && !high->isChecked());  // they differ
  skip->trigger();
  QCOMPARE(sentVectors(), (std::vector<Priorities>{{0, 1, 0}}));
  QCOMPARE(shownPriority(QStringLiteral("linux/disc.iso")), QStringLiteral("Skip"));
  QCOMPARE(shownPriority(QStringLiteral("linux/extra/notes.nfo")), QStringLiteral("Skip"));

  std::unique_ptr<QMenu> again(panel_->createFilesMenu(nullptr));
  QVERIFY(again->findChild<QAction*>(QStringLiteral("filePrioritySkip"))->isChecked());

  view_->clearSelection();
  QVERIFY(!panel_->createFilesMenu(nullptr));  // nothing selected, no menu
}

void TestFilePriorities::comboEditorIsNotUndoneByTicks() {
  const QModelIndex cell = priorityCell(QStringLiteral("linux/README.txt"));
  view_->setCurrentIndex(cell);
  view_->edit(cell);
  QComboBox* combo = nullptr;
  QTRY_VERIFY_WITH_TIMEOUT(
      (combo = view_->findChild<QComboBox*>(QStringLiteral("choiceEditor"))) != nullptr, 5000);
  QCOMPARE(combo->count(), 3);
  QCOMPARE(combo->currentText(), QStringLiteral("Normal"));
  // The user moves to High; ticks arrive before the pick is confirmed.
  combo->setCurrentIndex(2);
  for (int i = 0; i < 3; ++i) {
    TaskSnapshot busy = torrent({1, 1, 2});
    busy.torrent->files[1].doneBytes += std::uint64_t(i + 1) * 1024;  // the row changes
    Update update;
    update.tasks = {busy};
    QVERIFY(h_->deliver(update));
    QCOMPARE(combo->currentText(), QStringLiteral("High"));
  }
  QVERIFY(sentVectors().empty());
  emit combo->activated(2);
  QCOMPARE(sentVectors(), (std::vector<Priorities>{{1, 2, 2}}));
  QCOMPARE(shownPriority(QStringLiteral("linux/README.txt")), QStringLiteral("High"));
}

void TestFilePriorities::httpDownloadHasNoPriorities() {
  QVERIFY(h_->selectTask(kHttp));
  QCOMPARE(view_->model()->rowCount(), 1);
  const QModelIndex cell = view_->model()->index(0, FileListModel::PriorityColumn);
  QVERIFY(!(cell.flags() & Qt::ItemIsEditable));
  QVERIFY(!view_->model()->setData(cell, 0));
  view_->selectRow(0);
  QVERIFY(!panel_->createFilesMenu(nullptr));
  QVERIFY(h_->engine->commandsOf(FakeEngine::Command::Kind::FilePriorities).empty());
}

QTEST_MAIN(TestFilePriorities)
#include "tst_file_priorities.moc"
