// The details panel under the task table, driven through the whole window
// over a FakeEngine scripted with torrent snapshots: it follows the selected
// task, fills each tab from that task's snapshot, shows a sentence (never
// made-up figures) where a tab has no data for this kind of task, and
// updates the peer list live without losing the selected peers or the
// scroll position.
#include <QLabel>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>

#include "gui/support/TorrentScript.h"
#include "gui/support/WindowHarness.h"
#include "ui/models/FileListModel.h"
#include "ui/models/PeerListModel.h"
#include "ui/models/SourceListModel.h"
#include "ui/models/SwarmSource.h"
#include "ui/models/TrackerListModel.h"
#include "ui/widgets/DetailsGeneralPage.h"
#include "ui/widgets/DetailsTablePage.h"
#include "ui/widgets/TaskDetailsPanel.h"

using tributary::PeerSnapshot;
using tributary::SourceSnapshot;
using tributary::TaskKind;
using tributary::TaskSnapshot;
using tributary::TaskState;
using tributary::Update;
using tributary::test::makePeer;
using tributary::test::makeSnapshot;
using tributary::test::makeTorrentSnapshot;
using tributary::test::WindowHarness;
using tributary::ui::DetailsTablePage;
using tributary::ui::PeerListModel;
using tributary::ui::TaskDetailsPanel;

namespace {

constexpr quint64 kTorrent = 7;
constexpr quint64 kHttp = 9;
constexpr quint64 kMagnet = 12;

std::vector<PeerSnapshot> manyPeers(int count, int tick) {
  std::vector<PeerSnapshot> peers;
  for (int i = 0; i < count; ++i) {
    char address[32];
    std::snprintf(address, sizeof address, "10.0.%d.%d:6881", i / 100, i % 100);
    peers.push_back(makePeer(address, "qBittorrent 4.6.3", 0.01 * (i % 100),
                             std::uint64_t(1000 * (i + 1) + tick)));
  }
  return peers;
}

Update threeKinds() {
  Update update;
  update.full = true;
  update.tasks.push_back(
      makeTorrentSnapshot(kTorrent, "linux",
                          {makePeer("10.0.0.1:6881", "qBittorrent 4.6.3", 0.5, 1024, "DUI"),
                           makePeer("10.0.0.2:51413", "Transmission 3.00", 1.0, 4096, "dX"),
                           makePeer("[::1]:6881", "libtorrent 2.0.8", 0.25, 0, "K")}));
  TaskSnapshot http = makeSnapshot(kHttp, "a.iso", TaskState::Downloading, 1000, 250, 5);
  http.saveDir = "/srv/downloads";
  http.source = "https://example.org/a.iso";
  SourceSnapshot origin;
  origin.url = http.source;
  origin.state = SourceSnapshot::State::Active;
  origin.connections = 8;
  SourceSnapshot mirror;
  mirror.url = "https://cdn.example.net/a.iso";
  mirror.kind = tributary::SourceKind::Cdn;
  http.sources = {origin, mirror};
  update.tasks.push_back(http);
  TaskSnapshot magnet = makeSnapshot(kMagnet, "", TaskState::FetchingMetadata);
  magnet.kind = TaskKind::Magnet;
  magnet.source = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567";
  update.tasks.push_back(magnet);
  return update;
}

QStringList selectedPeers(const QTableView* view) {
  QStringList out;
  for (const QModelIndex& index :
       view->selectionModel()->selectedRows(PeerListModel::AddressColumn)) {
    out << index.data().toString();
  }
  out.sort();
  return out;
}

}  // namespace

class TestDetailsPanel : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();

  void nothingSelectedSaysSo();
  void torrentFillsEveryTab();
  void generalShowsUntrustedTextAsPlainText();
  void tabsFollowTheSelection();
  void emptyStatesExplainThemselves();
  void peersUpdateLiveKeepingSelectionAndScroll();
  void removedTaskClearsThePanel();
};

void TestDetailsPanel::initTestCase() {
  tributary::test::useTestSettings();
  QLocale::setDefault(QLocale::c());
}

