// The Settings dialog over a MainWindow: every setting of the Connection and
// Interface pages shows as stored, comes back on OK and is kept: re-opening
// shows the new values, and so does a new window after a restart. Out-of-range
// figures, in the dialog or in a hand-edited settings file, are brought into range.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTest>
#include <QTimer>
#include <functional>
#include <memory>

#include "gui/support/WindowHarness.h"
#include "ui/bridge/EngineOptions.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/widgets/AppSettings.h"

using tributary::test::WindowHarness;
using tributary::ui::AppSettings;
using tributary::ui::EngineOptions;
using tributary::ui::PeerEncryption;
using tributary::ui::SettingsDialog;

namespace {

// Opens Settings from the window's action; `fill` sees the dialog from the
// event loop it runs, then it is accepted or rejected. False when no dialog
// came. The timer's context dies with this call, so a timer that never found
// a dialog cannot fire into a finished test.
bool runSettings(const WindowHarness& h, const std::function<void(SettingsDialog&)>& fill,
                 bool accept = true) {
  QObject context;
  bool seen = false;
  QTimer::singleShot(0, &context, [&] {
    auto* dialog = qobject_cast<SettingsDialog*>(QApplication::activeModalWidget());
    if (dialog == nullptr) {
      return;
    }
    seen = true;
    fill(*dialog);
    accept ? dialog->accept() : dialog->reject();
  });
  h.action("actionSettings")->trigger();
  return seen;
}

template <typename T>
T* child(QWidget& dialog, const char* name, QStringList& missing) {
  auto* found = dialog.findChild<T*>(QString::fromLatin1(name));
  if (found == nullptr) {
    missing << QString::fromLatin1(name);
  }
  return found;
}

// What the dialog shows, read through its widgets as a user sees them.
struct Shown {
  bool anyPort = false;
  bool portEnabled = false;
  int port = 0;
  int peers = 0;
  int connections = 0;
  int http = 0;
  bool dht = false;
  bool pex = false;
  bool lsd = false;
  bool utp = false;
  bool bypassOsCache = false;
  QString encryptionText;
  int encryption = -1;  // the item's PeerEncryption
  QString language;
  bool askRemove = false;
  bool askQuit = false;
  QString note;
  QStringList missing;
};

Shown readShown(SettingsDialog& dialog) {
  Shown s;
  auto* anyPort = child<QCheckBox>(dialog, "anyListenPort", s.missing);
  auto* port = child<QSpinBox>(dialog, "listenPort", s.missing);
  auto* peers = child<QSpinBox>(dialog, "peersPerTorrent", s.missing);
  auto* connections = child<QSpinBox>(dialog, "maxConnections", s.missing);
  auto* http = child<QSpinBox>(dialog, "httpConnections", s.missing);
  auto* dht = child<QCheckBox>(dialog, "enableDht", s.missing);
  auto* pex = child<QCheckBox>(dialog, "enablePex", s.missing);
  auto* lsd = child<QCheckBox>(dialog, "enableLsd", s.missing);
  auto* utp = child<QCheckBox>(dialog, "enableUtp", s.missing);
  auto* bypassOsCache = child<QCheckBox>(dialog, "bypassOsCache", s.missing);
  auto* encryption = child<QComboBox>(dialog, "encryptionMode", s.missing);
  auto* language = child<QComboBox>(dialog, "language", s.missing);
  auto* askRemove = child<QCheckBox>(dialog, "askBeforeRemoving", s.missing);
  auto* askQuit = child<QCheckBox>(dialog, "askBeforeQuitting", s.missing);
  auto* note = child<QLabel>(dialog, "engineSettingsNote", s.missing);
  if (!s.missing.isEmpty()) {
    return s;
  }
  s.anyPort = anyPort->isChecked();
  s.portEnabled = port->isEnabled();
  s.port = port->value();
  s.peers = peers->value();
  s.connections = connections->value();
  s.http = http->value();
  s.dht = dht->isChecked();
  s.pex = pex->isChecked();
  s.lsd = lsd->isChecked();
  s.utp = utp->isChecked();
  s.bypassOsCache = bypassOsCache->isChecked();
  s.encryptionText = encryption->currentText();
  s.encryption = encryption->currentData().toInt();
  s.language = language->currentData().toString();
  s.askRemove = askRemove->isChecked();
  s.askQuit = askQuit->isChecked();
  s.note = note->isHidden() ? QString() : note->text();  // its page need not be showing
  return s;
}

// Every new setting moved off its default, through the widgets.
void changeEverything(SettingsDialog& dialog) {
  dialog.findChild<QCheckBox*>(QStringLiteral("anyListenPort"))->setChecked(false);
  dialog.findChild<QSpinBox*>(QStringLiteral("listenPort"))->setValue(51413);
  dialog.findChild<QSpinBox*>(QStringLiteral("peersPerTorrent"))->setValue(120);
  dialog.findChild<QSpinBox*>(QStringLiteral("maxConnections"))->setValue(900);
  dialog.findChild<QSpinBox*>(QStringLiteral("httpConnections"))->setValue(16);
  for (const char* name : {"enableDht", "enablePex", "enableLsd", "enableUtp", "bypassOsCache"}) {
    dialog.findChild<QCheckBox*>(QString::fromLatin1(name))->setChecked(false);
  }
  auto* encryption = dialog.findChild<QComboBox*>(QStringLiteral("encryptionMode"));
  encryption->setCurrentIndex(encryption->findText(QStringLiteral("Require encryption")));
  auto* language = dialog.findChild<QComboBox*>(QStringLiteral("language"));
  language->setCurrentIndex(language->findData(QStringLiteral("zh_CN")));
  dialog.findChild<QCheckBox*>(QStringLiteral("askBeforeRemoving"))->setChecked(false);
  dialog.findChild<QCheckBox*>(QStringLiteral("askBeforeQuitting"))->setChecked(true);
}

void verifyChanged(const Shown& s) {
  QCOMPARE(s.missing, QStringList());
  QVERIFY(!s.anyPort);
  QVERIFY(s.portEnabled);
  QCOMPARE(s.port, 51413);
  QCOMPARE(s.peers, 120);
  QCOMPARE(s.connections, 900);
  QCOMPARE(s.http, 16);
  QVERIFY(!s.dht && !s.pex && !s.lsd && !s.utp);
  QVERIFY(!s.bypassOsCache);
  QCOMPARE(s.encryptionText, QStringLiteral("Require encryption"));
  QCOMPARE(s.encryption, static_cast<int>(PeerEncryption::Required));
  QCOMPARE(s.language, QStringLiteral("zh_CN"));
  QVERIFY(!s.askRemove);
  QVERIFY(s.askQuit);
}

}  // namespace

