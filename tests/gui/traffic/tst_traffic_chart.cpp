// The Traffic tab's chart and the piece bar, painted offscreen into images:
// they survive empty, tiny and absurd inputs, the stacked bands land where
// their rates say, the legend shows each kind's colour in order, and the
// piece bar bins any number of pieces into pixel columns by share.
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QTest>
#include <array>
#include <cmath>
#include <limits>

#include "ui/widgets/PieceBar.h"
#include "ui/widgets/TrafficChart.h"

using tributary::ui::PieceBar;
using tributary::ui::TrafficChart;
using tributary::ui::TrafficRate;

namespace {

constexpr qint64 kNow = 1'000'000;
constexpr qint64 kMinute = 60'000;

QImage render(QWidget& widget) {
  QImage image(widget.size(), QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::transparent);
  widget.render(&image);
  return image;
}

// The pixel in the middle of the time span [fromMs, toMs] at the height of
// `rate` on the chart's scale.
QRgb pixelAt(const QImage& image, const TrafficChart& chart, qint64 fromMs, qint64 toMs,
             double rate) {
  const QRect plot = chart.plotRect();
  const double middle = (fromMs + toMs) / 2.0;
  const int x = plot.right() - static_cast<int>((kNow - middle) * plot.width() / chart.windowMs());
  const int y = plot.bottom() - static_cast<int>(rate / chart.axisTop() * plot.height());
  return image.pixel(x, y);
}

// The leftmost x of a pixel of exactly `colour` in rows [top, bottom), or -1.
int leftmostOf(const QImage& image, QRgb colour, int top, int bottom) {
  for (int x = 0; x < image.width(); ++x) {
    for (int y = std::max(0, top); y < std::min(bottom, image.height()); ++y) {
      if (image.pixel(x, y) == colour) {
        return x;
      }
    }
  }
  return -1;
}

double linear(int channel) {
  const double c = channel / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double encoded(double c) {
  c = std::clamp(c, 0.0, 1.0);
  return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1 / 2.4) - 0.055);
}

double luminance(const QColor& colour) {
  return 0.2126 * linear(colour.red()) + 0.7152 * linear(colour.green()) +
         0.0722 * linear(colour.blue());
}

double contrast(const QColor& a, const QColor& b) {
  const double la = luminance(a);
  const double lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

using Matrix = std::array<std::array<double, 3>, 3>;
constexpr Matrix kProtanopia = {
    {{0.11238, 0.88762, 0}, {0.11238, 0.88762, 0}, {0.00401, -0.00401, 1}}};
constexpr Matrix kDeuteranopia = {
    {{0.29275, 0.70725, 0}, {0.29275, 0.70725, 0}, {-0.02234, 0.02234, 1}}};

// The distance (0..441) between two colours as a dichromat sees them.
double seenDistance(const QColor& a, const QColor& b, const Matrix& m) {
  auto see = [&m](const QColor& c) {
    const std::array<double, 3> lin = {linear(c.red()), linear(c.green()), linear(c.blue())};
    std::array<double, 3> out{};
    for (int i = 0; i < 3; ++i) {
      out[i] = encoded(m[i][0] * lin[0] + m[i][1] * lin[1] + m[i][2] * lin[2]);
    }
    return out;
  };
  const auto sa = see(a);
  const auto sb = see(b);
  return std::hypot(sa[0] - sb[0], sa[1] - sb[1], sa[2] - sb[2]);
}

TrafficRate rate(qint64 endMs, qint64 spanMs, quint64 bt, quint64 http, quint64 cdn,
                 quint64 shared) {
  return TrafficRate{endMs, spanMs, bt, http, cdn, shared};
}

}  // namespace

class TestTrafficChart : public QObject {
  Q_OBJECT

 private slots:
  void axisTopsAreRoundBinaryFigures_data();
  void axisTopsAreRoundBinaryFigures();
  void emptyChartPaintsAScaleAndSaysSo();
  void oneSamplePaints();
  void stackedBandsLandWhereTheirRatesSay();
  void legendShowsEveryKindInStackOrder();
  void hugeValuesAreClippedNotWrapped();
  void coloursAreDistinctAndReadOnDark();

  void binningAveragesByOverlap();
  void binningHandlesHundredsOfThousandsOfPieces();
  void pieceBarPaintsHaveAndMissing();
};

