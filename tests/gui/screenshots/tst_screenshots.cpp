// Screenshots of the main window over scripted snapshots (a torrent
// downloading from a dozen peers, an HTTP download with a mirror, a seeding
// torrent, a magnet, a failed task), in English and in Chinese, and the
// Traffic tab over five minutes of scripted traffic. As a test it checks the
// window renders at its full size with the Peers tab filled; with
// TRIBUTARY_SCREENSHOT_DIR set it also writes the PNGs there, which is how
// docs/screenshots/ is kept current:
//   TRIBUTARY_SCREENSHOT_DIR=$PWD/docs/screenshots QT_QPA_PLATFORM=offscreen TZ=UTC
//   <build>/tests/gui/screenshots/tst_screenshots
#include <QApplication>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <cmath>
#include <ctime>

#include "gui/support/TorrentScript.h"
#include "gui/support/WindowHarness.h"
#include "ui/models/PeerListModel.h"
#include "ui/widgets/DailyTrafficChart.h"
#include "ui/widgets/DetailsTablePage.h"
#include "ui/widgets/DetailsTrafficPage.h"
#include "ui/widgets/TaskDetailsPanel.h"
#include "ui/widgets/TrafficHistoryDialog.h"

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
using tributary::ui::TaskDetailsPanel;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr quint64 kDebian = 1;

