// The main window's side bar, search box and column layout over a FakeEngine:
// the side bar shows live counts and filters the table, the search box
// filters by name only once typing pauses, and hidden, moved and sorted
// columns (task table and Peers tab) come back in a new window.
#include <QElapsedTimer>
#include <QHeaderView>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>

#include "gui/support/TorrentScript.h"
#include "gui/support/WindowHarness.h"
#include "ui/models/PeerListModel.h"
#include "ui/models/TaskFilterProxy.h"
#include "ui/widgets/DetailsTablePage.h"
#include "ui/widgets/FilterSidebar.h"
#include "ui/widgets/HeaderStateKeeper.h"
#include "ui/widgets/TaskDetailsPanel.h"
#include "ui/widgets/TaskSearchField.h"

using tributary::TaskState;
using tributary::Update;
using tributary::test::makeSnapshot;
using tributary::test::WindowHarness;
using tributary::ui::FilterSidebar;
using tributary::ui::TaskDetailsPanel;
using tributary::ui::TaskFilterProxy;
using tributary::ui::TaskListModel;
using tributary::ui::TaskSearchField;

namespace {

Update fiveTasks() {
  Update update;
  update.full = true;
  update.tasks.push_back(makeSnapshot(1, "alpha.iso", TaskState::Downloading, 1000, 100));
  update.tasks.push_back(makeSnapshot(2, "beta.iso", TaskState::Paused, 1000, 200));
  update.tasks.push_back(makeSnapshot(3, "Beta-notes.txt", TaskState::Seeding, 1000, 1000));
  update.tasks.push_back(makeSnapshot(4, "gamma.tar", TaskState::Failed, 1000, 0));
  update.tasks.push_back(makeSnapshot(5, "delta.bin", TaskState::Checking, 1000, 0));
  return update;
}

QString itemText(FilterSidebar* sidebar, TaskFilterProxy::StateFilter filter) {
  return sidebar->item(static_cast<int>(filter))->text();
}

QList<quint64> shownIds(const QAbstractItemModel* model) {
  QList<quint64> ids;
  for (int r = 0; r < model->rowCount(); ++r) {
    ids.append(model->index(r, 0).data(TaskListModel::TaskIdRole).value<quint64>());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

QAction* columnAction(QMenu& menu, int column) {
  for (QAction* action : menu.actions()) {
    if (action->data().toInt() == column) {
      return action;
    }
  }
  return nullptr;
}

}  // namespace

class TestFilterWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void sidebarCountsFollowTheEngine();
  void sidebarFiltersTheTable();
  void searchWaitsForTypingToPause();
  void taskColumnsSurviveARestart();
  void peerColumnsSurviveARestart();
  void defaultsWhenNothingWasSaved();
};

void TestFilterWindow::initTestCase() {
  tributary::test::useTestSettings();
  QLocale::setDefault(QLocale::c());
}

void TestFilterWindow::init() {
  QSettings().clear();  // each test starts from a first run
}

void TestFilterWindow::sidebarCountsFollowTheEngine() {
  WindowHarness h;
  auto* sidebar = h.window->filterSidebar();
  QVERIFY(sidebar);
  QCOMPARE(sidebar->count(), int{TaskFilterProxy::FilterCount});
  QCOMPARE(itemText(sidebar, TaskFilterProxy::All), QStringLiteral("All (0)"));

  QVERIFY(h.deliver(fiveTasks()));
  QTRY_COMPARE_WITH_TIMEOUT(itemText(sidebar, TaskFilterProxy::All), QStringLiteral("All (5)"),
                            2000);
  QCOMPARE(itemText(sidebar, TaskFilterProxy::Downloading), QStringLiteral("Downloading (2)"));
  QCOMPARE(itemText(sidebar, TaskFilterProxy::Seeding), QStringLiteral("Seeding (1)"));
  QCOMPARE(itemText(sidebar, TaskFilterProxy::Completed), QStringLiteral("Completed (1)"));
  QCOMPARE(itemText(sidebar, TaskFilterProxy::Paused), QStringLiteral("Paused (1)"));
  QCOMPARE(itemText(sidebar, TaskFilterProxy::Errored), QStringLiteral("Errored (1)"));

  // The next tick: the download pauses and the failed task is removed.
  Update tick;
  tick.tasks.push_back(makeSnapshot(1, "alpha.iso", TaskState::Paused, 1000, 100));
  tick.removed.push_back(4);
  QVERIFY(h.deliver(tick));
  QTRY_COMPARE_WITH_TIMEOUT(itemText(sidebar, TaskFilterProxy::Paused),
                            QStringLiteral("Paused (2)"), 2000);
  QCOMPARE(itemText(sidebar, TaskFilterProxy::All), QStringLiteral("All (4)"));
  QCOMPARE(itemText(sidebar, TaskFilterProxy::Downloading), QStringLiteral("Downloading (1)"));
  QCOMPARE(itemText(sidebar, TaskFilterProxy::Errored), QStringLiteral("Errored (0)"));
}

void TestFilterWindow::sidebarFiltersTheTable() {
  WindowHarness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  QVERIFY(h.deliver(fiveTasks()));
  auto* view = h.window->taskView();
  QCOMPARE(view->model()->rowCount(), 5);
  QVERIFY(h.selectTask(1));

  // A click on "Paused", as the user makes it.
  auto* sidebar = h.window->filterSidebar();
  const QRect paused = sidebar->visualItemRect(sidebar->item(TaskFilterProxy::Paused));
  QVERIFY(!paused.isEmpty());
  QTest::mouseClick(sidebar->viewport(), Qt::LeftButton, {}, paused.center());
  QCOMPARE(sidebar->currentFilter(), TaskFilterProxy::Paused);
  QCOMPARE(h.window->taskProxy()->stateFilter(), TaskFilterProxy::Paused);
  QCOMPARE(shownIds(view->model()), (QList<quint64>{2}));
  // The hidden task's row left the selection, and the commands with it.
  QVERIFY(view->selectedTaskIds().isEmpty());
  QVERIFY(!h.action("actionPause")->isEnabled());

  sidebar->setCurrentFilter(TaskFilterProxy::Downloading);
  QCOMPARE(shownIds(view->model()), (QList<quint64>{1, 5}));
  // A task that starts downloading joins the filtered table at the next tick.
  Update tick;
  tick.tasks.push_back(makeSnapshot(2, "beta.iso", TaskState::Downloading, 1000, 200));
  QVERIFY(h.deliver(tick));
  QCOMPARE(shownIds(view->model()), (QList<quint64>{1, 2, 5}));

  sidebar->setCurrentFilter(TaskFilterProxy::All);
  QCOMPARE(view->model()->rowCount(), 5);
}

void TestFilterWindow::searchWaitsForTypingToPause() {
  WindowHarness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  QVERIFY(h.deliver(fiveTasks()));
  auto* field = h.window->findChild<TaskSearchField*>(QStringLiteral("taskSearch"));
  QVERIFY(field);
  TaskFilterProxy* proxy = h.window->taskProxy();
  QCOMPARE(h.window->taskView()->model(), proxy);

  QElapsedTimer clock;
  clock.start();
  qint64 filteredAt = -1;
  connect(proxy, &QAbstractItemModel::rowsRemoved, this, [&] {
    if (filteredAt < 0) {
      filteredAt = clock.elapsed();
    }
  });
  QTest::keyClicks(field, QStringLiteral("BETA"));
  const qint64 typedAt = clock.elapsed();
  // Not at each key: the table has not changed yet.
  QCOMPARE(proxy->searchText(), QString());
  QCOMPARE(proxy->rowCount(), 5);
  QTRY_COMPARE_WITH_TIMEOUT(proxy->searchText(), QStringLiteral("BETA"), 5000);
  QCOMPARE(shownIds(proxy), (QList<quint64>{2, 3}));
  QVERIFY(filteredAt >= 0);
  // Timers never fire early by more than a few percent of their interval.
  QVERIFY2(filteredAt - typedAt >= TaskSearchField::kDebounceMs * 9 / 10,
           qPrintable(QStringLiteral("filtered %1 ms after typing").arg(filteredAt - typedAt)));

  // Escape clears at once.
  QTest::keyClick(field, Qt::Key_Escape);
  QCOMPARE(field->text(), QString());
  QCOMPARE(proxy->searchText(), QString());
  QCOMPARE(proxy->rowCount(), 5);

  // Search and side bar combine.
  h.window->filterSidebar()->setCurrentFilter(TaskFilterProxy::Seeding);
  QTest::keyClicks(field, QStringLiteral("beta"));
  QTRY_COMPARE_WITH_TIMEOUT(proxy->searchText(), QStringLiteral("beta"), 5000);
  QCOMPARE(shownIds(proxy), (QList<quint64>{3}));
}

void TestFilterWindow::taskColumnsSurviveARestart() {
  {
    WindowHarness h;
    h.window->show();
    QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
    auto* view = h.window->taskView();
    auto* keeper = view->headerStateKeeper();
    QVERIFY(keeper);
    QVERIFY(!keeper->restored());
    QHeaderView* header = view->horizontalHeader();
    QVERIFY(header->sectionsMovable());

    // The header's menu: every column but the name.
    QMenu menu;
    keeper->fillColumnMenu(&menu);
    QCOMPARE(menu.actions().size(), TaskListModel::ColumnCount - 1);
    QVERIFY(!columnAction(menu, TaskListModel::NameColumn));
    QAction* size = columnAction(menu, TaskListModel::SizeColumn);
    QVERIFY(size && size->isChecked());
    size->trigger();
    QVERIFY(header->isSectionHidden(TaskListModel::SizeColumn));

    // Drag the ETA to the second place; sort by ratio, highest first.
    header->moveSection(header->visualIndex(TaskListModel::EtaColumn), 1);
    QCOMPARE(header->visualIndex(TaskListModel::EtaColumn), 1);
    view->sortByColumn(TaskListModel::RatioColumn, Qt::DescendingOrder);
  }
  WindowHarness h;
  auto* view = h.window->taskView();
  QHeaderView* header = view->horizontalHeader();
  QVERIFY(view->headerStateKeeper()->restored());
  QVERIFY(header->isSectionHidden(TaskListModel::SizeColumn));
  QVERIFY(!header->isSectionHidden(TaskListModel::NameColumn));
  QVERIFY(!header->isSectionHidden(TaskListModel::PeersColumn));
  QCOMPARE(header->visualIndex(TaskListModel::EtaColumn), 1);
  QCOMPARE(header->sortIndicatorSection(), int{TaskListModel::RatioColumn});
  QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
  // The sort is applied, not just drawn.
  QCOMPARE(h.window->taskProxy()->sortColumn(), int{TaskListModel::RatioColumn});
  QCOMPARE(h.window->taskProxy()->sortOrder(), Qt::DescendingOrder);

  // The menu shows the hidden column unchecked; checking it brings it back.
  QMenu menu;
  view->headerStateKeeper()->fillColumnMenu(&menu);
  QAction* size = columnAction(menu, TaskListModel::SizeColumn);
  QVERIFY(size && !size->isChecked());
  size->trigger();
  QVERIFY(!header->isSectionHidden(TaskListModel::SizeColumn));
  QVERIFY(header->sectionSize(TaskListModel::SizeColumn) > 0);
}

void TestFilterWindow::peerColumnsSurviveARestart() {
  using tributary::ui::PeerListModel;
  {
    WindowHarness h;
    QTableView* peers = h.window->detailsPanel()->page(TaskDetailsPanel::PeersTab)->view();
    QHeaderView* header = peers->horizontalHeader();
    auto* keeper = peers->findChild<tributary::ui::HeaderStateKeeper*>();
    QVERIFY(keeper);
    QMenu menu;
    keeper->fillColumnMenu(&menu);
    QVERIFY(!columnAction(menu, PeerListModel::AddressColumn));
    QAction* client = columnAction(menu, PeerListModel::ClientColumn);
    QVERIFY(client);
    client->trigger();
    header->moveSection(header->visualIndex(PeerListModel::DownloadRateColumn), 0);
  }
  WindowHarness h;
  QTableView* peers = h.window->detailsPanel()->page(TaskDetailsPanel::PeersTab)->view();
  QVERIFY(peers->horizontalHeader()->isSectionHidden(PeerListModel::ClientColumn));
  QCOMPARE(peers->horizontalHeader()->visualIndex(PeerListModel::DownloadRateColumn), 0);
  // The task table was not touched, so it kept its defaults.
  QVERIFY(!h.window->taskView()->headerStateKeeper()->restored());
}

void TestFilterWindow::defaultsWhenNothingWasSaved() {
  WindowHarness h;
  QHeaderView* header = h.window->taskView()->horizontalHeader();
  QVERIFY(!h.window->taskView()->headerStateKeeper()->restored());
  for (int column = 0; column < TaskListModel::ColumnCount; ++column) {
    QVERIFY2(!header->isSectionHidden(column), qPrintable(QString::number(column)));
    QCOMPARE(header->visualIndex(column), column);
  }
  QCOMPARE(header->sortIndicatorSection(), int{TaskListModel::AddedColumn});
  QCOMPARE(h.window->filterSidebar()->currentFilter(), TaskFilterProxy::All);
}

QTEST_MAIN(TestFilterWindow)
#include "tst_filter_window.moc"
