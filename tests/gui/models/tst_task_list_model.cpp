// TaskListModel: applies insert/update/remove/full batches with correct model
// signals (checked by QAbstractItemModelTester), one dataChanged per run, and
// blank cells for figures that do not exist yet.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include "ui/models/TaskListModel.h"

using tributary::ui::TaskKind;
using tributary::ui::TaskListModel;
using tributary::ui::TaskRow;
using tributary::ui::TaskStatus;

namespace {

TaskRow row(quint64 id, const QString& name = {}) {
  TaskRow task;
  task.id = id;
  task.name = name.isEmpty() ? QStringLiteral("task-%1").arg(id) : name;
  task.status = TaskStatus::Downloading;
  return task;
}

QList<TaskRow> rows(std::initializer_list<quint64> ids) {
  QList<TaskRow> out;
  for (quint64 id : ids) {
    out.append(row(id));
  }
  return out;
}

QList<quint64> idsInOrder(const TaskListModel& model) {
  QList<quint64> ids;
  for (int r = 0; r < model.rowCount(); ++r) {
    ids.append(model.index(r, 0).data(TaskListModel::TaskIdRole).value<quint64>());
  }
  return ids;
}

QString cell(const TaskListModel& model, int r, int column) {
  return model.index(r, column).data().toString();
}

}  // namespace

class TestTaskListModel : public QObject {
  Q_OBJECT

 private slots:
  void init();
  void cleanup();

  void insertAppendsInOneBlock();
  void updateEmitsDataChangedPerContiguousRun();
  void removeDropsRowsAndKeepsIndex();
  void fullBatchDropsRowsItDoesNotMention();
  void unknownIdsAndDuplicatesAreHarmless();
  void unknownFiguresShowNothing();
  void knownFiguresAreFormatted();
  void proxySortsByValueNotText();

 private:
  TaskListModel* model_ = nullptr;
  QAbstractItemModelTester* tester_ = nullptr;
};

void TestTaskListModel::init() {
  model_ = new TaskListModel(this);
  tester_ = new QAbstractItemModelTester(
      model_, QAbstractItemModelTester::FailureReportingMode::QtTest, this);
}

void TestTaskListModel::cleanup() {
  delete tester_;
  delete model_;
}

void TestTaskListModel::insertAppendsInOneBlock() {
  QSignalSpy inserted(model_, &QAbstractItemModel::rowsInserted);
  model_->applyUpdate(rows({1, 2, 3}), {}, true);
  QCOMPARE(model_->rowCount(), 3);
  QCOMPARE(model_->columnCount(), int{TaskListModel::ColumnCount});
  QCOMPARE(inserted.count(), 1);
  QCOMPARE(inserted[0][1].toInt(), 0);
  QCOMPARE(inserted[0][2].toInt(), 2);
  QCOMPARE(idsInOrder(*model_), (QList<quint64>{1, 2, 3}));

  model_->applyUpdate(rows({4}), {}, false);
  QCOMPARE(idsInOrder(*model_), (QList<quint64>{1, 2, 3, 4}));
  QCOMPARE(model_->rowOf(4), 3);
}

