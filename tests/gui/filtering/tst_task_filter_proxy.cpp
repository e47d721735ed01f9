// TaskFilterProxy over a TaskListModel fed scripted rows: each side-bar
// bucket keeps the right states, the counts follow inserts, updates and
// removals from the changed rows alone (one scan at most per batch, no
// signal for a batch that changes no state), the name search is a
// case-insensitive substring, and sorting by value still works through it.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <algorithm>

#include "ui/models/TaskFilterProxy.h"
#include "ui/models/TaskListModel.h"

using tributary::ui::TaskFilterProxy;
using tributary::ui::TaskListModel;
using tributary::ui::TaskRow;
using tributary::ui::TaskStatus;
using Filter = TaskFilterProxy::StateFilter;

namespace {

TaskRow row(quint64 id, TaskStatus status, const QString& name = {}) {
  TaskRow task;
  task.id = id;
  task.status = status;
  task.name = name.isEmpty() ? QStringLiteral("task-%1").arg(id) : name;
  return task;
}

// One task in each state, ids 1..8 in TaskStatus order.
QList<TaskRow> oneOfEach() {
  QList<TaskRow> rows;
  const TaskStatus all[] = {TaskStatus::Queued,           TaskStatus::Checking,
                            TaskStatus::FetchingMetadata, TaskStatus::Downloading,
                            TaskStatus::Seeding,          TaskStatus::Paused,
                            TaskStatus::Completed,        TaskStatus::Failed};
  quint64 id = 1;
  for (TaskStatus status : all) {
    rows.append(row(id++, status));
  }
  return rows;
}

QList<quint64> shownIds(const QAbstractItemModel& proxy) {
  QList<quint64> ids;
  for (int r = 0; r < proxy.rowCount(); ++r) {
    ids.append(proxy.index(r, 0).data(TaskListModel::TaskIdRole).value<quint64>());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Counts the status reads, to prove a batch is counted from its rows alone.
class CountingTaskModel : public TaskListModel {
 public:
  using TaskListModel::TaskListModel;
  mutable int statusReads = 0;

  QVariant data(const QModelIndex& index, int role) const override {
    if (role == StatusRole) {
      ++statusReads;
    }
    return TaskListModel::data(index, role);
  }
};

// The counts as a fresh scan of the model finds them.
int bruteCount(const TaskListModel& model, Filter filter) {
  int n = 0;
  for (int r = 0; r < model.rowCount(); ++r) {
    n += TaskFilterProxy::matches(filter, model.taskAt(r).status) ? 1 : 0;
  }
  return n;
}

}  // namespace

class TestTaskFilterProxy : public QObject {
  Q_OBJECT

 private slots:
  void init();
  void cleanup();

  void bucketsFollowTaskStates();
  void countsFollowUpdatesAndRemovals();
  void countsChangedOnlyWhenAStateChanges();
  void batchIsCountedFromItsRowsAlone();
  void searchIsCaseInsensitiveSubstring();
  void searchAndStateFilterCombine();
  void sortingStillWorks();

 private:
  CountingTaskModel* model_ = nullptr;
  TaskFilterProxy* proxy_ = nullptr;
  QAbstractItemModelTester* tester_ = nullptr;
};

void TestTaskFilterProxy::init() {
  model_ = new CountingTaskModel(this);
  proxy_ = new TaskFilterProxy(this);
  proxy_->setSourceModel(model_);
  tester_ = new QAbstractItemModelTester(
      proxy_, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
}

void TestTaskFilterProxy::cleanup() {
  delete tester_;
  delete proxy_;
  delete model_;
}

void TestTaskFilterProxy::bucketsFollowTaskStates() {
  model_->applyUpdate(oneOfEach(), {}, true);
  struct Expected {
    Filter filter;
    QList<quint64> ids;
  };
  // Queued 1, Checking 2, FetchingMetadata 3, Downloading 4, Seeding 5,
  // Paused 6, Completed 7, Failed 8.
  const Expected expected[] = {
      {TaskFilterProxy::All, {1, 2, 3, 4, 5, 6, 7, 8}},
      {TaskFilterProxy::Downloading, {1, 2, 3, 4}},
      {TaskFilterProxy::Seeding, {5}},
      {TaskFilterProxy::Completed, {5, 7}},
      {TaskFilterProxy::Paused, {6}},
      {TaskFilterProxy::Errored, {8}},
  };
  for (const Expected& e : expected) {
    proxy_->setStateFilter(e.filter);
    QCOMPARE(proxy_->stateFilter(), e.filter);
    QCOMPARE(shownIds(*proxy_), e.ids);
    QCOMPARE(proxy_->count(e.filter), e.ids.size());
  }
}

void TestTaskFilterProxy::countsFollowUpdatesAndRemovals() {
  model_->applyUpdate(oneOfEach(), {}, true);
  proxy_->setStateFilter(TaskFilterProxy::Paused);
  QCOMPARE(proxy_->count(TaskFilterProxy::Paused), 1);

  // Two downloads pause, the seeder is removed, a new failed task arrives.
  model_->applyUpdate(
      {row(4, TaskStatus::Paused), row(1, TaskStatus::Paused), row(9, TaskStatus::Failed)}, {5},
      false);
  QCOMPARE(proxy_->count(TaskFilterProxy::All), 8);
  QCOMPARE(proxy_->count(TaskFilterProxy::Paused), 3);
  QCOMPARE(proxy_->count(TaskFilterProxy::Downloading), 2);
  QCOMPARE(proxy_->count(TaskFilterProxy::Seeding), 0);
  QCOMPARE(proxy_->count(TaskFilterProxy::Completed), 1);
  QCOMPARE(proxy_->count(TaskFilterProxy::Errored), 2);
  QCOMPARE(shownIds(*proxy_), (QList<quint64>{1, 4, 6}));

  // A full batch that mentions only two tasks drops the rest.
  model_->applyUpdate({row(6, TaskStatus::Downloading), row(10, TaskStatus::Seeding)}, {}, true);
  for (int f = TaskFilterProxy::All; f < TaskFilterProxy::FilterCount; ++f) {
    const auto filter = static_cast<Filter>(f);
    QCOMPARE(proxy_->count(filter), bruteCount(*model_, filter));
  }
  QCOMPARE(proxy_->count(TaskFilterProxy::All), 2);
  QCOMPARE(proxy_->rowCount(), 0);  // nothing paused any more
}

void TestTaskFilterProxy::countsChangedOnlyWhenAStateChanges() {
  model_->applyUpdate(oneOfEach(), {}, true);
  QSignalSpy counts(proxy_, &TaskFilterProxy::countsChanged);

  // Inserts, changed rows and removals: the counts are right as soon as the
  // batch is applied, so a view drawn next shows them.
  model_->applyUpdate({row(1, TaskStatus::Paused), row(7, TaskStatus::Seeding),
                       row(20, TaskStatus::Downloading), row(21, TaskStatus::Failed)},
                      {3, 5}, false);
  QVERIFY(counts.count() >= 1);
  QCOMPARE(proxy_->count(TaskFilterProxy::All), 8);
  QCOMPARE(proxy_->count(TaskFilterProxy::Seeding), 1);
  QCOMPARE(proxy_->count(TaskFilterProxy::Errored), 2);
  counts.clear();

  // A batch that changes figures but no state changes no count.
  TaskRow faster = row(2, TaskStatus::Checking);
  faster.downloadRate = 12345;
  model_->applyUpdate({faster}, {}, false);
  QCOMPARE(counts.count(), 0);
}

void TestTaskFilterProxy::batchIsCountedFromItsRowsAlone() {
  constexpr int kTasks = 10'000;
  QList<TaskRow> rows;
  for (int i = 1; i <= kTasks; ++i) {
    rows.append(row(i, i % 3 == 0 ? TaskStatus::Paused : TaskStatus::Downloading));
  }
  // A filter that reads the state too, the worse case.
  proxy_->setStateFilter(TaskFilterProxy::Paused);
  delete tester_;  // the tester's own checks read every row
  tester_ = nullptr;

  model_->statusReads = 0;
  model_->applyUpdate(rows, {}, true);
  // Once for the counts, once for the filter: never a rescan per signal.
  QVERIFY2(model_->statusReads <= 2 * kTasks, qPrintable(QString::number(model_->statusReads)));
  QCOMPARE(proxy_->count(TaskFilterProxy::Paused), kTasks / 3);

  // A 2 Hz tick that changes three tasks reads three rows (twice), not 10,000.
  model_->statusReads = 0;
  model_->applyUpdate({row(1, TaskStatus::Paused), row(5000, TaskStatus::Seeding),
                       row(9999, TaskStatus::Downloading)},
                      {}, false);
  QVERIFY2(model_->statusReads <= 6, qPrintable(QString::number(model_->statusReads)));
  QCOMPARE(proxy_->count(TaskFilterProxy::Paused), kTasks / 3);  // +1 -1
  QCOMPARE(proxy_->count(TaskFilterProxy::Seeding), 1);
  QCOMPARE(proxy_->rowCount(), kTasks / 3);

  // Removing rows reads nothing: the proxy remembers what it counted.
  model_->statusReads = 0;
  model_->applyUpdate({}, {1, 2, 3}, false);
  QCOMPARE(model_->statusReads, 0);
  QCOMPARE(proxy_->count(TaskFilterProxy::All), kTasks - 3);
  QCOMPARE(proxy_->count(TaskFilterProxy::Paused), kTasks / 3 - 2);
}

void TestTaskFilterProxy::searchIsCaseInsensitiveSubstring() {
  TaskRow unnamed = row(4, TaskStatus::FetchingMetadata);
  unnamed.name.clear();
  unnamed.source = QStringLiteral("magnet:?xt=urn:btih:ABCDEF");
  model_->applyUpdate({row(1, TaskStatus::Downloading, QStringLiteral("Debian-12-Alpha.iso")),
                       row(2, TaskStatus::Paused, QStringLiteral("alphabet.txt")),
                       row(3, TaskStatus::Seeding, QStringLiteral("beta.tar")), unnamed},
                      {}, true);
  proxy_->setSearchText(QStringLiteral("ALPHA"));
  QCOMPARE(shownIds(*proxy_), (QList<quint64>{1, 2}));
  proxy_->setSearchText(QStringLiteral("  a.i  "));  // surrounding blanks do not count
  QCOMPARE(shownIds(*proxy_), (QList<quint64>{1}));
  proxy_->setSearchText(QStringLiteral("btih:abc"));  // a nameless task is found by its source
  QCOMPARE(shownIds(*proxy_), (QList<quint64>{4}));
  proxy_->setSearchText(QStringLiteral("nothing"));
  QCOMPARE(proxy_->rowCount(), 0);
  // The counts are of every task, whatever is searched.
  QCOMPARE(proxy_->count(TaskFilterProxy::All), 4);
  proxy_->setSearchText({});
  QCOMPARE(proxy_->rowCount(), 4);

  // A renamed task enters and leaves the search as batches arrive.
  proxy_->setSearchText(QStringLiteral("gamma"));
  QCOMPARE(proxy_->rowCount(), 0);
  model_->applyUpdate({row(3, TaskStatus::Seeding, QStringLiteral("Gamma.tar"))}, {}, false);
  QCOMPARE(shownIds(*proxy_), (QList<quint64>{3}));
}

void TestTaskFilterProxy::searchAndStateFilterCombine() {
  model_->applyUpdate({row(1, TaskStatus::Downloading, QStringLiteral("one.iso")),
                       row(2, TaskStatus::Paused, QStringLiteral("two.iso")),
                       row(3, TaskStatus::Paused, QStringLiteral("three.tar"))},
                      {}, true);
  proxy_->setStateFilter(TaskFilterProxy::Paused);
  proxy_->setSearchText(QStringLiteral(".ISO"));
  QCOMPARE(shownIds(*proxy_), (QList<quint64>{2}));
  // A task that changes state moves in and out of the filtered view.
  model_->applyUpdate({row(1, TaskStatus::Paused, QStringLiteral("one.iso"))}, {}, false);
  QCOMPARE(shownIds(*proxy_), (QList<quint64>{1, 2}));
  model_->applyUpdate({row(2, TaskStatus::Downloading, QStringLiteral("two.iso"))}, {}, false);
  QCOMPARE(shownIds(*proxy_), (QList<quint64>{1}));
}

void TestTaskFilterProxy::sortingStillWorks() {
  QList<TaskRow> rows;
  const quint64 sizes[] = {900, 5'000'000, 40'000};
  for (int i = 0; i < 3; ++i) {
    TaskRow task = row(i + 1, TaskStatus::Downloading);
    task.totalBytes = sizes[i];
    task.sizeKnown = true;
    rows.append(task);
  }
  rows.append(row(4, TaskStatus::Paused));
  model_->applyUpdate(rows, {}, true);
  proxy_->setStateFilter(TaskFilterProxy::Downloading);
  proxy_->sort(TaskListModel::SizeColumn, Qt::DescendingOrder);
  QList<quint64> order;
  for (int r = 0; r < proxy_->rowCount(); ++r) {
    order.append(proxy_->index(r, 0).data(TaskListModel::TaskIdRole).value<quint64>());
  }
  // By bytes, not by text ("878.9 KiB" would sort before "39.1 KiB" as text).
  QCOMPARE(order, (QList<quint64>{2, 3, 1}));
}

QTEST_GUILESS_MAIN(TestTaskFilterProxy)
#include "tst_task_filter_proxy.moc"
