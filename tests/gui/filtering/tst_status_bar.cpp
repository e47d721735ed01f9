// The status bar's permanent labels from scripted engine figures: rates with
// their limits, DHT nodes (or "off"), the listen port's state, and the free
// space of the default download folder, re-read on its own timer only.
#include <QDir>
#include <QLabel>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>

#include "gui/support/WindowHarness.h"
#include "ui/models/Format.h"
#include "ui/widgets/AppSettings.h"
#include "ui/widgets/TransferStatusWidget.h"

using tributary::Update;
using tributary::test::WindowHarness;
using tributary::ui::AppSettings;
using tributary::ui::GlobalStats;
using tributary::ui::TransferStatusWidget;

namespace {

QLabel* label(QWidget* parent, const char* name) {
  return parent->findChild<QLabel*>(QString::fromLatin1(name));
}

}  // namespace

class TestStatusBar : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();

  void windowShowsTheEnginesFigures();
  void rateLabelsShowLimitsOnlyWhenSet();
  void dhtAndPortStates();
  void freeSpaceOfTheDefaultFolder();
  void labelsAreNeverCut();
};

void TestStatusBar::initTestCase() {
  tributary::test::useTestSettings();
  QLocale::setDefault(QLocale::c());
}

void TestStatusBar::windowShowsTheEnginesFigures() {
  WindowHarness h;
  QLabel* dht = label(h.window.get(), "dhtNodes");
  QLabel* port = label(h.window.get(), "listenPort");
  QLabel* down = label(h.window.get(), "globalDownloadRate");
  QLabel* disk = label(h.window.get(), "freeDiskSpace");
  QVERIFY(dht && port && down && disk);
  QCOMPARE(port->text(), QStringLiteral("Not listening"));

  Update update;
  update.stats.downloadRate = 3 * 1024 * 1024;
  update.stats.maxDownloadRate = 4 * 1024 * 1024;
  update.stats.dhtNodes = 187;
  update.stats.listenPort = 51413;
  h.engine->runOnEngineThread([&](tributary::test::FakeEngine& e) { e.deliver(update); });
  QTRY_COMPARE_WITH_TIMEOUT(port->text(), QStringLiteral("Listening on port 51413"), 5000);
  QCOMPARE(dht->text(), QStringLiteral("DHT: 187 nodes"));
  QCOMPARE(down->text(), QStringLiteral("↓ 3.0 MiB/s [4.0 MiB/s]"));
  QVERIFY2(disk->text().startsWith(QStringLiteral("Free space: ")), qPrintable(disk->text()));
}

void TestStatusBar::rateLabelsShowLimitsOnlyWhenSet() {
  TransferStatusWidget widget;
  GlobalStats stats;
  stats.downloadRate = 2048;
  stats.uploadRate = 512;
  stats.maxUploadRate = 100 * 1024;
  widget.setStats(stats);
  QCOMPARE(label(&widget, "globalDownloadRate")->text(), QStringLiteral("↓ 2.0 KiB/s"));
  QCOMPARE(label(&widget, "globalUploadRate")->text(), QStringLiteral("↑ 512 B/s [100.0 KiB/s]"));
  QVERIFY(label(&widget, "globalDownloadRate")->toolTip().contains(QStringLiteral("unlimited")));
}

void TestStatusBar::dhtAndPortStates() {
  TransferStatusWidget widget;
  GlobalStats stats;
  stats.dhtNodes = 0;
  widget.setStats(stats);
  QCOMPARE(label(&widget, "dhtNodes")->text(), QStringLiteral("DHT: 0 nodes"));
  QCOMPARE(label(&widget, "listenPort")->text(), QStringLiteral("Not listening"));

  widget.setDhtEnabled(false);
  QCOMPARE(label(&widget, "dhtNodes")->text(), QStringLiteral("DHT: off"));
  stats.dhtNodes = 12;  // a late figure does not bring the count back
  stats.listenPort = 6881;
  widget.setStats(stats);
  QCOMPARE(label(&widget, "dhtNodes")->text(), QStringLiteral("DHT: off"));
  QCOMPARE(label(&widget, "listenPort")->text(), QStringLiteral("Listening on port 6881"));

  widget.setDhtEnabled(true);
  QCOMPARE(label(&widget, "dhtNodes")->text(), QStringLiteral("DHT: 12 nodes"));
  stats.listenPort = 0;
  widget.setStats(stats);
  QCOMPARE(label(&widget, "listenPort")->text(), QStringLiteral("Not listening"));
}

void TestStatusBar::freeSpaceOfTheDefaultFolder() {
  QTemporaryDir first;
  QTemporaryDir second;
  QVERIFY(first.isValid() && second.isValid());
  // A folder the first download has not created yet: its parent's volume.
  const QString notYet = QDir(first.path()).filePath(QStringLiteral("not/yet"));
  AppSettings().setDefaultSaveDir(notYet);

  TransferStatusWidget widget;
  QLabel* disk = label(&widget, "freeDiskSpace");
  QVERIFY(disk->toolTip().contains(QDir::cleanPath(notYet)));
  const QStorageInfo volume(first.path());
  QVERIFY(volume.isValid());
  // The figure is the volume's, formatted as every size is. Other programs
  // write to the disk meanwhile, so compare the unit and the magnitude.
  const QString expected =
      tributary::ui::Format::bytes(static_cast<quint64>(volume.bytesAvailable()));
  QVERIFY2(disk->text().startsWith(QStringLiteral("Free space: ")), qPrintable(disk->text()));
  QVERIFY2(disk->text().endsWith(expected.section(QLatin1Char(' '), -1)),
           qPrintable(disk->text() + QStringLiteral(" vs ") + expected));

  // The engine's ticks do not re-read the disk...
  AppSettings().setDefaultSaveDir(second.path());
  widget.setStats(GlobalStats{});
  QVERIFY(disk->toolTip().contains(QDir::cleanPath(notYet)));
  // ...its own timer does, every few seconds.
  QTRY_VERIFY_WITH_TIMEOUT(disk->toolTip().contains(QDir::cleanPath(second.path())),
                           TransferStatusWidget::kDiskRefreshMs + 3000);
  QVERIFY(!disk->text().contains(QStringLiteral("unknown")));
}

void TestStatusBar::labelsAreNeverCut() {
  WindowHarness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  Update update;
  update.stats.downloadRate = 5 * 1024 * 1024;
  update.stats.uploadRate = 1024 * 1024;
  update.stats.maxUploadRate = 2 * 1024 * 1024;
  update.stats.dhtNodes = 1234;
  update.stats.listenPort = 51413;
  h.engine->runOnEngineThread([&](tributary::test::FakeEngine& e) { e.deliver(update); });
  QLabel* port = label(h.window.get(), "listenPort");
  QTRY_COMPARE_WITH_TIMEOUT(port->text(), QStringLiteral("Listening on port 51413"), 5000);
  // Texts that grew are laid out again by posted events; once they are, the
  // window at its default size holds every label whole.
  auto allFit = [&] {
    for (const char* name :
         {"freeDiskSpace", "dhtNodes", "listenPort", "globalDownloadRate", "globalUploadRate"}) {
      QLabel* l = label(h.window.get(), name);
      if (l->width() < l->sizeHint().width()) {
        qWarning("%s: %d < %d", name, l->width(), l->sizeHint().width());
        return false;
      }
    }
    return true;
  };
  QTRY_VERIFY_WITH_TIMEOUT(allFit(), 5000);
}

QTEST_MAIN(TestStatusBar)
#include "tst_status_bar.moc"