void TestTaskListModel::updateEmitsDataChangedPerContiguousRun() {
  model_->applyUpdate(rows({1, 2, 3, 4, 5, 6}), {}, true);
  QSignalSpy changed(model_, &QAbstractItemModel::dataChanged);
  QSignalSpy inserted(model_, &QAbstractItemModel::rowsInserted);

  // Resent as they are: nothing on screen differs, so no signal at all.
  model_->applyUpdate(rows({1, 2, 3}), {}, false);
  QCOMPARE(changed.count(), 0);

  QList<TaskRow> batch = rows({5, 1, 2, 3});  // rows 0-2 and 4, out of order
  batch[0].name = QStringLiteral("renamed");
  for (int i = 1; i < 4; ++i) {
    batch[i].downloadRate = 1000 + i;
  }
  model_->applyUpdate(batch, {}, false);

  QCOMPARE(inserted.count(), 0);
  QCOMPARE(changed.count(), 2);
  // Rows 0-2, only the columns a new download rate changes (rate and ETA).
  const auto topLeft0 = changed[0][0].value<QModelIndex>();
  const auto bottomRight0 = changed[0][1].value<QModelIndex>();
  QCOMPARE(topLeft0.row(), 0);
  QCOMPARE(topLeft0.column(), int{TaskListModel::DownloadRateColumn});
  QCOMPARE(bottomRight0.row(), 2);
  QCOMPARE(bottomRight0.column(), int{TaskListModel::EtaColumn});
  // Row 4, the name only.
  QCOMPARE(changed[1][0].value<QModelIndex>().row(), 4);
  QCOMPARE(changed[1][1].value<QModelIndex>().row(), 4);
  QCOMPARE(changed[1][0].value<QModelIndex>().column(), int{TaskListModel::NameColumn});
  QCOMPARE(changed[1][1].value<QModelIndex>().column(), int{TaskListModel::NameColumn});
  QCOMPARE(cell(*model_, 4, TaskListModel::NameColumn), QStringLiteral("renamed"));
}

void TestTaskListModel::removeDropsRowsAndKeepsIndex() {
  model_->applyUpdate(rows({1, 2, 3, 4, 5}), {}, true);
  QSignalSpy removed(model_, &QAbstractItemModel::rowsRemoved);
  model_->applyUpdate({}, {2, 3, 5}, false);
  QCOMPARE(idsInOrder(*model_), (QList<quint64>{1, 4}));
  // Two runs: rows 4 and 1-2, removed bottom-up.
  QCOMPARE(removed.count(), 2);
  QCOMPARE(removed[0][1].toInt(), 4);
  QCOMPARE(removed[1][1].toInt(), 1);
  QCOMPARE(removed[1][2].toInt(), 2);
  QCOMPARE(model_->rowOf(4), 1);
  QCOMPARE(model_->rowOf(2), -1);

  // A later update of a surviving task lands on its new row.
  QList<TaskRow> batch = rows({4});
  batch[0].name = QStringLiteral("four");
  model_->applyUpdate(batch, {}, false);
  QCOMPARE(cell(*model_, 1, TaskListModel::NameColumn), QStringLiteral("four"));
}

void TestTaskListModel::fullBatchDropsRowsItDoesNotMention() {
  model_->applyUpdate(rows({1, 2, 3}), {}, true);
  QList<TaskRow> batch = rows({3, 7});
  batch[0].name = QStringLiteral("three");
  model_->applyUpdate(batch, {}, true);
  QCOMPARE(idsInOrder(*model_), (QList<quint64>{3, 7}));
  QCOMPARE(cell(*model_, 0, TaskListModel::NameColumn), QStringLiteral("three"));

  model_->applyUpdate({}, {}, true);
  QCOMPARE(model_->rowCount(), 0);
}

void TestTaskListModel::unknownIdsAndDuplicatesAreHarmless() {
  model_->applyUpdate(rows({1}), {42}, false);
  QList<TaskRow> batch = rows({2, 2});
  batch[1].name = QStringLiteral("second copy");
  model_->applyUpdate(batch, {99}, false);
  QCOMPARE(idsInOrder(*model_), (QList<quint64>{1, 2}));
}

void TestTaskListModel::unknownFiguresShowNothing() {
  TaskRow task = row(1, QStringLiteral("linux.iso"));
  task.kind = TaskKind::Http;
  task.sizeKnown = false;
  task.addedAtUnix = 0;
  model_->applyUpdate({task}, {}, true);

  QCOMPARE(cell(*model_, 0, TaskListModel::NameColumn), QStringLiteral("linux.iso"));
  QCOMPARE(cell(*model_, 0, TaskListModel::StatusColumn), QStringLiteral("Downloading"));
  for (int column :
       {TaskListModel::SizeColumn, TaskListModel::ProgressColumn, TaskListModel::DownloadRateColumn,
        TaskListModel::UploadRateColumn, TaskListModel::EtaColumn, TaskListModel::PeersColumn,
        TaskListModel::SourcesColumn, TaskListModel::RatioColumn, TaskListModel::AddedColumn}) {
    QVERIFY2(!model_->index(0, column).data().isValid() || cell(*model_, 0, column).isEmpty(),
             qPrintable(QStringLiteral("column %1: %2").arg(column).arg(cell(*model_, 0, column))));
  }
  QVERIFY(!model_->index(0, 0).data(TaskListModel::ProgressRole).isValid());
}

