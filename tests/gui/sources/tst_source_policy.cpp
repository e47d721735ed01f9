// The per-task source policy in the GUI over a FakeEngine: the snapshot's
// policy reaches the task row, the context menu's "Sources…" dialog starts
// from the first selected torrent's values and sends every preference, with
// and without a CDN cap, to the selected torrents and magnets only; HTTP
// downloads get a disabled entry. The add dialogs' "Sources" combo reaches
// AddParams::sourcePolicy.
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTest>
#include <memory>

#include "gui/support/AddingHarness.h"
#include "ui/bridge/BridgeTypes.h"
#include "ui/dialogs/AddLinkDialog.h"
#include "ui/dialogs/AddTorrentDialog.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/dialogs/SourcePolicyDialog.h"
#include "ui/widgets/AppSettings.h"
#include "ui/widgets/DetailsGeneralPage.h"
#include "ui/widgets/TaskContextMenu.h"
#include "ui/widgets/TaskDetailsPanel.h"

using namespace tributary;
using tributary::test::FakeEngine;
using tributary::test::makeSnapshot;
using tributary::test::WindowHarness;
using tributary::ui::SourcePolicyDialog;
using tributary::ui::TaskContextMenu;
using Kind = FakeEngine::Command::Kind;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
// Not a whole number of MiB, as a `--cdn-cap 1500K` or a byte count may be.
constexpr std::uint64_t kOddCap = 3 * kMiB + 1;

// 7: a torrent set to Prefer CDN with a cap; 8: an HTTP download; 9: a magnet
// still on the defaults.
Update threeTasks() {
  Update update;
  update.full = true;
  TaskSnapshot torrent = makeSnapshot(7, "disc.iso", TaskState::Downloading, 1000, 10);
  torrent.kind = tributary::TaskKind::Torrent;
  torrent.torrent = TorrentSnapshot{};
  torrent.torrent->infoHashHex = "0123456789abcdef0123456789abcdef01234567";
  torrent.sourcePolicy = SourcePolicy{tributary::SourcePreference::PreferCdn, kOddCap};
  update.tasks.push_back(torrent);
  update.tasks.push_back(makeSnapshot(8, "plain.iso", TaskState::Downloading, 1000, 10));
  TaskSnapshot magnet = makeSnapshot(9, "magnet", TaskState::FetchingMetadata);
  magnet.kind = tributary::TaskKind::Magnet;
  update.tasks.push_back(magnet);
  return update;
}

QAction* findAction(QMenu& menu, const char* name) {
  for (QAction* action : menu.actions()) {
    if (action->objectName() == QLatin1String(name)) {
      return action;
    }
  }
  return nullptr;
}

// The dialog the menu opened, once the previous one (deleted on close) is gone.
SourcePolicyDialog* openedDialog(const WindowHarness& h) {
  const QList<SourcePolicyDialog*> dialogs = h.window->findChildren<SourcePolicyDialog*>();
  return dialogs.size() == 1 ? dialogs.front() : nullptr;
}

template <typename T>
T* child(QWidget* parent, const char* name) {
  return parent->findChild<T*>(QString::fromLatin1(name));
}

}  // namespace