class TestSettingsDialog : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void showsTheDefaults();
  void cancelStoresNothing();
  void everySettingIsKeptAcrossReopenAndRestart();
  void anyPortStoresZero();
  void dialogKeepsFiguresInRange();
  void storedFiguresOutOfRangeReadInRange();
  void unknownLanguageIsHandedBackUnchanged();
  void encryptionChoicesAreStoredAsWords();
  void utpSwitchIsShownUnavailable();
};

void TestSettingsDialog::initTestCase() {
  tributary::test::useTestSettings();
}

void TestSettingsDialog::init() {
  QSettings().clear();
}

void TestSettingsDialog::showsTheDefaults() {
  WindowHarness h;
  Shown s;
  QVERIFY(runSettings(
      h, [&](SettingsDialog& d) { s = readShown(d); }, false));
  QCOMPARE(s.missing, QStringList());
  QVERIFY(s.anyPort);
  QVERIFY(!s.portEnabled);
  QCOMPARE(s.peers, 50);
  QCOMPARE(s.connections, 500);
  QCOMPARE(s.http, 8);
  QVERIFY(s.dht && s.pex && s.lsd && s.utp);
  QVERIFY(s.bypassOsCache);
  QCOMPARE(s.encryptionText, QStringLiteral("Allow encryption"));
  QCOMPARE(s.encryption, static_cast<int>(PeerEncryption::Enabled));
  QCOMPARE(s.language, QString());
  QVERIFY(s.askRemove);
  QVERIFY(!s.askQuit);
  QVERIFY(s.note.contains(QStringLiteral("next start")));
}

