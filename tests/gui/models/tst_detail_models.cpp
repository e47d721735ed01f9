// The details tables' models (peers, trackers, files, sources): rows merge by
// key at each tick, so a view's selection and scroll position survive updates
// (checked through the same sort proxy the panel uses); only changed rows get
// dataChanged; a figure that is not known shows nothing. QAbstractItemModelTester
// watches every signal.
#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

#include "ui/models/FileListModel.h"
#include "ui/models/PeerListModel.h"
#include "ui/models/SourceListModel.h"
#include "ui/models/TrackerListModel.h"

using tributary::ui::FileInfo;
using tributary::ui::FileListModel;
using tributary::ui::PeerInfo;
using tributary::ui::PeerListModel;
using tributary::ui::PeerOrigin;
using tributary::ui::PeerTransport;
using tributary::ui::SourceInfo;
using tributary::ui::SourceKind;
using tributary::ui::SourceListModel;
using tributary::ui::SourceState;
using tributary::ui::TrackerInfo;
using tributary::ui::TrackerListModel;
using tributary::ui::TrackerStatus;

namespace {

PeerInfo peer(const QString& address, quint64 downloadRate = 0, const QString& flags = {}) {
  PeerInfo p;
  p.address = address;
  p.client = QStringLiteral("qBittorrent 4.6.3");
  p.downloadRate = downloadRate;
  p.flags = flags;
  p.progress = 0.5;
  return p;
}

QList<PeerInfo> peers(std::initializer_list<const char*> addresses) {
  QList<PeerInfo> out;
  for (const char* address : addresses) {
    out.append(peer(QString::fromLatin1(address)));
  }
  return out;
}

QStringList addressesInOrder(const QAbstractItemModel& model) {
  QStringList out;
  for (int r = 0; r < model.rowCount(); ++r) {
    out << model.index(r, PeerListModel::AddressColumn).data().toString();
  }
  return out;
}

QStringList selectedAddresses(const QItemSelectionModel& selection) {
  QStringList out;
  for (const QModelIndex& index : selection.selectedRows(PeerListModel::AddressColumn)) {
    out << index.data().toString();
  }
  out.sort();
  return out;
}

}  // namespace

class TestDetailModels : public QObject {
  Q_OBJECT

 private slots:
  void init();
  void cleanup();

  void peersShowEveryColumn();
  void unknownPeerFiguresShowNothing();
  void flagsTooltipExplainsEachLetter();
  void mergeUpdatesInPlaceAndSignalsOnlyChangedRuns();
  void mergeRemovesAndAppends();
  void sortedSelectionSurvivesUpdates();
  void anotherTaskResets();
  void repeatedKeysKeepTheFirst();
  void trackersShowStatusAndBlankCounts();
  void trackerMessageToolTipIsEscaped();
  void filesShowSizeAndProgress();
  void sourcesShowKindStateAndError();

 private:
  std::unique_ptr<PeerListModel> model_;
  std::unique_ptr<QAbstractItemModelTester> tester_;
};

