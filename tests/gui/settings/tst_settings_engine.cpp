// The engine-wide settings become the EngineConfig app/main.cpp starts the
// engine with (applyEngineOptions), without starting one; and the HTTP
// connections setting reaches every http(s) download added, not torrents.
#include <QSettings>
#include <QTest>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/api/Engine.h"
#include "engine/api/Types.h"
#include "gui/support/WindowHarness.h"
#include "ui/bridge/BridgeTypes.h"
#include "ui/bridge/EngineOptions.h"
#include "ui/widgets/AppSettings.h"

using tributary::AddParams;
using tributary::EncryptionMode;
using tributary::EngineConfig;
using tributary::Result;
using tributary::TaskId;
using tributary::test::WindowHarness;
using tributary::ui::AddOptions;
using tributary::ui::AppSettings;
using tributary::ui::EngineOptions;
using tributary::ui::PeerEncryption;

class TestSettingsEngine : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void defaultsAgreeWithTheEngine();
  void storedOptionsMapOntoTheConfig();
  void outOfRangeOptionsAreBroughtIntoRange();
  void unknownStoredEncryptionMapsToEnabled();
  void httpDownloadsGetTheChosenConnections();
};

void TestSettingsEngine::initTestCase() {
  tributary::test::useTestSettings();
}

void TestSettingsEngine::init() {
  QSettings().clear();
}

void TestSettingsEngine::defaultsAgreeWithTheEngine() {
  // Nothing chosen: the engine runs as it would with no settings at all.
  const EngineConfig engineDefaults;
  EngineConfig mapped;
  applyEngineOptions(AppSettings().engineOptions(), mapped);
  QCOMPARE(mapped.listenPort, engineDefaults.listenPort);
  QCOMPARE(mapped.maxPeersPerTorrent, engineDefaults.maxPeersPerTorrent);
  QCOMPARE(mapped.maxConnections, engineDefaults.maxConnections);
  QCOMPARE(mapped.enableDht, engineDefaults.enableDht);
  QCOMPARE(mapped.enablePex, engineDefaults.enablePex);
  QCOMPARE(mapped.enableLsd, engineDefaults.enableLsd);
  QCOMPARE(mapped.enableUtp, engineDefaults.enableUtp);
  QCOMPARE(mapped.bypassOsCacheForPieces, engineDefaults.bypassOsCacheForPieces);
  QCOMPARE(mapped.encryption, engineDefaults.encryption);
  QCOMPARE(AddOptions::kDefaultConnections, AddParams{}.connections);
  QCOMPARE(AppSettings().httpConnectionsPerDownload(), AddParams{}.connections);
}

void TestSettingsEngine::storedOptionsMapOntoTheConfig() {
  EngineOptions chosen;
  chosen.listenPort = 51413;
  chosen.maxPeersPerTorrent = 7;
  chosen.maxConnections = 33;
  chosen.enableDht = false;
  chosen.enablePex = true;
  chosen.enableLsd = false;
  chosen.enableUtp = true;
  chosen.bypassOsCache = false;
  chosen.encryption = PeerEncryption::Required;
  AppSettings().setEngineOptions(chosen);

  EngineConfig config;
  config.loopThreads = 3;
  config.logFile = "tributary.log";
  applyEngineOptions(AppSettings().engineOptions(), config);  // as after a restart
  QCOMPARE(config.listenPort, std::uint16_t{51413});
  QCOMPARE(config.maxPeersPerTorrent, 7u);
  QCOMPARE(config.maxConnections, 33u);
  QVERIFY(!config.enableDht);
  QVERIFY(config.enablePex);
  QVERIFY(!config.enableLsd);
  QVERIFY(config.enableUtp);
  QVERIFY(!config.bypassOsCacheForPieces);
  QCOMPARE(config.encryption, EncryptionMode::Required);
  // What the settings do not cover is left as the caller set it.
  QCOMPARE(config.loopThreads, 3u);
  QCOMPARE(config.logFile, std::string("tributary.log"));

  chosen.enableDht = true;
  chosen.enablePex = false;
  chosen.enableLsd = true;
  chosen.enableUtp = false;
  chosen.bypassOsCache = true;
  chosen.encryption = PeerEncryption::Disabled;
  applyEngineOptions(chosen, config);
  QVERIFY(config.enableDht);
  QVERIFY(!config.enablePex);
  QVERIFY(config.enableLsd);
  QVERIFY(!config.enableUtp);
  QVERIFY(config.bypassOsCacheForPieces);
  QCOMPARE(config.encryption, EncryptionMode::Disabled);
  chosen.encryption = PeerEncryption::Enabled;
  applyEngineOptions(chosen, config);
  QCOMPARE(config.encryption, EncryptionMode::Enabled);
}

void TestSettingsEngine::outOfRangeOptionsAreBroughtIntoRange() {
  EngineOptions odd;
  odd.listenPort = 80;
  odd.maxPeersPerTorrent = 0;
  odd.maxConnections = 99999;
  EngineConfig config;
  config.listenPort = 1;
  applyEngineOptions(odd, config);
  QCOMPARE(config.listenPort, std::uint16_t{0});  // a free one rather than a failing one
  QCOMPARE(config.maxPeersPerTorrent, 1u);
  QCOMPARE(config.maxConnections, 10000u);
}

void TestSettingsEngine::unknownStoredEncryptionMapsToEnabled() {
  QSettings raw;
  raw.setValue(QStringLiteral("bittorrent/encryption"), QStringLiteral("required"));
  EngineConfig config;
  applyEngineOptions(AppSettings().engineOptions(), config);
  QCOMPARE(config.encryption, EncryptionMode::Required);
  raw.setValue(QStringLiteral("bittorrent/encryption"), QStringLiteral("sometimes"));
  applyEngineOptions(AppSettings().engineOptions(), config);
  QCOMPARE(config.encryption, EncryptionMode::Enabled);
}

void TestSettingsEngine::httpDownloadsGetTheChosenConnections() {
  AppSettings settings;
  settings.setHttpConnectionsPerDownload(3);
  settings.setAskBeforeAddingTorrents(false);
  WindowHarness h;
  std::vector<AddParams> added;  // add() runs on the GUI thread, where addSource calls it
  TaskId next = 1;
  h.engine->setAddHandler([&](const AddParams& params) -> Result<TaskId> {
    added.push_back(params);
    return Result<TaskId>(next++);
  });
  QCOMPARE(h.window->addSource(QStringLiteral("http://127.0.0.1:1/file.iso")), QString());
  QCOMPARE(h.window->addSource(QStringLiteral(" HTTPS://127.0.0.1:1/b.iso")), QString());
  QCOMPARE(h.window->addSource(
               QStringLiteral("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567")),
           QString());
  QCOMPARE(added.size(), std::size_t{3});
  QCOMPARE(added[0].connections, 3u);
  QCOMPARE(added[1].connections, 3u);
  QCOMPARE(added[2].connections, AddParams{}.connections);  // a torrent: left alone

  settings.setHttpConnectionsPerDownload(12);  // applies to the next download at once
  QCOMPARE(h.window->addSource(QStringLiteral("http://127.0.0.1:1/c.iso")), QString());
  QCOMPARE(added.back().connections, 12u);
}

QTEST_MAIN(TestSettingsEngine)
#include "tst_settings_engine.moc"
