// The Traffic History window over a FakeEngine: reachable from the Tools
// menu, it charts the engine's per-day history (one bar slot per day, today
// last, empty days kept), totals the days shown and all time by kind, follows
// new figures while open, and switches between 7, 30 and 90 days.
#include <QComboBox>
#include <QMenuBar>
#include <QTest>

#include "gui/support/WindowHarness.h"
#include "ui/models/Format.h"
#include "ui/widgets/DailyTrafficChart.h"
#include "ui/widgets/TrafficChart.h"
#include "ui/widgets/TrafficHistoryDialog.h"

using tributary::EngineStats;
using tributary::TrafficCounters;
using tributary::TrafficDay;
using tributary::Update;
using tributary::test::WindowHarness;
using tributary::ui::DailyTrafficChart;
using tributary::ui::Format;
using tributary::ui::TrafficChart;
using tributary::ui::TrafficHistoryDialog;

namespace {

constexpr std::int32_t kToday = 20'254;  // 2025-06-15
constexpr std::uint64_t kMiB = 1u << 20;

// Today, 3 days ago, 20 days ago and 60 days ago carried traffic.
EngineStats knownHistory() {
  EngineStats stats;
  stats.trafficToday = kToday;
  stats.trafficDays = {
      TrafficDay{kToday - 60, TrafficCounters{100 * kMiB, 0, 0, 0}},
      TrafficDay{kToday - 20, TrafficCounters{0, 10 * kMiB, 0, 0}},
      TrafficDay{kToday - 3, TrafficCounters{2 * kMiB, 0, 5 * kMiB, 1 * kMiB}},
      TrafficDay{kToday, TrafficCounters{8 * kMiB, 1 * kMiB, 3 * kMiB, 4 * kMiB}},
  };
  stats.totalTraffic = TrafficCounters{500 * kMiB, 20 * kMiB, 8 * kMiB, 7 * kMiB};
  return stats;
}

}  // namespace

class TestTrafficWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    tributary::test::useTestSettings();
    QLocale::setDefault(QLocale::c());
  }

  void init() { h_ = std::make_unique<WindowHarness>(); }
  void cleanup() { h_.reset(); }

  void openedFromTheToolsMenu() {
    QAction* action = h_->action("actionTrafficHistory");
    QVERIFY(action);
    bool inTools = false;
    for (QAction* menu : h_->window->menuBar()->actions()) {
      inTools = inTools || (menu->menu() && menu->menu()->actions().contains(action));
    }
    QVERIFY(inTools);
    QVERIFY(!h_->window->trafficDialog());
    action->trigger();
    QVERIFY(h_->window->trafficDialog());
    QVERIFY(h_->window->trafficDialog()->isVisible());
  }

  void showsTheKnownHistory() {
    QVERIFY(deliver(knownHistory()));
    h_->action("actionTrafficHistory")->trigger();
    TrafficHistoryDialog* dialog = h_->window->trafficDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->dayCount(), 30);
    DailyTrafficChart* chart = dialog->chart();
    QCOMPARE(chart->shownDays().size(), qsizetype{30});
    QCOMPARE(chart->shownDays().last().date, QDate(2025, 6, 15));
    QCOMPARE(chart->shownDays().first().date, QDate(2025, 5, 17));
    QCOMPARE(chart->barCount(), 3);  // 60 days ago is outside 30
    QCOMPARE(chart->shownDays().at(26).bytes.cdn, quint64{5 * kMiB});
    QVERIFY(chart->axisTop() >= 16.0 * kMiB);  // today's stack

    using Row = TrafficHistoryDialog::Row;
    QCOMPARE(dialog->rangeText(Row::BtRow), Format::bytes(10 * kMiB));
    QCOMPARE(dialog->rangeText(Row::HttpRow), Format::bytes(11 * kMiB));
    QCOMPARE(dialog->rangeText(Row::CdnRow), Format::bytes(8 * kMiB));
    QCOMPARE(dialog->rangeText(Row::DownloadedRow), Format::bytes(29 * kMiB));
    QCOMPARE(dialog->rangeText(Row::SharedRow), Format::bytes(5 * kMiB));
    QCOMPARE(dialog->allTimeText(Row::BtRow), Format::bytes(500 * kMiB));
    QCOMPARE(dialog->allTimeText(Row::DownloadedRow), Format::bytes(528 * kMiB));
    QCOMPARE(dialog->allTimeText(Row::SharedRow), Format::bytes(7 * kMiB));

    // The tooltip of today's bar names the day and its figures.
    const QString tip = chart->slotText(29);
    QVERIFY2(tip.contains(QStringLiteral("2025")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("CDN: ") + Format::bytes(3 * kMiB)), qPrintable(tip));

    // 7 and 90 days.
    dialog->findChild<QComboBox*>(QStringLiteral("trafficRange"))->setCurrentIndex(0);
    QCOMPARE(chart->shownDays().size(), qsizetype{7});
    QCOMPARE(chart->barCount(), 2);
    QCOMPARE(dialog->rangeText(Row::HttpRow), Format::bytes(1 * kMiB));
    dialog->setDayCount(90);
    QCOMPARE(chart->barCount(), 4);
    QCOMPARE(dialog->rangeText(Row::BtRow), Format::bytes(110 * kMiB));
  }

  // The bars are drawn: today's slot shows BT's colour at its foot and
  // shared's at its top; an empty day is the plain background.
  void barsArePainted() {
    QVERIFY(deliver(knownHistory()));
    h_->action("actionTrafficHistory")->trigger();
    TrafficHistoryDialog* dialog = h_->window->trafficDialog();
    dialog->resize(800, 500);
    DailyTrafficChart* chart = dialog->chart();
    const QImage image = chart->grab().toImage();
    const QRect plot = chart->plotRect();
    const double slot = static_cast<double>(plot.width()) / chart->shownDays().size();
    const int todayX = plot.left() + static_cast<int>(29.5 * slot);
    QCOMPARE(image.pixelColor(todayX, plot.bottom() - 2),
             TrafficChart::kindColor(TrafficChart::Bt));
    // Today: 16 MiB on an axis of axisTop(); shared is the top 4 MiB.
    const double topY = plot.bottom() + 1 - 16.0 * kMiB / chart->axisTop() * plot.height();
    QCOMPARE(image.pixelColor(todayX, static_cast<int>(topY) + 2),
             TrafficChart::kindColor(TrafficChart::Shared));
    const int emptyX = plot.left() + static_cast<int>(10.5 * slot);
    QCOMPARE(image.pixelColor(emptyX, plot.bottom() - 2), chart->palette().color(QPalette::Base));
  }

  // Open, it follows the engine: a new day moves the chart on.
  void followsNewFigures() {
    QVERIFY(deliver(knownHistory()));
    h_->action("actionTrafficHistory")->trigger();
    TrafficHistoryDialog* dialog = h_->window->trafficDialog();
    EngineStats next = knownHistory();
    next.trafficToday = kToday + 1;
    next.trafficDays.push_back(TrafficDay{kToday + 1, TrafficCounters{0, 0, 0, 2 * kMiB}});
    next.totalTraffic.shared += 2 * kMiB;
    QVERIFY(deliver(next));
    QCOMPARE(dialog->chart()->shownDays().last().date, QDate(2025, 6, 16));
    QCOMPARE(dialog->chart()->shownDays().last().bytes.shared, quint64{2 * kMiB});
    QCOMPARE(dialog->allTimeText(TrafficHistoryDialog::SharedRow), Format::bytes(9 * kMiB));
  }

  // The engine sends the days only when they changed (trafficDaysOmitted):
  // an update without them keeps the chart, also when it lands on top of
  // the one that had them before the GUI thread took either.
  void updatesWithoutDaysKeepTheChart() {
    QVERIFY(deliver(knownHistory()));
    h_->action("actionTrafficHistory")->trigger();
    TrafficHistoryDialog* dialog = h_->window->trafficDialog();
    DailyTrafficChart* chart = dialog->chart();
    const int bars = chart->barCount();
    QVERIFY(bars > 0);
    const auto shown = chart->shownDays();

    EngineStats without = knownHistory();
    without.trafficDays.clear();
    without.trafficDaysOmitted = true;
    without.totalTraffic.shared += 2 * kMiB;  // the rest of the stats still move
    QVERIFY(deliver(without));
    QCOMPARE(chart->barCount(), bars);
    QCOMPARE(chart->shownDays(), shown);
    QCOMPARE(dialog->allTimeText(TrafficHistoryDialog::SharedRow), Format::bytes(9 * kMiB));

    // New days, then at once an update without them: the new ones stay.
    EngineStats next = knownHistory();
    next.trafficToday = kToday + 1;
    next.trafficDays.push_back(TrafficDay{kToday + 1, TrafficCounters{0, 0, 0, 2 * kMiB}});
    EngineStats nextWithout = next;
    nextWithout.trafficDays.clear();
    nextWithout.trafficDaysOmitted = true;
    QVERIFY(deliver({next, nextWithout}));
    QCOMPARE(chart->shownDays().last().date, QDate(2025, 6, 16));
    QCOMPARE(chart->shownDays().last().bytes.shared, quint64{2 * kMiB});
    QCOMPARE(chart->barCount(), bars + 1);
    QVERIFY(deliver(nextWithout));
    QCOMPARE(chart->shownDays().last().bytes.shared, quint64{2 * kMiB});
  }

  void emptyHistoryHasNoBars() {
    h_->action("actionTrafficHistory")->trigger();
    DailyTrafficChart* chart = h_->window->trafficDialog()->chart();
    QCOMPARE(chart->barCount(), 0);
    QCOMPARE(chart->shownDays().size(), qsizetype{30});
    QCOMPARE(h_->window->trafficDialog()->allTimeText(TrafficHistoryDialog::BtRow),
             Format::bytes(0));
  }

 private:
  // All in one go from the engine thread: the GUI thread takes them as one.
  bool deliver(std::initializer_list<EngineStats> all) {
    QSignalSpy spy(h_->bridge.get(), &tributary::ui::EngineBridge::statsUpdated);
    h_->engine->runOnEngineThread([&](tributary::test::FakeEngine& e) {
      for (const EngineStats& stats : all) {
        Update update;
        update.stats = stats;
        e.deliver(update);
      }
    });
    return spy.wait(5000);
  }
  bool deliver(const EngineStats& stats) { return deliver({stats}); }

  std::unique_ptr<WindowHarness> h_;
};

QTEST_MAIN(TestTrafficWindow)
#include "tst_traffic_window.moc"
