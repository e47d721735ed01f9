// The Traffic tab and the piece bar in the main window, over a FakeEngine:
// history is gathered for every task while another one (or none) is
// selected, the figures and the chart follow the selection, the chart moves
// on while nothing arrives, removed tasks leave no history, and the piece
// bar shows for torrents only.
#include <QTest>

#include "gui/support/TorrentScript.h"
#include "gui/support/WindowHarness.h"
#include "ui/models/Format.h"
#include "ui/models/SourceListModel.h"
#include "ui/widgets/DetailsTrafficPage.h"
#include "ui/widgets/PieceBar.h"
#include "ui/widgets/TaskDetailsPanel.h"
#include "ui/widgets/TrafficChart.h"

using tributary::TaskKind;
using tributary::TaskSnapshot;
using tributary::TaskState;
using tributary::Update;
using tributary::test::makeSnapshot;
using tributary::test::makeTorrentSnapshot;
using tributary::test::WindowHarness;
using tributary::ui::DetailsTrafficPage;
using tributary::ui::Format;
using tributary::ui::TaskDetailsPanel;
using tributary::ui::TrafficChart;

namespace {

constexpr quint64 kTorrent = 7;
constexpr quint64 kHttp = 9;
constexpr quint64 kMagnet = 12;
constexpr int kTicks = 10;

TaskSnapshot torrentAt(int tick) {
  TaskSnapshot task = makeTorrentSnapshot(kTorrent, "linux", {});
  task.traffic.bt += 1024u * tick;  // 2 KiB/s at 2 Hz
  task.traffic.shared = 512u * tick;
  return task;
}

TaskSnapshot httpAt(int tick) {
  TaskSnapshot task = makeSnapshot(kHttp, "a.iso", TaskState::Downloading, 1 << 20, 0);
  task.traffic.http = 2048u * tick;
  task.traffic.cdn = 1024u * tick;
  return task;
}

TaskSnapshot magnet() {
  TaskSnapshot task = makeSnapshot(kMagnet, "", TaskState::FetchingMetadata);
  task.kind = TaskKind::Magnet;
  return task;
}

}  // namespace

class TestTrafficTab : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();

  void historyIsGatheredForEveryTask();
  void figuresAndChartFollowTheSelection();
  void chartMovesOnWhileNothingArrives();
  void removedTasksLeaveNoHistory();
  void pieceBarShowsForTorrentsOnly();

 private:
  // Ticks 0..kTicks of both tasks, half a second apart on the panel's clock.
  void deliverTicks();

  std::unique_ptr<WindowHarness> h_;
  TaskDetailsPanel* panel_ = nullptr;
  qint64 nowMs_ = 0;
};

void TestTrafficTab::initTestCase() {
  tributary::test::useTestSettings();
  QLocale::setDefault(QLocale::c());
}

void TestTrafficTab::init() {
  h_ = std::make_unique<WindowHarness>();
  panel_ = h_->window->detailsPanel();
  nowMs_ = 100'000;
  panel_->setClock([this] { return nowMs_; });
}

void TestTrafficTab::cleanup() {
  h_.reset();
}

void TestTrafficTab::deliverTicks() {
  Update first;
  first.full = true;
  first.tasks = {torrentAt(0), httpAt(0), magnet()};
  QVERIFY(h_->deliver(first));
  for (int tick = 1; tick <= kTicks; ++tick) {
    nowMs_ += 500;
    Update next;
    next.tasks = {torrentAt(tick), httpAt(tick)};
    QVERIFY(h_->deliver(next));
  }
}

void TestTrafficTab::historyIsGatheredForEveryTask() {
  deliverTicks();
  QCOMPARE(panel_->shownTask(), quint64{0});
  QCOMPARE(panel_->trafficHistory().sampleCount(kTorrent), kTicks);
  QCOMPARE(panel_->trafficHistory().sampleCount(kHttp), kTicks);
  QCOMPARE(panel_->trafficHistory().sampleCount(kMagnet), 0);  // nothing moved
  DetailsTrafficPage* page = panel_->trafficPage();
  QVERIFY(!page->isShowingTraffic());
  QVERIFY(page->emptyText().contains(QStringLiteral("Select a download")));
}

