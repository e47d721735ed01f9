// The task table's context menu over a FakeEngine: its actions for a mixed
// selection (a torrent and an HTTP download), what each sends the engine,
// and the magnet links it copies.
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QMenu>
#include <QSpinBox>
#include <QTest>

#include "gui/support/WindowHarness.h"
#include "support/FakeEngine.h"
#include "ui/bridge/BridgeTypes.h"
#include "ui/widgets/TaskContextMenu.h"

using namespace tributary;
using tributary::test::FakeEngine;
using tributary::test::makeSnapshot;
using tributary::ui::TaskContextMenu;
using Kind = FakeEngine::Command::Kind;

namespace {

constexpr char kHash[] = "0123456789abcdef0123456789abcdef01234567";

Update twoTasks() {
  Update update;
  update.full = true;
  TaskSnapshot torrent = makeSnapshot(7, "Debian 12 & more", TaskState::Seeding, 1000, 1000);
  torrent.kind = TaskKind::Torrent;
  torrent.torrent = TorrentSnapshot{};
  torrent.torrent->infoHashHex = kHash;
  update.tasks.push_back(torrent);
  update.tasks.push_back(makeSnapshot(8, "plain.iso", TaskState::Downloading, 1000, 10));
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

}  // namespace

class TestTaskContextMenu : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { tributary::test::useTestSettings(); }

  void magnetLinkOfATorrentOnly() {
    ui::TaskRow row;
    row.name = QStringLiteral("a b&c");
    QVERIFY(TaskContextMenu::magnetLink(row).isEmpty());
    row.infoHash = QString::fromLatin1(kHash);
    QCOMPARE(TaskContextMenu::magnetLink(row),
             QStringLiteral("magnet:?xt=urn:btih:%1&dn=a%20b%26c").arg(QLatin1String(kHash)));
  }

  void menuForAMixedSelection() {
    tributary::test::WindowHarness h;
    QVERIFY(h.deliver(twoTasks()));
    TaskContextMenu* menu = h.window->contextMenu();
    QVERIFY(menu != nullptr);
    const QList<quint64> both{7, 8};
    std::unique_ptr<QMenu> built = menu->build(both, {h.action("actionResume")});
    QVERIFY(findAction(*built, "openFolderAction") != nullptr);
    QAction* recheck = findAction(*built, "recheckAction");
    QAction* magnet = findAction(*built, "copyMagnetAction");
    QVERIFY(recheck && recheck->isEnabled());
    QVERIFY(magnet && magnet->isEnabled());

    // Only the torrent is rechecked; only it has a magnet link.
    recheck->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(h.engine->commandsOf(Kind::Recheck).size(), std::size_t{1}, 5000);
    QCOMPARE(h.engine->commandsOf(Kind::Recheck)[0].task, TaskId{7});
    magnet->trigger();
    QCOMPARE(QApplication::clipboard()->text(),
             QStringLiteral("magnet:?xt=urn:btih:%1&dn=Debian%2012%20%26%20more")
                 .arg(QLatin1String(kHash)));

    // An HTTP download alone: nothing to recheck, no magnet.
    std::unique_ptr<QMenu> http = menu->build({8}, {});
    QVERIFY(!findAction(*http, "recheckAction")->isEnabled());
    QVERIFY(!findAction(*http, "copyMagnetAction")->isEnabled());
  }

  // Set location: asked where (from the first task's folder), sent for the
  // torrent only; cancelling sends nothing.
  void setLocationOfTheTorrent() {
    tributary::test::WindowHarness h;
    QVERIFY(h.deliver(twoTasks()));
    TaskContextMenu* menu = h.window->contextMenu();
    QVERIFY(menu != nullptr);
    QString askedFrom;
    QString answer;
    menu->setFolderChooser([&](const QString& start) {
      askedFrom = start;
      return answer;
    });
    std::unique_ptr<QMenu> built = menu->build({7, 8}, {});
    QAction* location = findAction(*built, "setLocationAction");
    QVERIFY(location && location->isEnabled());
    location->trigger();  // cancelled
    QCOMPARE(askedFrom,
             QString::fromStdString(makeSnapshot(7, "x", TaskState::Seeding, 1, 1).saveDir));
    answer = QStringLiteral("/media/disk2/downloads/");
    location->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(h.engine->commandsOf(Kind::SetLocation).size(), std::size_t{1}, 5000);
    QCOMPARE(h.engine->commandsOf(Kind::SetLocation)[0].task, TaskId{7});
    QCOMPARE(h.engine->commandsOf(Kind::SetLocation)[0].saveDir,
             std::string("/media/disk2/downloads"));
    std::unique_ptr<QMenu> http = menu->build({8}, {});
    QVERIFY(!findAction(*http, "setLocationAction")->isEnabled());
  }

  void speedLimitsDialog() {
    tributary::test::WindowHarness h;
    QVERIFY(h.deliver(twoTasks()));
    TaskContextMenu* menu = h.window->contextMenu();
    menu->askLimits({7, 8});
    auto* dialog = h.window->findChild<QDialog*>(QStringLiteral("taskLimitsDialog"));
    QVERIFY(dialog != nullptr);
    dialog->findChild<QSpinBox*>(QStringLiteral("downloadLimit"))->setValue(512);
    dialog->findChild<QSpinBox*>(QStringLiteral("uploadLimit"))->setValue(0);
    dialog->accept();
    QTRY_COMPARE_WITH_TIMEOUT(h.engine->commandsOf(Kind::TaskLimits).size(), std::size_t{2}, 5000);
    for (const auto& command : h.engine->commandsOf(Kind::TaskLimits)) {
      QCOMPARE(command.maxDownloadRate, std::uint64_t{512 * 1024});
      QCOMPARE(command.maxUploadRate, std::uint64_t{0});  // unlimited
    }
  }
};

QTEST_MAIN(TestTaskContextMenu)
#include "tst_task_context_menu.moc"