class TestSourcePolicy : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QVERIFY(scratch_.create()); }
  void init() { scratch_.resetSettings(); }

  void snapshotPolicyReachesTheRow() {
    WindowHarness h;
    QVERIFY(h.deliver(threeTasks()));
    const std::optional<ui::TaskDetails> torrent = h.bridge->taskDetails(7);
    QVERIFY(torrent.has_value());
    QCOMPARE(torrent->task.sourcePolicy.preference, ui::SourcePreference::PreferCdn);
    QCOMPARE(torrent->task.sourcePolicy.cdnByteCap, quint64{kOddCap});
    const std::optional<ui::TaskDetails> magnet = h.bridge->taskDetails(9);
    QVERIFY(magnet.has_value());
    QCOMPARE(magnet->task.sourcePolicy, ui::SourcePolicy{});
  }

  // The details panel's General tab names the policy (by kind: a magnet
  // before its metadata has one too); HTTP downloads have no such row.
  void generalTabShowsThePolicy() {
    WindowHarness h;
    QVERIFY(h.deliver(threeTasks()));
    ui::DetailsGeneralPage* general = h.window->detailsPanel()->generalPage();
    QVERIFY(h.selectTask(7));
    QTRY_COMPARE_WITH_TIMEOUT(general->fieldText(QStringLiteral("generalSourcePolicy")),
                              QStringLiteral("Prefer CDN, CDN traffic up to 3.0 MiB"), 5000);
    QVERIFY(h.selectTask(9));
    QTRY_COMPARE_WITH_TIMEOUT(general->fieldText(QStringLiteral("generalSourcePolicy")),
                              QStringLiteral("Balanced, no CDN traffic limit"), 5000);
    QVERIFY(h.selectTask(8));
    QTRY_VERIFY_WITH_TIMEOUT(general->fieldText(QStringLiteral("generalSize")).size() > 0, 5000);
    QVERIFY(general->fieldText(QStringLiteral("generalSourcePolicy")).isEmpty());
  }

  void httpDownloadsHaveNoSourcesEntry() {
    WindowHarness h;
    QVERIFY(h.deliver(threeTasks()));
    TaskContextMenu* menu = h.window->contextMenu();
    std::unique_ptr<QMenu> http = menu->build({8}, {});
    QAction* sources = findAction(*http, "sourcePolicyAction");
    QVERIFY(sources != nullptr);
    QVERIFY(!sources->isEnabled());
    menu->askSourcePolicy({8});  // even when asked directly: nothing to show
    QVERIFY(openedDialog(h) == nullptr);
    std::unique_ptr<QMenu> mixed = menu->build({8, 7}, {});
    QVERIFY(findAction(*mixed, "sourcePolicyAction")->isEnabled());
  }

  void dialogShowsTheFirstTorrentsValues() {
    WindowHarness h;
    QVERIFY(h.deliver(threeTasks()));
    TaskContextMenu* menu = h.window->contextMenu();
    // The HTTP download first in the selection is skipped: task 7 is the first torrent.
    std::unique_ptr<QMenu> built = menu->build({8, 7, 9}, {});
    findAction(*built, "sourcePolicyAction")->trigger();
    SourcePolicyDialog* dialog = openedDialog(h);
    QVERIFY(dialog != nullptr);
    QVERIFY(child<QRadioButton>(dialog, "preferCdn")->isChecked());
    QVERIFY(!child<QRadioButton>(dialog, "preferBalanced")->isChecked());
    QVERIFY(child<QCheckBox>(dialog, "cdnCapEnabled")->isChecked());
    QVERIFY(child<QSpinBox>(dialog, "cdnCapMiB")->isEnabled());
    QCOMPARE(child<QSpinBox>(dialog, "cdnCapMiB")->value(), 4);  // rounded up
    // OK without a change hands the cap back to the byte, not rounded.
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(h.engine->commandsOf(Kind::SetSourcePolicy).size(), std::size_t{2},
                              5000);
    for (const auto& command : h.engine->commandsOf(Kind::SetSourcePolicy)) {
      QCOMPARE(command.sourcePolicy.preference, tributary::SourcePreference::PreferCdn);
      QCOMPARE(command.sourcePolicy.cdnByteCap, kOddCap);
    }

    // Starting from the magnet's defaults: Balanced, no cap.
    QTRY_VERIFY_WITH_TIMEOUT(openedDialog(h) == nullptr, 5000);
    menu->askSourcePolicy({9, 7});
    dialog = openedDialog(h);
    QVERIFY(dialog != nullptr);
    QVERIFY(child<QRadioButton>(dialog, "preferBalanced")->isChecked());
    QVERIFY(!child<QCheckBox>(dialog, "cdnCapEnabled")->isChecked());
    QVERIFY(!child<QSpinBox>(dialog, "cdnCapMiB")->isEnabled());
    dialog->reject();  // Cancel sends nothing
    QTRY_VERIFY_WITH_TIMEOUT(openedDialog(h) == nullptr, 5000);
    QCOMPARE(h.engine->commandsOf(Kind::SetSourcePolicy).size(), std::size_t{2});
  }

  void everyChoiceReachesTheSelectedTorrents_data() {
    QTest::addColumn<QString>("radio");
    QTest::addColumn<int>("capMiB");  // 0 = box unchecked
    QTest::addColumn<int>("preference");
    QTest::newRow("balanced, no cap")
        << "preferBalanced" << 0 << int(tributary::SourcePreference::Balanced);
    QTest::newRow("balanced, 100 MiB")
        << "preferBalanced" << 100 << int(tributary::SourcePreference::Balanced);
    QTest::newRow("prefer P2P, no cap")
        << "preferP2P" << 0 << int(tributary::SourcePreference::PreferP2P);
    QTest::newRow("prefer P2P, 1 MiB")
        << "preferP2P" << 1 << int(tributary::SourcePreference::PreferP2P);
    QTest::newRow("prefer CDN, no cap")
        << "preferCdn" << 0 << int(tributary::SourcePreference::PreferCdn);
    QTest::newRow("prefer CDN, 5000 MiB")
        << "preferCdn" << 5000 << int(tributary::SourcePreference::PreferCdn);
  }

  void everyChoiceReachesTheSelectedTorrents() {
    QFETCH(QString, radio);
    QFETCH(int, capMiB);
    QFETCH(int, preference);
    WindowHarness h;
    QVERIFY(h.deliver(threeTasks()));
    TaskContextMenu* menu = h.window->contextMenu();
    std::unique_ptr<QMenu> built = menu->build({7, 8, 9}, {});
    findAction(*built, "sourcePolicyAction")->trigger();
    SourcePolicyDialog* dialog = openedDialog(h);
    QVERIFY(dialog != nullptr);
    dialog->findChild<QRadioButton*>(radio)->click();
    child<QCheckBox>(dialog, "cdnCapEnabled")->setChecked(capMiB != 0);
    if (capMiB != 0) {
      child<QSpinBox>(dialog, "cdnCapMiB")->setValue(capMiB);
    }
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QTRY_COMPARE_WITH_TIMEOUT(h.engine->commandsOf(Kind::SetSourcePolicy).size(), std::size_t{2},
                              5000);
    const auto commands = h.engine->commandsOf(Kind::SetSourcePolicy);
    QCOMPARE(commands[0].task, TaskId{7});
    QCOMPARE(commands[1].task, TaskId{9});  // the HTTP download (8) is left out
    for (const auto& command : commands) {
      QCOMPARE(int(command.sourcePolicy.preference), preference);
      QCOMPARE(command.sourcePolicy.cdnByteCap, std::uint64_t(capMiB) * kMiB);
    }
  }

  void addTorrentDialogChoiceReachesAddParams_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("preference");
    QTest::newRow("balanced") << 0 << int(tributary::SourcePreference::Balanced);
    QTest::newRow("prefer P2P") << 1 << int(tributary::SourcePreference::PreferP2P);
    QTest::newRow("prefer CDN") << 2 << int(tributary::SourcePreference::PreferCdn);
  }

  void addTorrentDialogChoiceReachesAddParams() {
    QFETCH(int, index);
    QFETCH(int, preference);
    WindowHarness h;
    ui::AddTorrentDialog* dialog = test::openAddTorrentDialog(h, scratch_.disc());
    QVERIFY(dialog);
    auto* combo = child<QComboBox>(dialog, "sourcePreference");
    QVERIFY(combo != nullptr);
    QCOMPARE(combo->currentIndex(), 0);  // Balanced unless chosen
    combo->setCurrentIndex(index);
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    const auto added = h.engine->commandsOf(Kind::Add);
    QCOMPARE(added.size(), std::size_t{1});
    QCOMPARE(int(added[0].addParams.sourcePolicy.preference), preference);
    QCOMPARE(added[0].addParams.sourcePolicy.cdnByteCap, std::uint64_t{0});
  }

  // Settings → Downloads: the default preference is kept, the add dialog starts
  // from it, and a torrent added without a dialog gets it.
  void defaultPreferenceFromSettings() {
    ui::AppSettings settings;
    QCOMPARE(settings.defaultSourcePreference(), ui::SourcePreference::Balanced);
    ui::SettingsDialog dialog;
    dialog.setDefaultSourcePreference(ui::SourcePreference::PreferP2P);
    auto* combo = child<QComboBox>(&dialog, "defaultSourcePreference");
    QVERIFY(combo != nullptr);
    QCOMPARE(combo->currentIndex(), 1);
    combo->setCurrentIndex(2);
    QCOMPARE(dialog.defaultSourcePreference(), ui::SourcePreference::PreferCdn);
    settings.setDefaultSourcePreference(dialog.defaultSourcePreference());
    QCOMPARE(ui::AppSettings().defaultSourcePreference(), ui::SourcePreference::PreferCdn);

    WindowHarness h;
    ui::AddTorrentDialog* add = test::openAddTorrentDialog(h, scratch_.disc());
    QVERIFY(add);
    QCOMPARE(add->sourcePreference(), ui::SourcePreference::PreferCdn);
    add->reject();
    QVERIFY(h.engine->commandsOf(Kind::Add).empty());

    settings.setAskBeforeAddingTorrents(false);
    QCOMPARE(h.window->addSources({scratch_.disc()}), 1);
    const auto added = h.engine->commandsOf(Kind::Add);
    QCOMPARE(added.size(), std::size_t{1});
    QCOMPARE(added[0].addParams.sourcePolicy.preference, tributary::SourcePreference::PreferCdn);
  }

  void addLinkDialogChoiceReachesAddParams() {
    WindowHarness h;
    ui::AddLinkDialog* dialog = test::openAddLinkDialog(h);
    QVERIFY(dialog);
    auto* combo = child<QComboBox>(dialog, "sourcePreference");
    QVERIFY(combo != nullptr);
    // A plain URL has no swarm: nothing to prefer until a torrent joins it.
    dialog->setLink(QStringLiteral("http://127.0.0.1:9/disc.iso"));
    QVERIFY(!combo->isEnabled());
    dialog->setAlsoFrom(scratch_.disc());
    QVERIFY(combo->isEnabled());
    dialog->setAlsoFrom({});
    dialog->setLink(QStringLiteral("magnet:?xt=urn:btih:") + QString(40, QLatin1Char('a')));
    QVERIFY(combo->isEnabled());
    combo->setCurrentIndex(1);
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    const auto added = h.engine->commandsOf(Kind::Add);
    QCOMPARE(added.size(), std::size_t{1});
    QCOMPARE(added[0].addParams.sourcePolicy.preference, tributary::SourcePreference::PreferP2P);
  }

 private:
  test::AddScratch scratch_;
};

QTEST_MAIN(TestSourcePolicy)
#include "tst_source_policy.moc"
