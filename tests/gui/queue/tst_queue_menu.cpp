// The download queue in the task table over a FakeEngine: the "#" column and
// its sort, the Queued bucket of the side bar, and the context menu's moves:
// what each sends the engine and in which order, so that a selection moves as
// a block; finished tasks have no place and do not move.
#include <QAction>
#include <QHeaderView>
#include <QLocale>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <string>
#include <utility>
#include <vector>

#include "gui/support/WindowHarness.h"
#include "support/FakeEngine.h"
#include "ui/bridge/BridgeTypes.h"
#include "ui/models/TaskFilterProxy.h"
#include "ui/models/TaskListModel.h"
#include "ui/widgets/FilterSidebar.h"
#include "ui/widgets/QueueMoveOrder.h"
#include "ui/widgets/TaskContextMenu.h"
#include "ui/widgets/TaskTableView.h"

using namespace tributary;
using tributary::test::FakeEngine;
using tributary::test::WindowHarness;
using tributary::ui::QueuedTask;
using tributary::ui::TaskFilterProxy;
using tributary::ui::TaskListModel;
using UiMove = tributary::ui::QueueMove;
using Kind = FakeEngine::Command::Kind;
using Sent = std::vector<std::pair<TaskId, QueueMove>>;

Q_DECLARE_METATYPE(tributary::ui::QueueMove)

namespace {

TaskSnapshot at(TaskId id, std::uint32_t position, TaskState state) {
  TaskSnapshot s = test::makeSnapshot(id, "task " + std::to_string(id), state, 1000, 10);
  s.queuePosition = position;
  return s;
}

// Tasks 1 to 5 at places 1 to 5 (two download, three wait) and 6 seeding.
Update sixTasks() {
  Update update;
  update.full = true;
  for (TaskId id = 1; id <= 5; ++id) {
    update.tasks.push_back(at(id, static_cast<std::uint32_t>(id),
                              id <= 2 ? TaskState::Downloading : TaskState::Queued));
  }
  update.tasks.push_back(at(6, 0, TaskState::Seeding));
  return update;
}

QList<quint64> shownIds(const QAbstractItemModel* model) {
  QList<quint64> ids;
  for (int row = 0; row < model->rowCount(); ++row) {
    ids << model->index(row, 0).data(TaskListModel::TaskIdRole).value<quint64>();
  }
  return ids;
}

QString positionText(const WindowHarness& h, TaskId id) {
  const TaskListModel* model = h.window->taskModel();
  return model->index(model->rowOf(id), TaskListModel::QueuePositionColumn).data().toString();
}

// The moves the engine was sent after the first `skip`.
Sent movesSent(const WindowHarness& h, std::size_t skip = 0) {
  Sent sent;
  const auto commands = h.engine->commandsOf(Kind::MoveInQueue);
  for (std::size_t i = skip; i < commands.size(); ++i) {
    sent.emplace_back(commands[i].task, commands[i].queueMove);
  }
  return sent;
}

// Builds the menu for `ids`, triggers `action` in its Queue submenu and
// returns what that sent.
Sent trigger(const WindowHarness& h, const QList<quint64>& ids, const char* action) {
  const std::size_t before = h.engine->commandsOf(Kind::MoveInQueue).size();
  std::unique_ptr<QMenu> menu = h.window->contextMenu()->build(ids, {});
  auto* found = menu->findChild<QAction*>(QString::fromLatin1(action));
  if (found == nullptr || !found->isEnabled()) {
    return {{0, QueueMove::Up}};  // a marker no real move equals
  }
  found->trigger();
  return movesSent(h, before);
}

}  // namespace