void TestSettingsDialog::cancelStoresNothing() {
  WindowHarness h;
  QVERIFY(runSettings(h, changeEverything, false));
  const AppSettings settings;
  QCOMPARE(settings.engineOptions(), EngineOptions{});
  QCOMPARE(settings.httpConnectionsPerDownload(), 8u);
  QCOMPARE(settings.language(), QString());
  QVERIFY(settings.askBeforeRemoving());
  QVERIFY(!settings.askBeforeQuitting());
}

void TestSettingsDialog::everySettingIsKeptAcrossReopenAndRestart() {
  {
    WindowHarness h;
    QVERIFY(runSettings(h, changeEverything));
    Shown reopened;
    QVERIFY(runSettings(
        h, [&](SettingsDialog& d) { reopened = readShown(d); }, false));
    verifyChanged(reopened);
    if (QTest::currentTestFailed()) {
      return;
    }
  }
  // A restart: a new settings object and a new window read them back.
  const AppSettings settings;
  EngineOptions expected;
  expected.listenPort = 51413;
  expected.maxPeersPerTorrent = 120;
  expected.maxConnections = 900;
  expected.enableDht = expected.enablePex = expected.enableLsd = expected.enableUtp = false;
  expected.bypassOsCache = false;
  expected.encryption = PeerEncryption::Required;
  QCOMPARE(settings.engineOptions(), expected);
  QCOMPARE(settings.httpConnectionsPerDownload(), 16u);
  QCOMPARE(settings.language(), QStringLiteral("zh_CN"));
  QVERIFY(!settings.askBeforeRemoving());
  QVERIFY(settings.askBeforeQuitting());

  WindowHarness h;
  Shown restarted;
  QVERIFY(runSettings(
      h, [&](SettingsDialog& d) { restarted = readShown(d); }, false));
  verifyChanged(restarted);
}

void TestSettingsDialog::anyPortStoresZero() {
  EngineOptions fixed;
  fixed.listenPort = 40000;
  AppSettings().setEngineOptions(fixed);
  WindowHarness h;
  int shownPort = 0;
  QVERIFY(runSettings(h, [&](SettingsDialog& d) {
    shownPort = d.findChild<QSpinBox*>(QStringLiteral("listenPort"))->value();
    d.findChild<QCheckBox*>(QStringLiteral("anyListenPort"))->setChecked(true);
  }));
  QCOMPARE(shownPort, 40000);
  QCOMPARE(AppSettings().engineOptions().listenPort, quint16{0});
}

void TestSettingsDialog::dialogKeepsFiguresInRange() {
  SettingsDialog dialog;
  dialog.findChild<QCheckBox*>(QStringLiteral("anyListenPort"))->setChecked(false);
  auto* port = dialog.findChild<QSpinBox*>(QStringLiteral("listenPort"));
  port->setValue(80);  // privileged: an ordinary user cannot listen there
  QCOMPARE(dialog.engineOptions().listenPort, quint16{1024});
  port->setValue(70000);
  QCOMPARE(dialog.engineOptions().listenPort, quint16{65535});
  dialog.findChild<QSpinBox*>(QStringLiteral("peersPerTorrent"))->setValue(0);
  dialog.findChild<QSpinBox*>(QStringLiteral("maxConnections"))->setValue(20000);
  dialog.findChild<QSpinBox*>(QStringLiteral("httpConnections"))->setValue(100);
  QCOMPARE(dialog.engineOptions().maxPeersPerTorrent, 1);
  QCOMPARE(dialog.engineOptions().maxConnections, 10000);
  QCOMPARE(dialog.httpConnectionsPerDownload(), 64u);
  dialog.findChild<QSpinBox*>(QStringLiteral("peersPerTorrent"))->setValue(2000);
  QCOMPARE(dialog.engineOptions().maxPeersPerTorrent, 1000);
}