void TestTaskListModel::knownFiguresAreFormatted() {
  QLocale::setDefault(QLocale::c());
  TaskRow task = row(1, QStringLiteral("debian.iso"));
  task.kind = TaskKind::Torrent;
  task.sizeKnown = true;
  task.totalBytes = 1024 * 1024;
  task.verifiedBytes = 512 * 1024;
  task.downloadRate = 1024;
  task.seeds = 3;
  task.peers = 12;
  task.traffic.bt = 256 * 1024;
  task.traffic.http = 256 * 1024;
  task.traffic.shared = 1024 * 1024;
  task.addedAtUnix = 1700000000;
  model_->applyUpdate({task}, {}, true);

  QCOMPARE(cell(*model_, 0, TaskListModel::SizeColumn), QStringLiteral("1.0 MiB"));
  QCOMPARE(cell(*model_, 0, TaskListModel::ProgressColumn), QStringLiteral("50.0%"));
  QCOMPARE(model_->index(0, 0).data(TaskListModel::ProgressRole).toDouble(), 0.5);
  QCOMPARE(cell(*model_, 0, TaskListModel::DownloadRateColumn), QStringLiteral("1.0 KiB/s"));
  QCOMPARE(cell(*model_, 0, TaskListModel::EtaColumn), QStringLiteral("8m 32s"));
  QCOMPARE(cell(*model_, 0, TaskListModel::PeersColumn), QStringLiteral("3 / 12"));
  QCOMPARE(cell(*model_, 0, TaskListModel::SourcesColumn), QStringLiteral("BT 50% · HTTP 50%"));
  QCOMPARE(cell(*model_, 0, TaskListModel::RatioColumn), QStringLiteral("2.00"));
  QVERIFY(!cell(*model_, 0, TaskListModel::AddedColumn).isEmpty());

  // Paused: no ETA, since nothing is flowing.
  task.status = TaskStatus::Paused;
  task.downloadRate = 0;
  model_->applyUpdate({task}, {}, false);
  QVERIFY(cell(*model_, 0, TaskListModel::EtaColumn).isEmpty());
  QCOMPARE(cell(*model_, 0, TaskListModel::StatusColumn), QStringLiteral("Paused"));
  QLocale::setDefault(QLocale::system());
}

void TestTaskListModel::proxySortsByValueNotText() {
  TaskRow small = row(1);
  small.sizeKnown = true;
  small.totalBytes = 900;  // "900 bytes" sorts after "2.0 KiB" as text
  TaskRow large = row(2);
  large.sizeKnown = true;
  large.totalBytes = 2048;
  TaskRow unknown = row(3);
  model_->applyUpdate({large, small, unknown}, {}, true);

  QSortFilterProxyModel proxy;
  proxy.setSourceModel(model_);
  proxy.setSortRole(TaskListModel::SortRole);
  proxy.sort(TaskListModel::SizeColumn, Qt::AscendingOrder);
  QCOMPARE(proxy.index(0, 0).data(TaskListModel::TaskIdRole).value<quint64>(), quint64{1});
  QCOMPARE(proxy.index(1, 0).data(TaskListModel::TaskIdRole).value<quint64>(), quint64{2});
  // An unknown size is not "0 bytes": it sorts after every known one.
  QCOMPARE(proxy.index(2, 0).data(TaskListModel::TaskIdRole).value<quint64>(), quint64{3});
}

QTEST_GUILESS_MAIN(TestTaskListModel)
#include "tst_task_list_model.moc"
