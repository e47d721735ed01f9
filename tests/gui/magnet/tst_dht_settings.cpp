// The DHT's settings: the bootstrap nodes typed in the Connection page (which
// entries count as host:port, what is said about the rest) survive the
// Settings dialog, a restart and the mapping onto EngineConfig::dhtBootstrap,
// empty meaning the engine's public routers; and the routing table's file
// goes into the app's data folder only when app/main.cpp asks, so tests (in
// QStandardPaths' test mode) never write into the user's folder.
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <functional>
#include <string>
#include <vector>

#include "engine/api/Engine.h"
#include "gui/support/WindowHarness.h"
#include "ui/bridge/AppDataFiles.h"
#include "ui/bridge/BootstrapNodes.h"
#include "ui/bridge/EngineOptions.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/widgets/AppSettings.h"

using tributary::EngineConfig;
using tributary::test::WindowHarness;
using tributary::ui::AppSettings;
using tributary::ui::BootstrapNodes;
using tributary::ui::EngineOptions;
using tributary::ui::SettingsDialog;

namespace {

// Opens Settings from the window's action; `fill` sees the dialog from the
// event loop it runs, then it is accepted. False when no dialog came.
bool runSettings(const WindowHarness& h, const std::function<void(SettingsDialog&)>& fill) {
  QObject context;
  bool seen = false;
  QTimer::singleShot(0, &context, [&] {
    auto* dialog = qobject_cast<SettingsDialog*>(QApplication::activeModalWidget());
    if (dialog == nullptr) {
      return;
    }
    seen = true;
    fill(*dialog);
    dialog->accept();
  });
  h.action("actionSettings")->trigger();
  return seen;
}

QLineEdit* bootstrapField(QWidget& dialog) {
  return dialog.findChild<QLineEdit*>(QStringLiteral("dhtBootstrap"));
}

}  // namespace

class TestDhtSettings : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void nodesAccepted_data();
  void nodesAccepted();
  void nodesRejected_data();
  void nodesRejected();
  void listIsSplitTrimmedAndDeduplicated();
  void emptyMeansThePublicRouters();
  void roundTripThroughTheDialogAndARestart();
  void badEntriesAreNamedAndLeftOut();
  void fieldFollowsTheDhtSwitch();
  void handEditedStringIsRead();
  void stateFileGoesIntoTheDataFolder();
  void testsNeverGetTheStateFile();
};

void TestDhtSettings::initTestCase() {
  tributary::test::useTestSettings();
}

void TestDhtSettings::init() {
  QSettings().clear();
}

void TestDhtSettings::nodesAccepted_data() {
  QTest::addColumn<QString>("node");
  for (const char* node : {"router.bittorrent.com:6881", "127.0.0.1:1", "[::1]:6881",
                           "[2001:db8::1]:65535", "dht_node-2.example:25401"}) {
    QTest::newRow(node) << QString::fromLatin1(node);
  }
}

void TestDhtSettings::nodesAccepted() {
  QFETCH(QString, node);
  QVERIFY(BootstrapNodes::isValidNode(node));
}

void TestDhtSettings::nodesRejected_data() {
  QTest::addColumn<QString>("node");
  // The cases tributary-cli's --dht-bootstrap refuses.
  for (const char* node :
       {"::1:6881", "host", "host:", "host:0", "host:65536", "[::1]", "[::1]6881", ":6881",
        "[]:6881", "[host]:1", "ho st:1", "[::1:6881", "host:-1", "host:+1", "", "héllo:1"}) {
    QTest::newRow(node) << QString::fromUtf8(node);
  }
}

void TestDhtSettings::nodesRejected() {
  QFETCH(QString, node);
  QVERIFY(!BootstrapNodes::isValidNode(node));
}

void TestDhtSettings::listIsSplitTrimmedAndDeduplicated() {
  const BootstrapNodes parsed =
      BootstrapNodes::parse(QStringLiteral(" a.example:1 ,[::1]:2,,\nb:3  a.example:1, nope "));
  QCOMPARE(parsed.nodes, (QStringList{QStringLiteral("a.example:1"), QStringLiteral("[::1]:2"),
                                      QStringLiteral("b:3")}));
  QCOMPARE(parsed.invalid, QStringList{QStringLiteral("nope")});
  QCOMPARE(BootstrapNodes::join(parsed.nodes), QStringLiteral("a.example:1, [::1]:2, b:3"));
}

void TestDhtSettings::emptyMeansThePublicRouters() {
  QVERIFY(AppSettings().engineOptions().dhtBootstrap.isEmpty());
  EngineConfig config;
  config.dhtBootstrap = {"left.over:1"};
  applyEngineOptions(AppSettings().engineOptions(), config);
  // The engine's own list then (EngineConfig: empty = the usual routers).
  QVERIFY(config.dhtBootstrap.empty());
  QCOMPARE(EngineConfig{}.dhtBootstrap.size(), 0u);
}