void TestSettingsDialog::storedFiguresOutOfRangeReadInRange() {
  QSettings raw;
  const struct {
    int port;
    quint16 expected;
  } ports[] = {{80, 0}, {70000, 0}, {-1, 0}, {1024, 1024}, {65535, 65535}};
  for (const auto& [port, expected] : ports) {
    raw.setValue(QStringLiteral("connection/listenPort"), port);
    QCOMPARE(AppSettings().engineOptions().listenPort, expected);
  }
  raw.setValue(QStringLiteral("connection/maxPeersPerTorrent"), 0);
  raw.setValue(QStringLiteral("connection/maxConnections"), 100000);
  raw.setValue(QStringLiteral("connection/httpConnectionsPerDownload"), 1000);
  QCOMPARE(AppSettings().engineOptions().maxPeersPerTorrent, 1);
  QCOMPARE(AppSettings().engineOptions().maxConnections, 10000);
  QCOMPARE(AppSettings().httpConnectionsPerDownload(), 64u);
  raw.setValue(QStringLiteral("connection/httpConnectionsPerDownload"), 0);
  QCOMPARE(AppSettings().httpConnectionsPerDownload(), 1u);
  // Written back in range too.
  AppSettings().setHttpConnectionsPerDownload(500);
  QCOMPARE(raw.value(QStringLiteral("connection/httpConnectionsPerDownload")).toInt(), 64);
}

void TestSettingsDialog::unknownLanguageIsHandedBackUnchanged() {
  SettingsDialog dialog;
  QCOMPARE(dialog.language(), QString());
  dialog.setLanguage(QStringLiteral("zh_CN"));
  QCOMPARE(dialog.language(), QStringLiteral("zh_CN"));
  dialog.setLanguage(QStringLiteral("de"));
  QCOMPARE(dialog.language(), QStringLiteral("de"));
  dialog.setLanguage(QString());
  QCOMPARE(dialog.language(), QString());
  AppSettings().setLanguage(QStringLiteral("en"));
  QCOMPARE(AppSettings().language(), QStringLiteral("en"));
  AppSettings().setLanguage(QString());
  QVERIFY(!QSettings().contains(QStringLiteral("interface/language")));
}

// The engine has no uTP yet: the switch must not pretend to do something.
void TestSettingsDialog::utpSwitchIsShownUnavailable() {
  SettingsDialog dialog;
  auto* utp = dialog.findChild<QCheckBox*>(QStringLiteral("enableUtp"));
  QVERIFY(utp != nullptr);
  QVERIFY(!utp->isEnabled());
  QVERIFY(utp->toolTip().contains(QStringLiteral("Not available yet")));
}

void TestSettingsDialog::encryptionChoicesAreStoredAsWords() {
  SettingsDialog dialog;
  auto* box = dialog.findChild<QComboBox*>(QStringLiteral("encryptionMode"));
  QVERIFY(box != nullptr);
  const struct {
    const char* text;
    PeerEncryption mode;
    const char* stored;
  } choices[] = {{"Allow encryption", PeerEncryption::Enabled, "enabled"},
                 {"Require encryption", PeerEncryption::Required, "required"},
                 {"Disable encryption", PeerEncryption::Disabled, "disabled"}};
  QCOMPARE(box->count(), 3);
  for (const auto& [text, mode, stored] : choices) {
    const int index = box->findText(QString::fromLatin1(text));
    QVERIFY2(index >= 0, text);
    QVERIFY(!box->itemData(index, Qt::ToolTipRole).toString().isEmpty());
    box->setCurrentIndex(index);
    QCOMPARE(dialog.engineOptions().encryption, mode);
    AppSettings().setEngineOptions(dialog.engineOptions());
    QCOMPARE(QSettings().value(QStringLiteral("bittorrent/encryption")).toString(),
             QString::fromLatin1(stored));
    QCOMPARE(AppSettings().engineOptions().encryption, mode);
  }
  QVERIFY(!box->toolTip().isEmpty());
  // A hand-edited value the app does not know reads as the default.
  for (const char* odd : {"forced", "", "2"}) {
    QSettings().setValue(QStringLiteral("bittorrent/encryption"), QString::fromLatin1(odd));
    QCOMPARE(AppSettings().engineOptions().encryption, PeerEncryption::Enabled);
  }
}

QTEST_MAIN(TestSettingsDialog)
#include "tst_settings_dialog.moc"