void TestTrafficChart::axisTopsAreRoundBinaryFigures_data() {
  QTest::addColumn<double>("peak");
  QTest::addColumn<double>("top");
  QTest::addColumn<double>("step");
  constexpr double kKiB = 1024;
  constexpr double kMiB = 1024 * kKiB;
  QTest::newRow("idle") << 0.0 << kKiB << 256.0;
  QTest::newRow("1500 B/s") << 1500.0 << 1536.0 << 512.0;
  QTest::newRow("exactly 2 MiB/s") << 2 * kMiB << 2 * kMiB << 0.5 * kMiB;
  QTest::newRow("3.7 MiB/s") << 3.7 * kMiB << 4 * kMiB << kMiB;
  QTest::newRow("900 MiB/s") << 900 * kMiB << 1000 * kMiB << 500 * kMiB;
  QTest::newRow("beyond any link") << 1e30 << std::ldexp(1.0, 60) << std::ldexp(0.25, 60);
}

void TestTrafficChart::axisTopsAreRoundBinaryFigures() {
  QFETCH(double, peak);
  QFETCH(double, top);
  QFETCH(double, step);
  double gotStep = 0;
  QCOMPARE(TrafficChart::niceAxisTop(peak, 4, &gotStep), top);
  QCOMPARE(gotStep, step);
  QVERIFY(top / gotStep <= 4 + 1e-9);
}

void TestTrafficChart::emptyChartPaintsAScaleAndSaysSo() {
  QLocale::setDefault(QLocale::c());
  TrafficChart chart;
  chart.resize(500, 240);
  chart.setRates({}, kNow);
  QCOMPARE(chart.rateLabels(), QStringList({QStringLiteral("0 B/s"), QStringLiteral("256 B/s"),
                                            QStringLiteral("512 B/s"), QStringLiteral("768 B/s"),
                                            QStringLiteral("1.0 KiB/s")}));
  const QImage image = render(chart);
  const QRect plot = chart.plotRect();
  QVERIFY(plot.width() > 300);
  QVERIFY(plot.height() > 100);
  // The rate labels are drawn left of the plot: some pixels there are text.
  const QRgb window = chart.palette().color(QPalette::Window).rgb();
  int textPixels = 0;
  for (int y = plot.top(); y <= plot.bottom(); ++y) {
    for (int x = 0; x < plot.left() - 2; ++x) {
      textPixels += qAlpha(image.pixel(x, y)) != 0 && image.pixel(x, y) != window ? 1 : 0;
    }
  }
  QVERIFY(textPixels > 20);
  // No band anywhere.
  for (int k = 0; k < TrafficChart::KindCount; ++k) {
    const QRgb colour = TrafficChart::kindColor(TrafficChart::Kind(k)).rgb();
    QCOMPARE(leftmostOf(image, colour, plot.top(), plot.bottom() + 1), -1);
  }
}