void TestTrafficTab::figuresAndChartFollowTheSelection() {
  deliverTicks();
  panel_->setCurrentIndex(TaskDetailsPanel::TrafficTab);
  DetailsTrafficPage* page = panel_->trafficPage();

  QVERIFY(h_->selectTask(kHttp));
  QVERIFY(page->isShowingTraffic());
  QCOMPARE(page->rateText(TrafficChart::Http), Format::rate(4096));
  QCOMPARE(page->rateText(TrafficChart::Cdn), Format::rate(2048));
  QCOMPARE(page->rateText(TrafficChart::Bt), Format::rate(0));
  QCOMPARE(page->totalText(TrafficChart::Http), Format::bytes(2048 * kTicks));
  QCOMPARE(page->downloadedText(), Format::bytes(3072 * kTicks));
  QCOMPARE(page->chart()->axisTop(), 6144.0);  // 6 KiB/s of HTTP and CDN stacked

  // The torrent's history was gathered while the HTTP task was selected.
  QVERIFY(h_->selectTask(kTorrent));
  QCOMPARE(page->rateText(TrafficChart::Bt), Format::rate(2048));
  // The Sources tab's swarm row has the same live BT speed.
  QCOMPARE(panel_->sourceModel()->rowAt(0).kind, tributary::ui::SourceKind::Bt);
  QCOMPARE(panel_->sourceModel()->rowAt(0).downloadRate, quint64{2048});
  QCOMPARE(page->rateText(TrafficChart::Shared), Format::rate(1024));
  QCOMPARE(page->rateText(TrafficChart::Http), Format::rate(0));
  QCOMPARE(page->totalText(TrafficChart::Bt), Format::bytes((24u << 20) + 1024 * kTicks));
  QCOMPARE(page->chart()->axisTop(), 3072.0);

  // The next tick reaches the page of the task on screen.
  nowMs_ += 500;
  Update faster;
  TaskSnapshot torrent = torrentAt(kTicks);
  torrent.traffic.bt += 4096;
  faster.tasks = {torrent};
  QVERIFY(h_->deliver(faster));
  QCOMPARE(page->rateText(TrafficChart::Bt), Format::rate(8192));
  QCOMPARE(page->rateText(TrafficChart::Shared), Format::rate(0));
}

void TestTrafficTab::chartMovesOnWhileNothingArrives() {
  deliverTicks();
  panel_->setCurrentIndex(TaskDetailsPanel::TrafficTab);
  QVERIFY(h_->selectTask(kTorrent));
  DetailsTrafficPage* page = panel_->trafficPage();
  QCOMPARE(page->chart()->axisTop(), 3072.0);
  // Six minutes pass without a single update: the panel's own refresh
  // (once a second) scrolls the history out and the rates fall to zero.
  nowMs_ += 6 * 60 * 1000;
  QTRY_COMPARE_WITH_TIMEOUT(page->rateText(TrafficChart::Bt), Format::rate(0), 5000);
  QCOMPARE(page->chart()->axisTop(), 1024.0);
  QCOMPARE(page->totalText(TrafficChart::Bt), Format::bytes((24u << 20) + 1024 * kTicks));
}

void TestTrafficTab::removedTasksLeaveNoHistory() {
  deliverTicks();
  Update removal;
  removal.removed = {kHttp};
  QVERIFY(h_->deliver(removal));
  QVERIFY(!panel_->trafficHistory().contains(kHttp));
  QVERIFY(panel_->trafficHistory().contains(kTorrent));
  // A full update that no longer lists a task is a removal too.
  Update full;
  full.full = true;
  full.tasks = {magnet()};
  QVERIFY(h_->deliver(full));
  QVERIFY(!panel_->trafficHistory().contains(kTorrent));
  QCOMPARE(panel_->trafficHistory().taskCount(), 1);
}

void TestTrafficTab::pieceBarShowsForTorrentsOnly() {
  deliverTicks();
  QVERIFY(!panel_->pieceBar()->isVisibleTo(panel_));
  QVERIFY(h_->selectTask(kTorrent));
  QVERIFY(panel_->pieceBar()->isVisibleTo(panel_));
  QCOMPARE(panel_->pieceBar()->pieceMap(), QList<quint8>(256, 96));
  QVERIFY(panel_->pieceBar()->toolTip().contains(QStringLiteral("96 of 256")));
  QVERIFY(h_->selectTask(kHttp));
  QVERIFY(!panel_->pieceBar()->isVisibleTo(panel_));
  QVERIFY(h_->selectTask(kMagnet));  // no metadata, so no pieces yet
  QVERIFY(!panel_->pieceBar()->isVisibleTo(panel_));
  QVERIFY(h_->selectTask(kTorrent));
  h_->window->taskView()->clearSelection();
  QVERIFY(!panel_->pieceBar()->isVisibleTo(panel_));
}

QTEST_MAIN(TestTrafficTab)
#include "tst_traffic_tab.moc"