void TestDetailsPanel::nothingSelectedSaysSo() {
  WindowHarness h;
  QVERIFY(h.deliver(threeKinds()));
  TaskDetailsPanel* panel = h.window->detailsPanel();
  QVERIFY(panel);
  QCOMPARE(panel->count(), 6);  // General, Peers, Trackers, Files, Sources, Traffic
  QCOMPARE(panel->shownTask(), quint64{0});
  for (auto tab : {TaskDetailsPanel::PeersTab, TaskDetailsPanel::TrackersTab,
                   TaskDetailsPanel::FilesTab, TaskDetailsPanel::SourcesTab}) {
    QVERIFY(!panel->page(tab)->isShowingTable());
    QVERIFY(panel->page(tab)->emptyText().contains(QStringLiteral("Select a download")));
  }
  QVERIFY(panel->generalPage()->fieldText(QStringLiteral("generalSavePath")).isEmpty());
  QCOMPARE(h.bridge->watchedDetails(), quint64{0});
}

void TestDetailsPanel::torrentFillsEveryTab() {
  WindowHarness h;
  QVERIFY(h.deliver(threeKinds()));
  QVERIFY(h.selectTask(kTorrent));
  TaskDetailsPanel* panel = h.window->detailsPanel();
  QCOMPARE(panel->shownTask(), kTorrent);
  QCOMPARE(h.bridge->watchedDetails(), kTorrent);

  auto* general = panel->generalPage();
  QCOMPARE(general->fieldText(QStringLiteral("generalSavePath")),
           QStringLiteral("/home/user/Downloads"));
  QCOMPARE(general->fieldText(QStringLiteral("generalSize")), QStringLiteral("64.0 MiB"));
  QCOMPARE(general->fieldText(QStringLiteral("generalInfoHash")),
           QStringLiteral("0123456789abcdef0123456789abcdef01234567"));
  QCOMPARE(general->fieldText(QStringLiteral("generalPieces")),
           QStringLiteral("96 of 256, 256.0 KiB each"));
  QCOMPARE(general->fieldText(QStringLiteral("generalCreatedBy")), QStringLiteral("mktorrent 1.1"));
  QCOMPARE(general->fieldText(QStringLiteral("generalWasted")), QStringLiteral("16.0 KiB"));
  QVERIFY(general->fieldText(QStringLiteral("generalError")).isEmpty());  // hidden: no error

  DetailsTablePage* peers = panel->page(TaskDetailsPanel::PeersTab);
  QVERIFY(peers->isShowingTable());
  QCOMPARE(peers->view()->model()->rowCount(), 3);
  QCOMPARE(panel->peerModel()->rowAt(0).client, QStringLiteral("qBittorrent 4.6.3"));
  QCOMPARE(panel->peerModel()->index(0, PeerListModel::FlagsColumn).data().toString(),
           QStringLiteral("D U I"));
  QVERIFY(panel->peerModel()
              ->index(0, PeerListModel::FlagsColumn)
              .data(Qt::ToolTipRole)
              .toString()
              .contains(QStringLiteral("Incoming connection")));

  DetailsTablePage* trackers = panel->page(TaskDetailsPanel::TrackersTab);
  QVERIFY(trackers->isShowingTable());
  QCOMPARE(trackers->view()->model()->rowCount(), 2);
  DetailsTablePage* files = panel->page(TaskDetailsPanel::FilesTab);
  QVERIFY(files->isShowingTable());
  QCOMPARE(files->view()->model()->rowCount(), 2);
  QCOMPARE(panel->fileModel()->rowAt(0).path, QStringLiteral("linux/disc.iso"));
  // No web seeds: the swarm is its one source, with its BT bytes and peers.
  DetailsTablePage* sources = panel->page(TaskDetailsPanel::SourcesTab);
  QVERIFY(sources->isShowingTable());
  QCOMPARE(panel->sourceModel()->rowCount(), 1);
  const tributary::ui::SourceInfo swarm = panel->sourceModel()->rowAt(0);
  QCOMPARE(swarm.kind, tributary::ui::SourceKind::Bt);
  QCOMPARE(swarm.url, tributary::ui::SwarmSource::name());
  QCOMPARE(swarm.downloaded, quint64{24} << 20);
  QCOMPARE(swarm.connections, quint32{3});
  QCOMPARE(swarm.state, tributary::ui::SourceState::Active);
}