class TestQueueMenu : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    tributary::test::useTestSettings();
    QLocale::setDefault(QLocale::c());
  }
  void init() { QSettings().clear(); }

  void positionColumnComesFirst() {
    WindowHarness h;
    QVERIFY(h.deliver(sixTasks()));
    QHeaderView* header = h.window->taskView()->horizontalHeader();
    QCOMPARE(header->visualIndex(TaskListModel::QueuePositionColumn), 0);
    QVERIFY(!header->isSectionHidden(TaskListModel::QueuePositionColumn));
    QCOMPARE(h.window->taskModel()
                 ->headerData(TaskListModel::QueuePositionColumn, Qt::Horizontal)
                 .toString(),
             QStringLiteral("#"));
    QCOMPARE(positionText(h, 1), QStringLiteral("1"));
    QCOMPARE(positionText(h, 5), QStringLiteral("5"));
    QCOMPARE(positionText(h, 6), QString());  // seeding: no place

    // Sorted by place, finished tasks last.
    h.window->taskView()->sortByColumn(TaskListModel::QueuePositionColumn, Qt::AscendingOrder);
    QCOMPARE(shownIds(h.window->taskProxy()), (QList<quint64>{1, 2, 3, 4, 5, 6}));

    // A move changes places only: the position column alone is repainted,
    // and the sort follows.
    QSignalSpy changed(h.window->taskModel(), &QAbstractItemModel::dataChanged);
    Update moved;
    moved.tasks = {at(5, 1, TaskState::Queued), at(1, 2, TaskState::Downloading),
                   at(2, 3, TaskState::Downloading), at(3, 4, TaskState::Queued),
                   at(4, 5, TaskState::Queued)};
    QVERIFY(h.deliver(moved));
    QVERIFY(!changed.isEmpty());
    for (const QList<QVariant>& signal : changed) {
      QCOMPARE(signal[0].value<QModelIndex>().column(), int{TaskListModel::QueuePositionColumn});
      QCOMPARE(signal[1].value<QModelIndex>().column(), int{TaskListModel::QueuePositionColumn});
    }
    QCOMPARE(shownIds(h.window->taskProxy()), (QList<quint64>{5, 1, 2, 3, 4, 6}));
  }

  void queuedTasksHaveTheirBucket() {
    WindowHarness h;
    QVERIFY(h.deliver(sixTasks()));
    auto* sidebar = h.window->filterSidebar();
    QCOMPARE(sidebar->item(TaskFilterProxy::Queued)->text(), QStringLiteral("Queued (3)"));
    // Waiting for a slot is part of downloading, as in qBittorrent.
    QCOMPARE(sidebar->item(TaskFilterProxy::Downloading)->text(),
             QStringLiteral("Downloading (5)"));
    sidebar->setCurrentFilter(TaskFilterProxy::Queued);
    QCOMPARE(shownIds(h.window->taskProxy()), (QList<quint64>{3, 4, 5}));
    const TaskListModel* model = h.window->taskModel();
    QCOMPARE(model->index(model->rowOf(3), TaskListModel::StatusColumn).data().toString(),
             QStringLiteral("Queued"));
  }

  void menuMovesTheSelectionAsABlock() {
    WindowHarness h;
    QVERIFY(h.deliver(sixTasks()));
    // 2 and 4 selected (in any order): each keeps its side of the other.
    QCOMPARE(trigger(h, {4, 2}, "queueUpAction"), (Sent{{2, QueueMove::Up}, {4, QueueMove::Up}}));
    QCOMPARE(trigger(h, {2, 4}, "queueDownAction"),
             (Sent{{4, QueueMove::Down}, {2, QueueMove::Down}}));
    QCOMPARE(trigger(h, {2, 4}, "queueTopAction"),
             (Sent{{4, QueueMove::Top}, {2, QueueMove::Top}}));
    QCOMPARE(trigger(h, {4, 2}, "queueBottomAction"),
             (Sent{{2, QueueMove::Bottom}, {4, QueueMove::Bottom}}));
    // Already at the top (1 and 2), or at the bottom (4 and 5): nothing to
    // send, rather than two selected tasks trading places.
    QCOMPARE(trigger(h, {1, 2}, "queueUpAction"), Sent{});
    QCOMPARE(trigger(h, {1, 3}, "queueUpAction"), (Sent{{3, QueueMove::Up}}));
    QCOMPARE(trigger(h, {5, 4}, "queueDownAction"), Sent{});
    // A finished task in the selection stays out of it.
    QCOMPARE(trigger(h, {6, 3}, "queueTopAction"), (Sent{{3, QueueMove::Top}}));
  }

  void finishedTasksCannotMove() {
    WindowHarness h;
    QVERIFY(h.deliver(sixTasks()));
    std::unique_ptr<QMenu> menu = h.window->contextMenu()->build({6}, {});
    auto* queue = menu->findChild<QMenu*>(QStringLiteral("queueMenu"));
    QVERIFY(queue != nullptr);
    QVERIFY(!queue->isEnabled());
    for (const char* name :
         {"queueTopAction", "queueUpAction", "queueDownAction", "queueBottomAction"}) {
      auto* action = menu->findChild<QAction*>(QString::fromLatin1(name));
      QVERIFY2(action != nullptr, name);
      QVERIFY2(!action->isEnabled(), name);
    }
    h.window->contextMenu()->moveInQueue({6}, UiMove::Top);
    QVERIFY(h.engine->commandsOf(Kind::MoveInQueue).empty());
    // Any unfinished task in the selection enables them.
    menu = h.window->contextMenu()->build({6, 1}, {});
    QVERIFY(menu->findChild<QMenu*>(QStringLiteral("queueMenu"))->isEnabled());
  }

  void moveOrder_data() {
    QTest::addColumn<QList<quint32>>("positions");  // of ids 1, 2, ... in turn
    QTest::addColumn<UiMove>("move");
    QTest::addColumn<quint32>("last");
    QTest::addColumn<QList<quint64>>("expected");
    QTest::newRow("up, nearest the top first")
        << QList<quint32>{7, 3, 5} << UiMove::Up << 9u << QList<quint64>{2, 3, 1};
    QTest::newRow("up, a block at the top stays")
        << QList<quint32>{2, 1, 3, 6} << UiMove::Up << 9u << QList<quint64>{4};
    QTest::newRow("down, nearest the bottom first")
        << QList<quint32>{3, 7, 5} << UiMove::Down << 9u << QList<quint64>{2, 3, 1};
    QTest::newRow("down, a block at the bottom stays")
        << QList<quint32>{9, 8, 2} << UiMove::Down << 9u << QList<quint64>{3};
    QTest::newRow("top, furthest down first")
        << QList<quint32>{1, 4, 2} << UiMove::Top << 9u << QList<quint64>{2, 3, 1};
    QTest::newRow("bottom, nearest the top first")
        << QList<quint32>{9, 4, 6} << UiMove::Bottom << 9u << QList<quint64>{2, 3, 1};
    QTest::newRow("finished tasks are left out")
        << QList<quint32>{0, 4, 0} << UiMove::Top << 9u << QList<quint64>{2};
  }
  void moveOrder() {
    QFETCH(QList<quint32>, positions);
    QFETCH(UiMove, move);
    QFETCH(quint32, last);
    QFETCH(QList<quint64>, expected);
    QList<QueuedTask> selected;
    for (int i = 0; i < positions.size(); ++i) {
      selected << QueuedTask{static_cast<quint64>(i + 1), positions[i]};
    }
    QCOMPARE(ui::queueMoveOrder(selected, move, last), expected);
  }
};

QTEST_MAIN(TestQueueMenu)
#include "tst_queue_menu.moc"
