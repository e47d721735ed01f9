// EngineBridge over the real engine (Engine::create): the first full update
// reaches a slot on the GUI thread.
#include <QCoreApplication>
#include <QTest>
#include <QThread>

#include "engine/api/Engine.h"
#include "ui/bridge/EngineBridge.h"

using tributary::ui::EngineBridge;
using tributary::ui::GlobalStats;
using tributary::ui::TaskRow;

class TestEngineBridgeReal : public QObject {
  Q_OBJECT

 private slots:
  void firstUpdateArrivesFullOnGuiThread();
  void rejectedSourceComesBackAsWords();
};

namespace {

tributary::EngineConfig smallConfig() {
  tributary::EngineConfig config;
  config.loopThreads = 1;
  config.workerThreads = 1;
  config.tick = std::chrono::milliseconds(50);
  config.logLevel = tributary::LogLevel::Off;
  return config;
}

}  // namespace

void TestEngineBridgeReal::firstUpdateArrivesFullOnGuiThread() {
  EngineBridge bridge(smallConfig());
  QVERIFY(bridge.hasEngine());
  int fullDeliveries = 0;
  int statsDeliveries = 0;
  QThread* slotThread = nullptr;
  connect(&bridge, &EngineBridge::tasksUpdated, this,
          [&](const QList<TaskRow>&, const QList<quint64>&, bool full) {
            slotThread = QThread::currentThread();
            fullDeliveries += full ? 1 : 0;
          });
  connect(&bridge, &EngineBridge::statsUpdated, this,
          [&](const GlobalStats&) { ++statsDeliveries; });
  QTRY_VERIFY_WITH_TIMEOUT(fullDeliveries >= 1, 5000);
  QCOMPARE(slotThread, qApp->thread());
  QVERIFY(statsDeliveries >= 1);
}

void TestEngineBridgeReal::rejectedSourceComesBackAsWords() {
  EngineBridge bridge(smallConfig());
  // No save folder: refused by syntax alone, before any network or disk.
  const auto result = bridge.addSource(QStringLiteral("https://example.test/a.iso"), QString());
  QVERIFY(!result.ok());
  // Words from ui/, not the code's machine name ("invalid_argument").
  QVERIFY2(result.error.startsWith(QStringLiteral("Invalid input")), qPrintable(result.error));
}

QTEST_GUILESS_MAIN(TestEngineBridgeReal)
#include "tst_engine_bridge_real.moc"