void TestDetailsPanel::generalShowsUntrustedTextAsPlainText() {
  WindowHarness h;
  QVERIFY(h.deliver(threeKinds()));
  QVERIFY(h.selectTask(kTorrent));
  auto* comment =
      h.window->detailsPanel()->generalPage()->findChild<QLabel*>(QStringLiteral("generalComment"));
  QVERIFY(comment);
  QCOMPARE(comment->text(), QStringLiteral("<b>not bold</b>"));
  QCOMPARE(comment->textFormat(), Qt::PlainText);
}

void TestDetailsPanel::tabsFollowTheSelection() {
  WindowHarness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  QVERIFY(h.deliver(threeKinds()));
  TaskDetailsPanel* panel = h.window->detailsPanel();
  panel->setCurrentIndex(TaskDetailsPanel::PeersTab);

  QVERIFY(h.selectTask(kTorrent));
  QCOMPARE(panel->shownTask(), kTorrent);
  QVERIFY(panel->page(TaskDetailsPanel::PeersTab)->isShowingTable());
  QCOMPARE(panel->peerModel()->rowCount(), 3);

  // An HTTP task: no peers and no trackers, in words; its sources and its one file.
  QVERIFY(h.selectTask(kHttp));
  QCOMPARE(panel->shownTask(), kHttp);
  QCOMPARE(h.bridge->watchedDetails(), kHttp);
  QCOMPARE(panel->currentIndex(), int{TaskDetailsPanel::PeersTab});  // the user's tab stays
  QVERIFY(!panel->page(TaskDetailsPanel::PeersTab)->isShowingTable());
  QVERIFY(panel->page(TaskDetailsPanel::PeersTab)->emptyText().contains(QStringLiteral("HTTP")));
  QCOMPARE(panel->peerModel()->rowCount(), 0);
  QVERIFY(!panel->page(TaskDetailsPanel::TrackersTab)->isShowingTable());
  QVERIFY(panel->page(TaskDetailsPanel::SourcesTab)->isShowingTable());
  QCOMPARE(panel->sourceModel()->rowCount(), 2);
  QCOMPARE(panel->sourceModel()->rowAt(1).kind, tributary::ui::SourceKind::Cdn);
  QVERIFY(panel->page(TaskDetailsPanel::FilesTab)->isShowingTable());
  QCOMPARE(panel->fileModel()->rowCount(), 1);
  QCOMPARE(panel->fileModel()->rowAt(0).path, QStringLiteral("a.iso"));
  QCOMPARE(panel->fileModel()->rowAt(0).doneBytes, quint64{250});
  auto* general = panel->generalPage();
  QCOMPARE(general->fieldText(QStringLiteral("generalSavePath")), QStringLiteral("/srv/downloads"));
  QVERIFY(general->fieldText(QStringLiteral("generalInfoHash")).isEmpty());  // no such row for HTTP
  QVERIFY(general->fieldText(QStringLiteral("generalPieces")).isEmpty());

  // Back to the torrent: its peers again.
  QVERIFY(h.selectTask(kTorrent));
  QVERIFY(panel->page(TaskDetailsPanel::PeersTab)->isShowingTable());
  QCOMPARE(panel->peerModel()->rowCount(), 3);

  h.window->taskView()->clearSelection();
  QCOMPARE(panel->shownTask(), quint64{0});
  QVERIFY(panel->page(TaskDetailsPanel::PeersTab)
              ->emptyText()
              .contains(QStringLiteral("Select a download")));
}