void TestDhtSettings::roundTripThroughTheDialogAndARestart() {
  {
    WindowHarness h;
    QVERIFY(runSettings(h, [](SettingsDialog& dialog) {
      QLineEdit* field = bootstrapField(dialog);
      QVERIFY(field != nullptr);
      QVERIFY(field->text().isEmpty());
      QVERIFY(!field->placeholderText().isEmpty());  // says what empty means
      field->setText(QStringLiteral("127.0.0.1:6881, [::1]:6882 dht.example.org:25401"));
    }));
  }
  // A restart: new settings object, new window.
  const QStringList expected{QStringLiteral("127.0.0.1:6881"), QStringLiteral("[::1]:6882"),
                             QStringLiteral("dht.example.org:25401")};
  QCOMPARE(AppSettings().engineOptions().dhtBootstrap, expected);
  EngineConfig config;
  applyEngineOptions(AppSettings().engineOptions(), config);
  QCOMPARE(config.dhtBootstrap,
           (std::vector<std::string>{"127.0.0.1:6881", "[::1]:6882", "dht.example.org:25401"}));
  QVERIFY(config.dhtStateFile.empty());  // settings never choose files

  WindowHarness h;
  QVERIFY(runSettings(h, [](SettingsDialog& dialog) {
    QCOMPARE(bootstrapField(dialog)->text(),
             QStringLiteral("127.0.0.1:6881, [::1]:6882, dht.example.org:25401"));
    bootstrapField(dialog)->clear();  // back to the public routers
  }));
  QVERIFY(AppSettings().engineOptions().dhtBootstrap.isEmpty());
  QVERIFY(!QSettings().contains(QStringLiteral("bittorrent/dhtBootstrap")));
}

void TestDhtSettings::badEntriesAreNamedAndLeftOut() {
  SettingsDialog dialog;
  dialog.setEngineOptions(AppSettings().engineOptions());
  auto* problem = dialog.findChild<QLabel*>(QStringLiteral("dhtBootstrapProblem"));
  QVERIFY(problem != nullptr);
  QVERIFY(problem->isHidden());
  bootstrapField(dialog)->setText(QStringLiteral("good.example:1, <b>bad</b>, 10.0.0.1:0"));
  QVERIFY(!problem->isHidden());
  QVERIFY2(problem->text().contains(QStringLiteral("<b>bad</b>")), qPrintable(problem->text()));
  QVERIFY(problem->text().contains(QStringLiteral("10.0.0.1:0")));
  QCOMPARE(problem->textFormat(), Qt::PlainText);
  QCOMPARE(dialog.engineOptions().dhtBootstrap, QStringList{QStringLiteral("good.example:1")});
  bootstrapField(dialog)->setText(QStringLiteral("good.example:1"));
  QVERIFY(problem->isHidden());
}

void TestDhtSettings::fieldFollowsTheDhtSwitch() {
  SettingsDialog dialog;
  EngineOptions options;
  options.enableDht = false;
  options.dhtBootstrap = {QStringLiteral("kept.example:1")};
  dialog.setEngineOptions(options);
  QVERIFY(!bootstrapField(dialog)->isEnabled());
  // Turned off, the DHT keeps its nodes for when it is turned on again.
  QCOMPARE(dialog.engineOptions().dhtBootstrap, options.dhtBootstrap);
  dialog.findChild<QCheckBox*>(QStringLiteral("enableDht"))->setChecked(true);
  QVERIFY(bootstrapField(dialog)->isEnabled());
}

void TestDhtSettings::handEditedStringIsRead() {
  // An INI line "a:1, junk, [::1]:2" reads back as a list of three strings.
  QSettings().setValue(QStringLiteral("bittorrent/dhtBootstrap"),
                       QStringList{QStringLiteral("a.example:1"), QStringLiteral(" junk"),
                                   QStringLiteral("[::1]:2")});
  QCOMPARE(AppSettings().engineOptions().dhtBootstrap,
           (QStringList{QStringLiteral("a.example:1"), QStringLiteral("[::1]:2")}));
  QSettings().setValue(QStringLiteral("bittorrent/dhtBootstrap"), QStringLiteral("b.example:2"));
  QCOMPARE(AppSettings().engineOptions().dhtBootstrap, QStringList{QStringLiteral("b.example:2")});
}

void TestDhtSettings::stateFileGoesIntoTheDataFolder() {
  QTemporaryDir scratch;
  QVERIFY(scratch.isValid());
  const QString dataDir = scratch.filePath(QStringLiteral("not/yet/made"));
  EngineConfig config;
  tributary::ui::applyAppDataFiles(dataDir, config);
  QVERIFY(QFileInfo(dataDir).isDir());
  QCOMPARE(QString::fromStdString(config.dhtStateFile),
           QDir(dataDir).filePath(QStringLiteral("dht.dat")));
  QCOMPARE(QString::fromStdString(config.logFile),
           QDir(dataDir).filePath(QStringLiteral("tributary.log")));
  QCOMPARE(QString::fromStdString(config.stateDir),
           QDir(dataDir).filePath(QStringLiteral("session")));
  QVERIFY(!QFileInfo::exists(QString::fromStdString(config.dhtStateFile)));  // the engine writes it

  EngineConfig nowhere;
  tributary::ui::applyAppDataFiles(QString(), nowhere);
  QVERIFY(nowhere.dhtStateFile.empty());
  QVERIFY(nowhere.logFile.empty());
  QVERIFY(nowhere.stateDir.empty());
}

void TestDhtSettings::testsNeverGetTheStateFile() {
  // What a test's engine gets from the settings has no state file, and even a
  // test that asked for the app's folder would get QStandardPaths' test one
  // (useTestSettings turns its test mode on), never the user's.
  EngineConfig config;
  applyEngineOptions(AppSettings().engineOptions(), config);
  QVERIFY(config.dhtStateFile.empty());
  QVERIFY(config.stateDir.empty());
  QVERIFY(QStandardPaths::isTestModeEnabled());
  const QString appData = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  QVERIFY2(appData.contains(QStringLiteral("qttest")), qPrintable(appData));
}

QTEST_MAIN(TestDhtSettings)
#include "tst_dht_settings.moc"