Update scriptedSession() {
  std::vector<PeerSnapshot> peers = {
      makePeer("203.0.113.7:51413", "Transmission 3.00", 1.0, 2'400'000, "DI"),
      makePeer("198.51.100.23:6881", "qBittorrent 4.6.3", 1.0, 1'100'000, "DUX"),
      makePeer("[2001:db8::42]:6881", "libtorrent 2.0.8", 0.74, 640'000, "DUH"),
      makePeer("192.0.2.150:49152", "Deluge 2.1.1", 0.52, 310'000, "dU"),
      makePeer("203.0.113.90:6889", "μTorrent 3.6", 1.0, 520'000, "DP"),
      makePeer("198.51.100.4:28000", "aria2 1.36.0", 0.31, 0, "Ku"),
      makePeer("192.0.2.77:6881", "Tributary 0.1.0", 0.88, 205'000, "DUI"),
      makePeer("203.0.113.12:55555", "BiglyBT 3.5", 1.0, 96'000, "dO"),
  };
  peers[1].files = "debian-12.4.0-amd64-DVD-1.iso";
  peers[3].hashFailures = 1;
  peers[5].rttMs = 0;
  TaskSnapshot debian =
      makeTorrentSnapshot(kDebian, "debian-12.4.0-amd64-DVD-1.iso", std::move(peers));
  debian.totalBytes = 3900 * kMiB;
  debian.verifiedBytes = 1460 * kMiB;
  debian.traffic = {1300 * kMiB, 0, 160 * kMiB, 120 * kMiB};
  debian.torrent->comment = "Debian CD from cdimage.debian.org";
  debian.torrent->createdBy = "mktorrent 1.1";
  debian.torrent->pieceLength = 256 * 1024;
  debian.torrent->pieceCount = 15600;
  debian.torrent->piecesHave = 5840;
  debian.torrent->files = {{"debian-12.4.0-amd64-DVD-1.iso", 3900 * kMiB, 1460 * kMiB, 1, 0}};
  // Rarest first: a solid start, then pieces scattered over the rest.
  std::uint32_t seed = 12345;
  for (std::size_t b = 0; b < debian.torrent->pieceMap.size(); ++b) {
    seed = seed * 1103515245u + 12345u;
    const std::uint32_t roll = (seed >> 16) % 100;
    const std::uint32_t share = b < 48 || roll < 20 ? 255 : roll < 45 ? roll * 4 : 0;
    debian.torrent->pieceMap[b] = static_cast<std::uint8_t>(share);
  }

  TaskSnapshot ubuntu = makeSnapshot(2, "ubuntu-24.04-desktop-amd64.iso", TaskState::Paused,
                                     5700 * kMiB, 5100 * kMiB);
  ubuntu.source = "https://releases.ubuntu.com/24.04/ubuntu-24.04-desktop-amd64.iso";
  ubuntu.traffic = {0, 4300 * kMiB, 800 * kMiB, 0};
  TaskSnapshot arch = makeSnapshot(3, "archlinux-2024.01.01-x86_64.iso", TaskState::Seeding,
                                   900 * kMiB, 900 * kMiB);
  arch.kind = TaskKind::Torrent;
  arch.seeds = 3;
  arch.peers = 8;
  arch.uploadRate = 420'000;
  arch.traffic = {700 * kMiB, 0, 200 * kMiB, 1300 * kMiB};
  TaskSnapshot magnet = makeSnapshot(4, "", TaskState::FetchingMetadata);
  magnet.kind = TaskKind::Magnet;
  magnet.source = "magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056";
  TaskSnapshot failed = makeSnapshot(5, "big-dataset.tar.zst", TaskState::Failed);
  failed.error = tributary::ErrorCode::ConnectionRefused;
  failed.errorDetail = "127.0.0.1:8080";

  // Queue order, as the engine numbers unfinished tasks (the seed has none).
  debian.queuePosition = 1;
  ubuntu.queuePosition = 2;
  magnet.queuePosition = 3;
  failed.queuePosition = 4;

  Update update;
  update.full = true;
  update.tasks = {debian, ubuntu, arch, magnet, failed};
  update.stats.downloadRate = debian.downloadRate;
  update.stats.uploadRate = debian.uploadRate + arch.uploadRate;
  return update;
}

// Five minutes of the torrent's traffic at the engine's 2 Hz, ending at
// `endMs` with the counters of its snapshot: peers swell and ebb, a web seed
// joins after a minute and drops out for a while, uploads grow slowly.
void feedTrafficHistory(TaskDetailsPanel* panel, const Update& session, qint64 endMs) {
  tributary::ui::TaskRow row;
  row.id = kDebian;
  for (const TaskSnapshot& task : session.tasks) {
    if (task.id == kDebian) {
      row.traffic = {task.traffic.bt, task.traffic.http, task.traffic.cdn, task.traffic.shared};
    }
  }
  constexpr int kTicks = 600;
  QList<tributary::ui::Traffic> perTick;
  tributary::ui::Traffic sum;
  for (int t = 0; t < kTicks; ++t) {
    const double minute = t / 120.0;
    tributary::ui::Traffic tick;
    const double btMiBps =
        2.2 + 0.9 * std::sin(minute * 2.1) + 0.3 * std::sin(t * 0.045) + 0.08 * std::sin(t * 0.9);
    tick.bt = static_cast<quint64>(btMiBps * kMiB / 2);
    tick.cdn = minute > 1.0 && (minute < 2.6 || minute > 3.3)
                   ? static_cast<quint64>((0.55 + 0.1 * std::sin(t * 0.08)) * kMiB / 2)
                   : 0;
    tick.shared = static_cast<quint64>((0.2 + 0.08 * minute) * kMiB / 2);
    perTick.append(tick);
    sum.bt += tick.bt;
    sum.cdn += tick.cdn;
    sum.shared += tick.shared;
  }
  tributary::ui::Traffic totals = row.traffic;
  totals.bt -= sum.bt;
  totals.cdn -= sum.cdn;
  totals.shared -= sum.shared;
  const qint64 startMs = endMs - kTicks * 500;
  row.traffic = totals;
  panel->recordTraffic({row}, {}, false);
  for (int t = 0; t < kTicks; ++t) {
    totals.bt += perTick.at(t).bt;
    totals.cdn += perTick.at(t).cdn;
    totals.shared += perTick.at(t).shared;
    row.traffic = totals;
    panel->setClock([ms = startMs + (t + 1) * 500] { return ms; });
    panel->recordTraffic({row}, {}, false);
  }
}

bool compileTranslation(const QString& qm) {
  QProcess lrelease;
  lrelease.start(QStringLiteral(TRIBUTARY_LRELEASE),
                 {QStringLiteral(TRIBUTARY_TS_FILE), QStringLiteral("-qm"), qm});
  return lrelease.waitForFinished(60000) && lrelease.exitCode() == 0;
}

// Not blank: a window that failed to paint is one flat colour.
bool looksPainted(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 7) {
    for (int x = 0; x < image.width(); x += 7) {
      colours.insert(image.pixel(x, y));
    }
  }
  return colours.size() > 20;
}

}  // namespace

class TestScreenshots : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void mainWindow_data();
  void mainWindow();
  void trafficHistory();

 private:
  QString outputDir() const;

  QTemporaryDir scratch_;
};

void TestScreenshots::initTestCase() {
  tributary::test::useTestSettings();
  QVERIFY(scratch_.isValid());
  // Fixed text rendering and dates, so two runs give the same pictures.
  QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
  qputenv("TZ", "UTC");
  tzset();
}

QString TestScreenshots::outputDir() const {
  const QString wanted = qEnvironmentVariable("TRIBUTARY_SCREENSHOT_DIR");
  return wanted.isEmpty() ? scratch_.path() : wanted;
}

void TestScreenshots::mainWindow_data() {
  QTest::addColumn<QString>("language");
  QTest::addColumn<int>("tab");
  QTest::addColumn<QString>("file");
  QTest::newRow("en, peers") << QString() << int{TaskDetailsPanel::PeersTab}
                             << QStringLiteral("main-window.png");
  QTest::newRow("en, general") << QString() << int{TaskDetailsPanel::GeneralTab}
                               << QStringLiteral("details-general.png");
  QTest::newRow("en, traffic") << QString() << int{TaskDetailsPanel::TrafficTab}
                               << QStringLiteral("details-traffic.png");
  QTest::newRow("zh_CN, peers") << QStringLiteral("zh_CN") << int{TaskDetailsPanel::PeersTab}
                                << QStringLiteral("main-window-zh_CN.png");
}

void TestScreenshots::mainWindow() {
  QFETCH(QString, language);
  QFETCH(int, tab);
  QFETCH(QString, file);
  QTranslator translator;
  if (!language.isEmpty()) {
    const QString qm = scratch_.filePath(QStringLiteral("tributary_%1.qm").arg(language));
    QVERIFY(compileTranslation(qm));
    QVERIFY(translator.load(qm));
    QVERIFY(QApplication::installTranslator(&translator));
  }
  {
    WindowHarness h;
    h.window->resize(1240, 760);
    h.window->show();
    QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
    TaskDetailsPanel* panel = h.window->detailsPanel();
    // A clock of its own, so the chart shows minutes of history at once.
    constexpr qint64 kEndMs = 10 * 60 * 1000;
    feedTrafficHistory(panel, scriptedSession(), kEndMs);
    QVERIFY(h.deliver(scriptedSession()));
    QVERIFY(h.selectTask(kDebian));
    panel->setCurrentIndex(tab);
    QVERIFY(panel->trafficPage()->isShowingTraffic());
    QCOMPARE(panel->trafficPage()->totalText(tributary::ui::TrafficChart::Bt),
             QStringLiteral("1.3 GiB"));
    auto* peers = panel->page(TaskDetailsPanel::PeersTab);
    QVERIFY(peers->isShowingTable());
    QCOMPARE(peers->view()->model()->rowCount(), 8);
    peers->view()->sortByColumn(tributary::ui::PeerListModel::DownloadRateColumn,
                                Qt::DescendingOrder);
    // Labels whose text just grew are re-laid out by a posted event: wait for it.
    auto* rate = h.window->findChild<QLabel*>(QStringLiteral("globalDownloadRate"));
    QVERIFY(rate);
    QTRY_VERIFY_WITH_TIMEOUT(rate->width() >= rate->sizeHint().width(), 5000);

    const QImage image = h.window->grab().toImage();
    QCOMPARE(image.size(), h.window->size() * h.window->devicePixelRatio());
    QVERIFY(looksPainted(image));
    const QString path = QDir(outputDir()).filePath(file);
    QVERIFY2(image.save(path), qPrintable(path));
  }
  if (!language.isEmpty()) {
    QApplication::removeTranslator(&translator);
  }
}

// Tools > Traffic History over a month of scripted days: a torrent most
// days, HTTP downloads with a mirror now and then, and uploads.
void TestScreenshots::trafficHistory() {
  constexpr std::int32_t kToday = 20'254;  // 2025-06-15
  constexpr std::uint64_t kMiB = 1u << 20;
  tributary::EngineStats stats;
  stats.trafficToday = kToday;
  for (int ago = 29; ago >= 0; --ago) {
    if (ago % 7 == 5) {
      continue;  // a quiet day now and then
    }
    const std::uint64_t wave = static_cast<std::uint64_t>(3 + (ago * 7) % 11);
    tributary::TrafficCounters bytes{wave * 90 * kMiB, ago % 4 == 0 ? wave * 60 * kMiB : 0,
                                     ago % 3 == 0 ? wave * 120 * kMiB : 0, wave * 25 * kMiB};
    stats.trafficDays.push_back(tributary::TrafficDay{kToday - ago, bytes});
    stats.totalTraffic += bytes;
  }
  stats.totalTraffic +=
      tributary::TrafficCounters{40'000 * kMiB, 3'000 * kMiB, 9'000 * kMiB, 12'000 * kMiB};
  WindowHarness h;
  Update update;
  update.full = true;  // an empty delta would not reach the window
  update.stats = stats;
  QVERIFY(h.deliver(update));
  h.action("actionTrafficHistory")->trigger();
  auto* dialog = h.window->trafficDialog();
  QVERIFY(dialog);
  dialog->resize(760, 520);
  QVERIFY(QTest::qWaitForWindowExposed(dialog));
  QCOMPARE(dialog->chart()->barCount(), 26);
  const QImage image = dialog->grab().toImage();
  QVERIFY(looksPainted(image));
  const QString path = QDir(outputDir()).filePath(QStringLiteral("traffic-history.png"));
  QVERIFY2(image.save(path), qPrintable(path));
}

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