void TestDetailsPanel::emptyStatesExplainThemselves() {
  WindowHarness h;
  Update update = threeKinds();
  update.tasks.push_back(makeTorrentSnapshot(20, "idle", {}, TaskState::Paused));
  update.tasks.back().torrent->trackers.clear();
  QVERIFY(h.deliver(update));
  TaskDetailsPanel* panel = h.window->detailsPanel();

  QVERIFY(h.selectTask(kMagnet));
  for (auto tab :
       {TaskDetailsPanel::PeersTab, TaskDetailsPanel::TrackersTab, TaskDetailsPanel::FilesTab}) {
    QVERIFY(panel->page(tab)->emptyText().contains(QStringLiteral("metadata")));
  }
  QVERIFY(panel->generalPage()->fieldText(QStringLiteral("generalInfoHash")).isEmpty());

  QVERIFY(h.selectTask(20));
  QVERIFY(panel->page(TaskDetailsPanel::PeersTab)->emptyText().contains(QStringLiteral("paused")));
  QVERIFY(panel->page(TaskDetailsPanel::TrackersTab)
              ->emptyText()
              .contains(QStringLiteral("no trackers")));
}

void TestDetailsPanel::peersUpdateLiveKeepingSelectionAndScroll() {
  WindowHarness h;
  h.window->resize(1200, 800);
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  Update first;
  first.full = true;
  first.tasks.push_back(makeTorrentSnapshot(kTorrent, "linux", manyPeers(120, 0)));
  QVERIFY(h.deliver(first));
  QVERIFY(h.selectTask(kTorrent));
  TaskDetailsPanel* panel = h.window->detailsPanel();
  panel->setCurrentIndex(TaskDetailsPanel::PeersTab);
  QTableView* view = panel->page(TaskDetailsPanel::PeersTab)->view();
  QTRY_VERIFY_WITH_TIMEOUT(view->isVisible(), 5000);
  view->sortByColumn(PeerListModel::AddressColumn, Qt::AscendingOrder);
  QCOMPARE(view->model()->rowCount(), 120);

  // Select two peers in the middle and scroll so they are on screen.
  const QStringList chosen = {QStringLiteral("10.0.0.50:6881"), QStringLiteral("10.0.0.51:6881")};
  for (int r = 0; r < view->model()->rowCount(); ++r) {
    const QModelIndex index = view->model()->index(r, PeerListModel::AddressColumn);
    if (chosen.contains(index.data().toString())) {
      view->selectionModel()->select(index,
                                     QItemSelectionModel::Select | QItemSelectionModel::Rows);
      view->scrollTo(index, QAbstractItemView::PositionAtCenter);
    }
  }
  QCOMPARE(selectedPeers(view), chosen);
  QScrollBar* scroll = view->verticalScrollBar();
  const int position = scroll->value();
  QVERIFY2(position > 0, "the list must be long enough to scroll");

  for (int tick = 1; tick <= 5; ++tick) {
    Update next;
    std::vector<PeerSnapshot> peers = manyPeers(120, tick);
    peers.pop_back();  // a peer sorted below the selected ones leaves
    peers.push_back(makePeer("10.9.9." + std::to_string(tick) + ":6881", "new", 0, 1));
    next.tasks.push_back(makeTorrentSnapshot(kTorrent, "linux", peers));
    QVERIFY(h.deliver(next));
    QCOMPARE(selectedPeers(view), chosen);
    QCOMPARE(scroll->value(), position);
    QCOMPARE(view->model()->rowCount(), 120);
    // The figures are this tick's.
    const QModelIndex first = view->model()->index(0, PeerListModel::DownloadRateColumn);
    QCOMPARE(first.data(PeerListModel::SortRole).toULongLong(), quint64(1000 + tick));
  }
}

void TestDetailsPanel::removedTaskClearsThePanel() {
  WindowHarness h;
  QVERIFY(h.deliver(threeKinds()));
  QVERIFY(h.selectTask(kTorrent));
  TaskDetailsPanel* panel = h.window->detailsPanel();
  QCOMPARE(panel->shownTask(), kTorrent);
  Update removal;
  removal.removed.push_back(kTorrent);
  QVERIFY(h.deliver(removal));
  QCOMPARE(panel->shownTask(), quint64{0});
  QCOMPARE(panel->peerModel()->rowCount(), 0);
  QVERIFY(panel->page(TaskDetailsPanel::PeersTab)
              ->emptyText()
              .contains(QStringLiteral("Select a download")));
}

QTEST_MAIN(TestDetailsPanel)
#include "tst_details_panel.moc"