void TestTrafficChart::oneSamplePaints() {
  TrafficChart chart;
  chart.resize(500, 240);
  chart.setWindowMs(kMinute);
  chart.setRates({rate(kNow, 20'000, 3000, 0, 0, 0)}, kNow);
  QCOMPARE(chart.axisTop(), 3072.0);
  const QImage image = render(chart);
  const QRgb bt = TrafficChart::kindColor(TrafficChart::Bt).rgb();
  QCOMPARE(pixelAt(image, chart, kNow - 20'000, kNow, 1500), bt);
  // Before the sample nothing moved: the plot's background.
  QCOMPARE(pixelAt(image, chart, kNow - 50'000, kNow - 40'000, 1500),
           chart.palette().color(QPalette::Base).rgb());
}

void TestTrafficChart::stackedBandsLandWhereTheirRatesSay() {
  TrafficChart chart;
  chart.resize(600, 300);
  chart.setWindowMs(kMinute);
  // Two half-minute intervals, with a quiet spell between them.
  chart.setRates(
      {rate(kNow - 40'000, 20'000, 1000, 1000, 0, 0), rate(kNow, 30'000, 2000, 0, 1000, 1000)},
      kNow);
  QCOMPARE(chart.axisTop(), 4096.0);
  const QImage image = render(chart);
  auto colour = [](TrafficChart::Kind kind) { return TrafficChart::kindColor(kind).rgb(); };
  const QRgb base = chart.palette().color(QPalette::Base).rgb();
  // The newer interval: BT up to 2000, CDN to 3000, shared to 4000.
  QCOMPARE(pixelAt(image, chart, kNow - 30'000, kNow, 500), colour(TrafficChart::Bt));
  QCOMPARE(pixelAt(image, chart, kNow - 30'000, kNow, 1500), colour(TrafficChart::Bt));
  QCOMPARE(pixelAt(image, chart, kNow - 30'000, kNow, 2500), colour(TrafficChart::Cdn));
  QCOMPARE(pixelAt(image, chart, kNow - 30'000, kNow, 3500), colour(TrafficChart::Shared));
  // The older one: BT to 1000, HTTP to 2000, nothing above.
  QCOMPARE(pixelAt(image, chart, kNow - 60'000, kNow - 40'000, 500), colour(TrafficChart::Bt));
  QCOMPARE(pixelAt(image, chart, kNow - 60'000, kNow - 40'000, 1500), colour(TrafficChart::Http));
  QCOMPARE(pixelAt(image, chart, kNow - 60'000, kNow - 40'000, 2500), base);
  // The quiet spell between them stays empty down to the axis.
  QCOMPARE(pixelAt(image, chart, kNow - 38'000, kNow - 32'000, 300), base);
}

void TestTrafficChart::legendShowsEveryKindInStackOrder() {
  TrafficChart chart;
  chart.resize(500, 240);
  const QImage image = render(chart);
  const int legendBottom = chart.plotRect().top();
  int previous = -1;
  for (int k = 0; k < TrafficChart::KindCount; ++k) {
    const QRgb colour = TrafficChart::kindColor(TrafficChart::Kind(k)).rgb();
    const int x = leftmostOf(image, colour, 0, legendBottom);
    QVERIFY2(x > previous, qPrintable(TrafficChart::kindName(TrafficChart::Kind(k))));
    previous = x;
  }
  QCOMPARE(TrafficChart::kindName(TrafficChart::Bt), QStringLiteral("BT"));
  QCOMPARE(TrafficChart::kindName(TrafficChart::Cdn), QStringLiteral("CDN"));
  QVERIFY(!TrafficChart::kindName(TrafficChart::Shared).isEmpty());
}

void TestTrafficChart::hugeValuesAreClippedNotWrapped() {
  TrafficChart chart;
  chart.resize(500, 240);
  chart.setWindowMs(kMinute);
  const quint64 huge = std::numeric_limits<quint64>::max();
  // Their sum overflows 64 bits; it must not wrap into a small stack.
  chart.setRates({rate(kNow, 30'000, huge, huge, huge, huge)}, kNow);
  QCOMPARE(chart.axisTop(), std::ldexp(1.0, 60));
  QCOMPARE(chart.rateLabels().last(), QStringLiteral("1.0 EiB/s"));
  const QImage image = render(chart);
  const double top = chart.axisTop();
  QCOMPARE(pixelAt(image, chart, kNow - 30'000, kNow, top * 0.95),
           TrafficChart::kindColor(TrafficChart::Bt).rgb());
  // Tiny and huge in one chart: the tiny one is a sliver, not a crash.
  chart.setRates({rate(kNow - 30'000, 30'000, 1, 0, 0, 0), rate(kNow, 30'000, 0, huge, 0, 0)},
                 kNow);
  QVERIFY(!render(chart).isNull());
}

void TestTrafficChart::coloursAreDistinctAndReadOnDark() {
  QPalette dark;
  dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
  dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
  dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
  dark.setColor(QPalette::Mid, QColor(0x50, 0x50, 0x50));
  for (int a = 0; a < TrafficChart::KindCount; ++a) {
    const QColor one = TrafficChart::kindColor(TrafficChart::Kind(a));
    // WCAG's 3:1 for graphics, on a white plot and on a dark one.
    QVERIFY(contrast(one, Qt::white) >= 3.0);
    QVERIFY(contrast(one, dark.color(QPalette::Base)) >= 3.0);
    for (int b = a + 1; b < TrafficChart::KindCount; ++b) {
      const QColor other = TrafficChart::kindColor(TrafficChart::Kind(b));
      QVERIFY(std::abs(one.hue() - other.hue()) > 25);
      // As people with protanopia and deuteranopia see them (Viénot 1999).
      QVERIFY(seenDistance(one, other, kProtanopia) > 30);
      QVERIFY(seenDistance(one, other, kDeuteranopia) > 30);
    }
  }
  TrafficChart chart;
  chart.setPalette(dark);
  chart.resize(500, 240);
  chart.setWindowMs(kMinute);
  chart.setRates({rate(kNow, 30'000, 1000, 0, 0, 0)}, kNow);
  const QImage image = render(chart);
  QCOMPARE(pixelAt(image, chart, kNow - 50'000, kNow - 40'000, 500),
           dark.color(QPalette::Base).rgb());
  QCOMPARE(pixelAt(image, chart, kNow - 30'000, kNow, 500),
           TrafficChart::kindColor(TrafficChart::Bt).rgb());
}

void TestTrafficChart::binningAveragesByOverlap() {
  QVERIFY(PieceBar::binShares({255, 0}, 0).isEmpty());
  QCOMPARE(PieceBar::binShares({}, 3), QList<double>({0, 0, 0}));
  QCOMPARE(PieceBar::binShares({255, 0}, 4), QList<double>({1, 1, 0, 0}));
  QCOMPARE(PieceBar::binShares({255, 0, 255, 0}, 2), QList<double>({0.5, 0.5}));
  // Three stretches in two bins: the middle one is split between them.
  const QList<double> thirds = PieceBar::binShares({255, 0, 255}, 2);
  QCOMPARE(thirds.size(), 2);
  QVERIFY(qFuzzyCompare(thirds.at(0), 2.0 / 3.0));
  QVERIFY(qFuzzyCompare(thirds.at(1), 2.0 / 3.0));
  QCOMPARE(PieceBar::binShares({51}, 2), QList<double>({0.2, 0.2}));
  // Equal-width bins keep the mean, whatever the sizes.
  const QList<quint8> map = {0, 255, 17, 200, 99, 3, 255};
  const QList<double> bins = PieceBar::binShares(map, 3);
  double mapMean = 0;
  for (quint8 value : map) {
    mapMean += value / 255.0 / map.size();
  }
  double binMean = 0;
  for (double value : bins) {
    binMean += value / bins.size();
  }
  QVERIFY(std::abs(mapMean - binMean) < 1e-12);
}

void TestTrafficChart::binningHandlesHundredsOfThousandsOfPieces() {
  constexpr int kPieces = 150'000;
  QList<quint8> halfDone(kPieces, 0);
  for (int i = 0; i < kPieces / 2; ++i) {
    halfDone[i] = 255;
  }
  QElapsedTimer timer;
  timer.start();
  const QList<double> bins = PieceBar::binShares(halfDone, 600);
  QCOMPARE(bins.size(), 600);
  for (int x = 0; x < 600; ++x) {
    QCOMPARE(bins.at(x), x < 300 ? 1.0 : 0.0);
  }
  QList<quint8> everyOther(kPieces, 0);
  for (int i = 0; i < kPieces; i += 2) {
    everyOther[i] = 255;
  }
  for (double share : PieceBar::binShares(everyOther, 601)) {  // bins straddle pieces
    QVERIFY(std::abs(share - 0.5) < 0.01);
  }
  // One pass over the pieces: far below a frame even in a debug build.
  QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));

  PieceBar bar;
  bar.resize(400, 10);
  bar.setPieceMap(everyOther, kPieces, kPieces / 2);
  QVERIFY(bar.toolTip().contains(QStringLiteral("75000")));
  QVERIFY(!render(bar).isNull());
}

void TestTrafficChart::pieceBarPaintsHaveAndMissing() {
  PieceBar bar;
  bar.resize(202, 10);
  // The first half is in, the second missing, a sliver of the last quarter in.
  bar.setPieceMap({255, 255, 0, 4}, 4000, 2010);
  const QImage image = render(bar);
  const QRgb have = bar.palette().color(QPalette::Highlight).rgb();
  const QRgb missing = bar.palette().color(QPalette::Base).rgb();
  QCOMPARE(image.pixel(20, 5), have);
  QCOMPARE(image.pixel(99, 5), have);
  QCOMPARE(image.pixel(130, 5), missing);
  // A few pieces are never blank, never complete.
  const QRgb sliver = image.pixel(180, 5);
  QVERIFY(sliver != missing);
  QVERIFY(sliver != have);
  // The frame surrounds it.
  QCOMPARE(image.pixel(0, 5), bar.palette().color(QPalette::Mid).rgb());

  bar.clear();
  const QImage cleared = render(bar);
  QCOMPARE(cleared.pixel(20, 5), missing);
  QVERIFY(bar.toolTip().isEmpty());
}

QTEST_MAIN(TestTrafficChart)
#include "tst_traffic_chart.moc"