void TestDetailModels::init() {
  QLocale::setDefault(QLocale::c());
  model_ = std::make_unique<PeerListModel>();
  tester_ = std::make_unique<QAbstractItemModelTester>(
      model_.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestDetailModels::cleanup() {
  tester_.reset();
  model_.reset();
  QLocale::setDefault(QLocale::system());
}

void TestDetailModels::peersShowEveryColumn() {
  PeerInfo p;
  p.address = QStringLiteral("10.0.0.2:51413");
  p.transport = PeerTransport::Utp;
  p.origin = PeerOrigin::Dht;
  p.flags = QStringLiteral("DUH");
  p.client = QStringLiteral("Transmission 3.00");
  p.peerIdPrefix = QStringLiteral("-TR3000-");
  p.progress = 0.25;
  p.downloadRate = 2048;
  p.uploadRate = 1024;
  p.downloaded = 3 * 1024 * 1024;
  p.uploaded = 512;
  p.relevance = 0.5;
  p.files = QStringLiteral("a/b.iso, a/c.txt");
  p.rttMs = 42;
  p.hashFailures = 1;
  p.requestsOut = 16;
  p.requestsIn = 2;
  p.connectedAtUnix = 1700000000;
  model_->setRows(7, {p});
  QCOMPARE(model_->rowCount(), 1);
  QCOMPARE(model_->columnCount(), int{PeerListModel::ColumnCount});
  auto cell = [&](int column) { return model_->index(0, column).data().toString(); };
  QCOMPARE(cell(PeerListModel::AddressColumn), QStringLiteral("10.0.0.2:51413"));
  QCOMPARE(cell(PeerListModel::ClientColumn), QStringLiteral("Transmission 3.00"));
  QCOMPARE(cell(PeerListModel::ConnectionColumn), QStringLiteral("μTP"));
  QCOMPARE(cell(PeerListModel::FlagsColumn), QStringLiteral("D U H"));
  QCOMPARE(cell(PeerListModel::ProgressColumn), QStringLiteral("25.0%"));
  QCOMPARE(cell(PeerListModel::DownloadRateColumn), QStringLiteral("2.0 KiB/s"));
  QCOMPARE(cell(PeerListModel::UploadRateColumn), QStringLiteral("1.0 KiB/s"));
  QCOMPARE(cell(PeerListModel::DownloadedColumn), QStringLiteral("3.0 MiB"));
  QCOMPARE(cell(PeerListModel::UploadedColumn), QStringLiteral("512 B"));
  QCOMPARE(cell(PeerListModel::RelevanceColumn), QStringLiteral("50.0%"));
  QCOMPARE(cell(PeerListModel::FilesColumn), QStringLiteral("a/b.iso, a/c.txt"));
  QCOMPARE(cell(PeerListModel::RttColumn), QStringLiteral("42 ms"));
  QCOMPARE(cell(PeerListModel::HashFailuresColumn), QStringLiteral("1"));
  QCOMPARE(cell(PeerListModel::RequestsOutColumn), QStringLiteral("16"));
  QCOMPARE(cell(PeerListModel::RequestsInColumn), QStringLiteral("2"));
  QCOMPARE(cell(PeerListModel::SourceColumn), QStringLiteral("DHT"));
  QVERIFY(!cell(PeerListModel::ConnectedColumn).isEmpty());
  QCOMPARE(model_->index(0, PeerListModel::ClientColumn).data(Qt::ToolTipRole).toString(),
           QStringLiteral("Peer ID: -TR3000-"));
  QCOMPARE(model_->index(0, PeerListModel::ProgressColumn).data(PeerListModel::ProgressRole),
           QVariant(0.25));
  for (int column = 0; column < PeerListModel::ColumnCount; ++column) {
    QVERIFY2(!model_->headerData(column, Qt::Horizontal).toString().isEmpty(),
             qPrintable(QString::number(column)));
  }
}

void TestDetailModels::unknownPeerFiguresShowNothing() {
  PeerInfo p = peer(QStringLiteral("10.0.0.3:6881"));
  p.rttMs = 0;  // not measured yet
  p.connectedAtUnix = 0;
  model_->setRows(1, {p});
  QVERIFY(!model_->index(0, PeerListModel::RttColumn).data().isValid());
  QVERIFY(!model_->index(0, PeerListModel::DownloadRateColumn).data().isValid());
  QVERIFY(model_->index(0, PeerListModel::ConnectedColumn).data().toString().isEmpty());
  QVERIFY(!model_->index(0, PeerListModel::RttColumn).data(PeerListModel::SortRole).isValid());
}

void TestDetailModels::flagsTooltipExplainsEachLetter() {
  model_->setRows(1, {peer(QStringLiteral("10.0.0.2:1"), 0, QStringLiteral("dUIZ"))});
  const QString tip = model_->index(0, PeerListModel::FlagsColumn).data(Qt::ToolTipRole).toString();
  const QStringList lines = tip.split(QLatin1Char('\n'));
  QCOMPARE(lines.size(), 4);
  QCOMPARE(lines[0], QStringLiteral("d: Interested (local) and choked (peer)"));
  QCOMPARE(lines[1], QStringLiteral("U: Interested (peer) and unchoked (local)"));
  QCOMPARE(lines[2], QStringLiteral("I: Incoming connection"));
  QCOMPARE(lines[3], QStringLiteral("Z: unknown flag"));
  // The header explains the whole legend.
  const QString legend =
      model_->headerData(PeerListModel::FlagsColumn, Qt::Horizontal, Qt::ToolTipRole).toString();
  for (QChar letter : QStringLiteral("DdUuK?OSIHXLEeP")) {
    QVERIFY2(legend.contains(QString(letter) + QStringLiteral(": ")), qPrintable(QString(letter)));
    QVERIFY(!PeerListModel::flagMeaning(letter).isEmpty());
  }
}

void TestDetailModels::mergeUpdatesInPlaceAndSignalsOnlyChangedRuns() {
  model_->setRows(1, peers({"a:1", "b:1", "c:1", "d:1", "e:1"}));
  QSignalSpy changed(model_.get(), &QAbstractItemModel::dataChanged);
  QSignalSpy inserted(model_.get(), &QAbstractItemModel::rowsInserted);
  QSignalSpy removed(model_.get(), &QAbstractItemModel::rowsRemoved);
  QSignalSpy reset(model_.get(), &QAbstractItemModel::modelReset);

  QList<PeerInfo> next = peers({"a:1", "b:1", "c:1", "d:1", "e:1"});
  next[1].downloadRate = 100;
  next[2].downloadRate = 200;
  next[4].uploaded = 7;
  model_->setRows(1, next);
  QCOMPARE(reset.count(), 0);
  QCOMPARE(inserted.count(), 0);
  QCOMPARE(removed.count(), 0);
  QCOMPARE(changed.count(), 2);  // rows 1-2 and row 4
  QCOMPARE(changed[0][0].toModelIndex().row(), 1);
  QCOMPARE(changed[0][1].toModelIndex().row(), 2);
  QCOMPARE(changed[0][1].toModelIndex().column(), PeerListModel::ColumnCount - 1);
  QCOMPARE(changed[1][0].toModelIndex().row(), 4);
  QCOMPARE(changed[1][1].toModelIndex().row(), 4);
  QCOMPARE(model_->index(2, PeerListModel::DownloadRateColumn).data().toString(),
           QStringLiteral("200 B/s"));

  changed.clear();
  model_->setRows(1, next);  // nothing new: no signal at all
  QCOMPARE(changed.count(), 0);
}

void TestDetailModels::mergeRemovesAndAppends() {
  model_->setRows(1, peers({"a:1", "b:1", "c:1", "d:1"}));
  QSignalSpy removed(model_.get(), &QAbstractItemModel::rowsRemoved);
  QSignalSpy inserted(model_.get(), &QAbstractItemModel::rowsInserted);
  model_->setRows(1, peers({"d:1", "x:1", "a:1", "y:1"}));
  QCOMPARE(addressesInOrder(*model_), (QStringList{QStringLiteral("a:1"), QStringLiteral("d:1"),
                                                   QStringLiteral("x:1"), QStringLiteral("y:1")}));
  QCOMPARE(removed.count(), 1);  // b and c are one run
  QCOMPARE(removed[0][1].toInt(), 1);
  QCOMPARE(removed[0][2].toInt(), 2);
  QCOMPARE(inserted.count(), 1);  // x and y in one block at the end
  QCOMPARE(inserted[0][1].toInt(), 2);
  QCOMPARE(inserted[0][2].toInt(), 3);

  model_->setRows(1, {});
  QCOMPARE(model_->rowCount(), 0);
}

void TestDetailModels::sortedSelectionSurvivesUpdates() {
  QSortFilterProxyModel proxy;
  proxy.setSourceModel(model_.get());
  proxy.setSortRole(PeerListModel::SortRole);
  proxy.setDynamicSortFilter(true);
  proxy.sort(PeerListModel::DownloadRateColumn, Qt::DescendingOrder);
  QItemSelectionModel selection(&proxy);

  QList<PeerInfo> tick;
  for (int i = 0; i < 40; ++i) {
    tick.append(peer(QStringLiteral("10.0.0.%1:6881").arg(i), quint64(1000 + i)));
  }
  model_->setRows(9, tick);
  // Select two peers by address, wherever the sort put them.
  QStringList chosen = {QStringLiteral("10.0.0.3:6881"), QStringLiteral("10.0.0.30:6881")};
  chosen.sort();  // as selectedAddresses() returns them
  for (int r = 0; r < proxy.rowCount(); ++r) {
    const QModelIndex index = proxy.index(r, PeerListModel::AddressColumn);
    if (chosen.contains(index.data().toString())) {
      selection.select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
  }
  QCOMPARE(selectedAddresses(selection), chosen);

  // Ten ticks that reorder every row, drop some peers and add others.
  for (int round = 1; round <= 10; ++round) {
    QList<PeerInfo> next;
    for (int i = 0; i < 40; ++i) {
      if (i % 10 == round % 10 && i != 3 && i != 30) {
        continue;  // one peer of each ten leaves this round
      }
      next.append(peer(QStringLiteral("10.0.0.%1:6881").arg(i),
                       quint64(((i * 7 + round * 13) % 40) * 100)));
    }
    next.append(peer(QStringLiteral("10.1.0.%1:6881").arg(round), 5));
    model_->setRows(9, next);
    QCOMPARE(selectedAddresses(selection), chosen);
    QCOMPARE(proxy.rowCount(), next.size());
    // Still sorted by speed after the merge.
    for (int r = 1; r < proxy.rowCount(); ++r) {
      QVERIFY(proxy.index(r - 1, PeerListModel::DownloadRateColumn)
                  .data(PeerListModel::SortRole)
                  .toULongLong() >= proxy.index(r, PeerListModel::DownloadRateColumn)
                                        .data(PeerListModel::SortRole)
                                        .toULongLong());
    }
  }
  // A selected peer that leaves is no longer selected; the other stays.
  QList<PeerInfo> last;
  last.append(peer(QStringLiteral("10.0.0.30:6881"), 1));
  model_->setRows(9, last);
  QCOMPARE(selectedAddresses(selection), QStringList{QStringLiteral("10.0.0.30:6881")});
}

void TestDetailModels::anotherTaskResets() {
  model_->setRows(1, peers({"a:1", "b:1"}));
  QSignalSpy reset(model_.get(), &QAbstractItemModel::modelReset);
  model_->setRows(2, peers({"a:1"}));
  QCOMPARE(reset.count(), 1);
  QCOMPARE(model_->owner(), quint64{2});
  QCOMPARE(model_->rowCount(), 1);
  model_->clear();
  QCOMPARE(reset.count(), 2);
  QCOMPARE(model_->rowCount(), 0);
}

void TestDetailModels::repeatedKeysKeepTheFirst() {
  QList<PeerInfo> twice = {peer(QStringLiteral("a:1"), 1), peer(QStringLiteral("a:1"), 2)};
  model_->setRows(1, twice);
  QCOMPARE(model_->rowCount(), 1);
  QCOMPARE(model_->rowAt(0).downloadRate, quint64{1});
  twice.prepend(peer(QStringLiteral("b:1"), 3));
  model_->setRows(1, twice);
  QCOMPARE(model_->rowCount(), 2);
  QCOMPARE(model_->rowAt(0).downloadRate, quint64{1});
}

void TestDetailModels::trackersShowStatusAndBlankCounts() {
  TrackerListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  TrackerInfo working;
  working.url = QStringLiteral("http://127.0.0.1:6969/announce");
  working.status = TrackerStatus::Working;
  working.peers = 12;
  working.seeds = 4;
  working.leechers = 8;
  working.nextAnnounceUnix = 1700001800;
  TrackerInfo fresh;
  fresh.url = QStringLiteral("udp://127.0.0.1:6969/announce");
  fresh.tier = 1;
  model.setRows(3, {working, fresh});
  QCOMPARE(model.rowCount(), 2);
  QCOMPARE(model.index(0, TrackerListModel::StatusColumn).data().toString(),
           QStringLiteral("Working"));
  QCOMPARE(model.index(0, TrackerListModel::PeersColumn).data().toString(), QStringLiteral("12"));
  QCOMPARE(model.index(0, TrackerListModel::SeedsColumn).data().toString(), QStringLiteral("4"));
  QCOMPARE(model.index(0, TrackerListModel::LeechersColumn).data().toString(), QStringLiteral("8"));
  QVERIFY(!model.index(0, TrackerListModel::NextAnnounceColumn).data().toString().isEmpty());
  QCOMPARE(model.index(1, TrackerListModel::StatusColumn).data().toString(),
           QStringLiteral("Not contacted yet"));
  QCOMPARE(model.index(1, TrackerListModel::TierColumn).data().toString(), QStringLiteral("1"));
  for (int column :
       {int{TrackerListModel::PeersColumn}, int{TrackerListModel::SeedsColumn},
        int{TrackerListModel::LeechersColumn}, int{TrackerListModel::NextAnnounceColumn}}) {
    QVERIFY2(model.index(1, column).data().toString().isEmpty(),
             qPrintable(QString::number(column)));
  }
}

void TestDetailModels::trackerMessageToolTipIsEscaped() {
  TrackerListModel model;
  TrackerInfo failed;
  failed.url = QStringLiteral("http://t/announce");
  failed.status = TrackerStatus::Failed;
  failed.message = QStringLiteral("<img src=x>refused");
  model.setRows(1, {failed});
  QCOMPARE(model.index(0, TrackerListModel::MessageColumn).data().toString(), failed.message);
  const QString tip =
      model.index(0, TrackerListModel::MessageColumn).data(Qt::ToolTipRole).toString();
  QVERIFY2(!tip.contains(QStringLiteral("<img")), qPrintable(tip));
  QVERIFY(tip.contains(QStringLiteral("&lt;img src=x&gt;refused")));
  QCOMPARE(model.index(0, TrackerListModel::StatusColumn).data().toString(),
           QStringLiteral("Not working"));
}

void TestDetailModels::filesShowSizeAndProgress() {
  FileListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  model.setRows(4, {FileInfo{QStringLiteral("dir/a.iso"), 4 * 1024 * 1024, 1024 * 1024, 1},
                    FileInfo{QStringLiteral("dir/empty"), 0, 0, 0}});
  QCOMPARE(model.index(0, FileListModel::PathColumn).data().toString(),
           QStringLiteral("dir/a.iso"));
  QCOMPARE(model.index(0, FileListModel::SizeColumn).data().toString(), QStringLiteral("4.0 MiB"));
  QCOMPARE(model.index(0, FileListModel::ProgressColumn).data().toString(),
           QStringLiteral("25.0%"));
  QCOMPARE(model.index(0, FileListModel::ProgressColumn).data(FileListModel::ProgressRole),
           QVariant(0.25));
  QCOMPARE(model.index(1, FileListModel::ProgressColumn).data().toString(),
           QStringLiteral("100.0%"));
  QCOMPARE(model.index(1, FileListModel::PriorityColumn).data().toString(), QStringLiteral("Skip"));
  QCOMPARE(model.index(0, FileListModel::PriorityColumn).data().toString(),
           QStringLiteral("Normal"));
}

void TestDetailModels::sourcesShowKindStateAndError() {
  SourceListModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
  SourceInfo origin;
  origin.url = QStringLiteral("https://example.org/a.iso");
  origin.kind = SourceKind::Http;
  origin.state = SourceState::Active;
  origin.connections = 6;
  origin.downloadRate = 4096;
  origin.downloaded = 1024 * 1024;
  SourceInfo mirror;
  mirror.url = QStringLiteral("https://cdn.example.net/a.iso");
  mirror.kind = SourceKind::Cdn;
  mirror.state = SourceState::Dropped;
  mirror.errorText = QStringLiteral("Not found on the server (HTTP 404)");
  model.setRows(5, {origin, mirror});
  QCOMPARE(model.index(0, SourceListModel::KindColumn).data().toString(), QStringLiteral("HTTP"));
  QCOMPARE(model.index(0, SourceListModel::StateColumn).data().toString(),
           QStringLiteral("Active"));
  QCOMPARE(model.index(0, SourceListModel::ConnectionsColumn).data().toString(),
           QStringLiteral("6"));
  QCOMPARE(model.index(0, SourceListModel::SpeedColumn).data().toString(),
           QStringLiteral("4.0 KiB/s"));
  QCOMPARE(model.index(0, SourceListModel::DownloadedColumn).data().toString(),
           QStringLiteral("1.0 MiB"));
  QVERIFY(model.index(0, SourceListModel::ErrorColumn).data().toString().isEmpty());
  QCOMPARE(model.index(1, SourceListModel::KindColumn).data().toString(), QStringLiteral("CDN"));
  QCOMPARE(model.index(1, SourceListModel::StateColumn).data().toString(),
           QStringLiteral("Dropped"));
  QCOMPARE(model.index(1, SourceListModel::ErrorColumn).data().toString(), mirror.errorText);
  QVERIFY(!model.index(1, SourceListModel::SpeedColumn).data().isValid());
}

QTEST_GUILESS_MAIN(TestDetailModels)
#include "tst_detail_models.moc"
