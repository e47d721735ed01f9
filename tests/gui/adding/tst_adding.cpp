// Adding downloads to the main window: the Add Torrent action (Ctrl+O, a file
// dialog, the settings' default folder), drops in every MIME form file
// managers and browsers send, and refusals shown in words that name the file
// and the reason, from a FakeEngine and from the real engine.
#include <QApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolBar>
#include <QUrl>

#include "engine/api/Engine.h"
#include "gui/support/WindowHarness.h"
#include "ui/dialogs/SettingsDialog.h"
#include "ui/widgets/AppSettings.h"
#include "ui/widgets/DroppedSources.h"
#include "ui/widgets/SourceAdder.h"

using tributary::Error;
using tributary::ErrorCode;
using tributary::Result;
using tributary::TaskId;
using tributary::test::WindowHarness;
using tributary::ui::AppSettings;
using tributary::ui::DroppedSources;
using tributary::ui::MainWindow;
using Kind = tributary::test::FakeEngine::Command::Kind;
using Sources = std::vector<std::string>;

namespace {

// What a drag from a file manager or a browser carries; each entry is a MIME
// type and its bytes.
using MimeParts = QList<std::pair<QString, QByteArray>>;

std::unique_ptr<QMimeData> mimeOf(const MimeParts& parts) {
  auto mime = std::make_unique<QMimeData>();
  for (const auto& [type, bytes] : parts) {
    mime->setData(type, bytes);
  }
  return mime;
}

// Firefox's text/x-moz-url: UTF-16, "URL\ntitle".
QByteArray mozUrl(const QString& url, const QString& title) {
  const QString text = url + QLatin1Char('\n') + title;
  return QByteArray(reinterpret_cast<const char*>(text.utf16()), text.size() * 2);
}

// Sends the enter and drop events a real drag sends; returns whether the
// window accepted the drag when it entered.
bool dropOn(MainWindow* window, const QMimeData* mime) {
  const QPoint at = window->rect().center();
  QDragEnterEvent enter(at, Qt::CopyAction | Qt::LinkAction, mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(window, &enter);
  const bool accepted = enter.isAccepted();
  if (accepted) {
    QDropEvent drop(QPointF(at), Qt::CopyAction | Qt::LinkAction, mime, Qt::LeftButton,
                    Qt::NoModifier);
    QApplication::sendEvent(window, &drop);
  }
  return accepted;
}

QString errorBoxText(MainWindow* window) {
  auto* box = window->findChild<QMessageBox*>(QStringLiteral("addErrorBox"));
  return box && box->isVisible() ? box->text() : QString();
}

Result<TaskId> refuseBadTorrents(const tributary::AddParams& params) {
  static TaskId next = 100;
  if (params.source.ends_with("bad.torrent")) {
    return Error{ErrorCode::InvalidTorrent, "piece length is not a power of two"};
  }
  if (params.source.starts_with("magnet:?xt=urn:btih:abc")) {
    return Error{ErrorCode::InvalidMagnet,
                 "'xt' is not a 40-digit hex or 32-character base32 hash"};
  }
  return ++next;
}

}  // namespace

class TestAdding : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();

  void addTorrentActionIsInMenuAndToolbar();
  void addTorrentDialogAddsToTheDefaultFolder();
  void cancelledDialogAddsNothing();
  void settingsChooseTheDefaultFolder();
  void dropAddsTheRightSource_data();
  void dropAddsTheRightSource();
  void dropOfOtherFilesIsRefused();
  void dropIsACopyNeverAMove();
  void badTorrentErrorNamesFileAndReason();
  void badMagnetShowsWhy();
  void errorsOfSeveralAddsShareOneBox();
  void realEngineRefusesBrokenTorrentAndMagnet();

 private:
  QTemporaryDir scratch_;
};

void TestAdding::initTestCase() {
  tributary::test::useTestSettings();
  QVERIFY(scratch_.isValid());
}

void TestAdding::init() {
  QSettings().clear();
  // These tests are about what reaches the engine and how refusals read; the
  // add dialog a .torrent opens first is tests/gui/adddialog's.
  AppSettings().setAskBeforeAddingTorrents(false);
}

void TestAdding::addTorrentActionIsInMenuAndToolbar() {
  WindowHarness h;
  QAction* add = h.action("actionAddTorrent");
  QVERIFY(add);
  QCOMPARE(add->shortcut(), QKeySequence(QKeySequence::Open));
  QCOMPARE(add->shortcut(), QKeySequence(QStringLiteral("Ctrl+O")));
  auto* toolBar = h.window->findChild<QToolBar*>(QStringLiteral("mainToolBar"));
  QVERIFY(toolBar->actions().contains(add));
  QMenu* file = h.window->menuBar()->actions().first()->menu();
  QVERIFY(file && file->actions().contains(add));
  QVERIFY(add->text().contains(QStringLiteral("Torrent")));
}

void TestAdding::addTorrentDialogAddsToTheDefaultFolder() {
  const QString downloads = scratch_.filePath(QStringLiteral("downloads"));
  QVERIFY(QDir().mkpath(downloads));
  AppSettings().setDefaultSaveDir(downloads);
  const QString torrents = scratch_.filePath(QStringLiteral("torrents"));
  QVERIFY(QDir().mkpath(torrents));
  const QString torrent = QDir(torrents).filePath(QStringLiteral("ubuntu.torrent"));
  QFile file(torrent);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write("d4:infod4:name1:xee");
  file.close();

  WindowHarness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  bool sawDialog = false;
  QTimer::singleShot(0, this, [&] {
    auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
    if (!dialog) {
      return;
    }
    sawDialog = true;
    QVERIFY(dialog->nameFilters().first().contains(QStringLiteral("*.torrent")));
    QCOMPARE(dialog->fileMode(), QFileDialog::ExistingFiles);
    dialog->selectFile(torrent);
    static_cast<QDialog*>(dialog)->accept();  // QFileDialog's override is protected
  });
  h.action("actionAddTorrent")->trigger();
  QVERIFY(sawDialog);
  const auto adds = h.engine->commandsOf(Kind::Add);
  QCOMPARE(adds.size(), std::size_t{1});
  QCOMPARE(QString::fromStdString(adds[0].source), torrent);
  QCOMPARE(QString::fromStdString(adds[0].saveDir), downloads);
  QVERIFY(h.window->statusBar()->currentMessage().contains(QStringLiteral("ubuntu.torrent")));
  // The next dialog opens where this file was.
  QCOMPARE(AppSettings().lastTorrentDir(), torrents);
}

void TestAdding::cancelledDialogAddsNothing() {
  WindowHarness h;
  bool sawDialog = false;
  QTimer::singleShot(0, this, [&] {
    if (auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget())) {
      sawDialog = true;
      dialog->reject();
    }
  });
  h.action("actionAddTorrent")->trigger();
  QVERIFY(sawDialog);
  QVERIFY(h.engine->commandsOf(Kind::Add).empty());
}

void TestAdding::settingsChooseTheDefaultFolder() {
  const QString chosen = scratch_.filePath(QStringLiteral("chosen"));
  QVERIFY(QDir().mkpath(chosen));
  WindowHarness h;
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  QString shown;
  QTimer::singleShot(0, this, [&] {
    auto* dialog = qobject_cast<tributary::ui::SettingsDialog*>(QApplication::activeModalWidget());
    if (!dialog) {
      return;
    }
    auto* folder = dialog->findChild<QLineEdit*>(QStringLiteral("defaultSaveDir"));
    shown = folder->text();
    folder->setText(chosen);
    dialog->accept();
  });
  h.action("actionSettings")->trigger();
  QCOMPARE(shown, AppSettings::systemDownloadDir());  // nothing chosen yet
  QCOMPARE(AppSettings().defaultSaveDir(), chosen);

  // The next add goes there, and so does one from a window made later (a restart).
  QVERIFY(h.window->addSource(QStringLiteral("https://example.org/a.iso")).isEmpty());
  WindowHarness later;
  QVERIFY(later.window->addSource(QStringLiteral("https://example.org/b.iso")).isEmpty());
  QCOMPARE(QString::fromStdString(h.engine->commandsOf(Kind::Add).at(0).saveDir), chosen);
  QCOMPARE(QString::fromStdString(later.engine->commandsOf(Kind::Add).at(0).saveDir), chosen);
}

void TestAdding::dropAddsTheRightSource_data() {
  QTest::addColumn<MimeParts>("parts");
  QTest::addColumn<QStringList>("expected");
  const QString magnet = QStringLiteral(
      "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=a%20b&tr=udp%3A%2F%2Ft");
  const QString url = QStringLiteral("https://example.org/pub/big%20file.iso?sig=a%2Bb");

  QTest::newRow("file manager: uri-list of .torrent files")
      << MimeParts{{QStringLiteral("text/uri-list"),
                    "file:///srv/t/one.torrent\r\nfile:///srv/t/two%20words.TORRENT\r\n"}}
      << QStringList{QStringLiteral("/srv/t/one.torrent"),
                     QStringLiteral("/srv/t/two words.TORRENT")};
  QTest::newRow("file manager: uri-list with a comment line")
      << MimeParts{{QStringLiteral("text/uri-list"), "# from nautilus\r\nfile:///a/x.torrent\r\n"}}
      << QStringList{QStringLiteral("/a/x.torrent")};
  QTest::newRow("text/plain magnet")
      << MimeParts{{QStringLiteral("text/plain"), magnet.toUtf8()}} << QStringList{magnet};
  QTest::newRow("text/plain several links")
      << MimeParts{{QStringLiteral("text/plain"),
                    (url + QStringLiteral("\n  \n") + magnet).toUtf8()}}
      << QStringList{url, magnet};
  QTest::newRow("text/plain local path")
      << MimeParts{{QStringLiteral("text/plain"), "/home/u/Downloads/x.torrent\n"}}
      << QStringList{QStringLiteral("/home/u/Downloads/x.torrent")};
  QTest::newRow("uri-list http URL")
      << MimeParts{{QStringLiteral("text/uri-list"), url.toUtf8()}} << QStringList{url};
  QTest::newRow("uri-list magnet")
      << MimeParts{{QStringLiteral("text/uri-list"), magnet.toUtf8()}} << QStringList{magnet};
  QTest::newRow("firefox: x-moz-url only")
      << MimeParts{{QStringLiteral("text/x-moz-url"), mozUrl(url, QStringLiteral("Big file"))}}
      << QStringList{url};
  QTest::newRow("firefox: every form at once, added once")
      << MimeParts{{QStringLiteral("text/x-moz-url"), mozUrl(url, QStringLiteral("Big file"))},
                   {QStringLiteral("text/uri-list"), url.toUtf8()},
                   {QStringLiteral("text/plain"), url.toUtf8()},
                   {QStringLiteral("text/html"), ("<a href=\"" + url + "\">Big file</a>").toUtf8()}}
      << QStringList{url};
  QTest::newRow("chrome: uri-list and text")
      << MimeParts{{QStringLiteral("text/uri-list"), magnet.toUtf8()},
                   {QStringLiteral("text/plain"), magnet.toUtf8()}}
      << QStringList{magnet};
}

void TestAdding::dropAddsTheRightSource() {
  QFETCH(MimeParts, parts);
  QFETCH(QStringList, expected);
  const auto mime = mimeOf(parts);
  QCOMPARE(DroppedSources::fromMimeData(mime.get()).sources, expected);

  WindowHarness h;
  QVERIFY(dropOn(h.window.get(), mime.get()));
  Sources wanted;
  for (const QString& source : expected) {
    wanted.push_back(source.toStdString());
  }
  QCOMPARE(h.addedSources(), wanted);
  const auto adds = h.engine->commandsOf(Kind::Add);
  QCOMPARE(QString::fromStdString(adds[0].saveDir), AppSettings().defaultSaveDir());
  QVERIFY(errorBoxText(h.window.get()).isEmpty());
}

void TestAdding::dropOfOtherFilesIsRefused() {
  WindowHarness h;
  // Only things that are not downloads: the cursor says no, nothing is added.
  const auto notes = mimeOf({{QStringLiteral("text/uri-list"), "file:///tmp/notes.txt\r\n"}});
  QVERIFY(!dropOn(h.window.get(), notes.get()));
  const auto words = mimeOf({{QStringLiteral("text/plain"), "just some words"}});
  QVERIFY(!dropOn(h.window.get(), words.get()));
  QVERIFY(h.addedSources().empty());

  // Mixed with a torrent: the torrent is added, the text file is named as refused.
  const auto mixed = mimeOf(
      {{QStringLiteral("text/uri-list"), "file:///tmp/notes.txt\r\nfile:///tmp/good.torrent\r\n"}});
  QVERIFY(dropOn(h.window.get(), mixed.get()));
  QCOMPARE(h.addedSources(), Sources{"/tmp/good.torrent"});
  const QString text = errorBoxText(h.window.get());
  QVERIFY2(text.contains(QStringLiteral("notes.txt")), qPrintable(text));
  QVERIFY2(!text.contains(QStringLiteral("good.torrent")), qPrintable(text));
}

void TestAdding::dropIsACopyNeverAMove() {
  WindowHarness h;
  const auto mime = mimeOf({{QStringLiteral("text/uri-list"), "file:///srv/t/keep.torrent\r\n"}});
  const QPoint at = h.window->rect().center();
  // A file manager offering a move (Shift held): we still only copy.
  QDragEnterEvent enter(at, Qt::MoveAction | Qt::CopyAction, mime.get(), Qt::LeftButton,
                        Qt::ShiftModifier);
  QApplication::sendEvent(h.window.get(), &enter);
  QVERIFY(enter.isAccepted());
  QCOMPARE(enter.dropAction(), Qt::CopyAction);
  QDropEvent drop(QPointF(at), Qt::MoveAction | Qt::CopyAction, mime.get(), Qt::LeftButton,
                  Qt::ShiftModifier);
  QApplication::sendEvent(h.window.get(), &drop);
  QVERIFY(drop.isAccepted());
  QCOMPARE(drop.dropAction(), Qt::CopyAction);
  QCOMPARE(h.addedSources(), Sources{"/srv/t/keep.torrent"});

  // Only a move on offer: refused rather than taken as one.
  QDragEnterEvent moveOnly(at, Qt::MoveAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(h.window.get(), &moveOnly);
  QVERIFY(!moveOnly.isAccepted());
}

void TestAdding::badTorrentErrorNamesFileAndReason() {
  WindowHarness h;
  h.engine->setAddHandler(refuseBadTorrents);
  h.window->show();
  QVERIFY(QTest::qWaitForWindowExposed(h.window.get()));
  const auto mime = mimeOf({{QStringLiteral("text/uri-list"), "file:///srv/t/bad.torrent\r\n"}});
  QVERIFY(dropOn(h.window.get(), mime.get()));
  QCOMPARE(h.addedSources(), Sources{"/srv/t/bad.torrent"});  // asked, and refused
  const QString text = errorBoxText(h.window.get());
  QVERIFY2(text.contains(QStringLiteral("“bad.torrent”: Invalid torrent file: piece length is "
                                        "not a power of two")),
           qPrintable(text));
  QVERIFY(h.window->statusBar()->currentMessage().contains(QStringLiteral("bad.torrent")));
  // The box never blocks: the drop handler has returned and the window is live.
  auto* box = h.window->findChild<QMessageBox*>(QStringLiteral("addErrorBox"));
  QVERIFY(box);
  QCOMPARE(box->textFormat(), Qt::PlainText);
  box->accept();
  QTRY_VERIFY_WITH_TIMEOUT(!h.window->findChild<QMessageBox*>(QStringLiteral("addErrorBox")), 5000);
}

void TestAdding::badMagnetShowsWhy() {
  WindowHarness h;
  h.engine->setAddHandler(refuseBadTorrents);
  const auto mime = mimeOf({{QStringLiteral("text/plain"), "magnet:?xt=urn:btih:abc"}});
  QVERIFY(dropOn(h.window.get(), mime.get()));
  const QString text = errorBoxText(h.window.get());
  QVERIFY2(text.contains(QStringLiteral("“magnet:?xt=urn:btih:abc”: ")), qPrintable(text));
  QVERIFY2(text.contains(QStringLiteral("40-digit hex")), qPrintable(text));
}

void TestAdding::errorsOfSeveralAddsShareOneBox() {
  WindowHarness h;
  h.engine->setAddHandler(refuseBadTorrents);
  const auto first = mimeOf(
      {{QStringLiteral("text/uri-list"), "file:///a/bad.torrent\r\nfile:///a/fine.torrent\r\n"}});
  QVERIFY(dropOn(h.window.get(), first.get()));
  const auto second = mimeOf({{QStringLiteral("text/plain"), "magnet:?xt=urn:btih:abc"}});
  QVERIFY(dropOn(h.window.get(), second.get()));
  QCOMPARE(h.window->findChildren<QMessageBox*>().size(), 1);
  const QString text = errorBoxText(h.window.get());
  QVERIFY(text.contains(QStringLiteral("bad.torrent")));
  QVERIFY(text.contains(QStringLiteral("magnet:?xt=urn:btih:abc")));
  QVERIFY(!text.contains(QStringLiteral("fine.torrent")));
  QVERIFY(text.startsWith(QStringLiteral("2 downloads could not be added:")));
}

void TestAdding::realEngineRefusesBrokenTorrentAndMagnet() {
  tributary::EngineConfig config;
  config.loopThreads = 1;
  config.workerThreads = 1;
  config.enableDht = false;
  config.enableLsd = false;
  tributary::ui::EngineBridge bridge(config);
  QVERIFY(bridge.hasEngine());
  MainWindow window(&bridge);

  const QString broken = scratch_.filePath(QStringLiteral("broken.torrent"));
  QFile file(broken);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write("this is not bencode");
  file.close();
  const auto mime =
      mimeOf({{QStringLiteral("text/uri-list"), QUrl::fromLocalFile(broken).toEncoded() + "\r\n"},
              {QStringLiteral("text/plain"), "ignored: uri-list wins"}});
  QVERIFY(dropOn(&window, mime.get()));
  QString text = errorBoxText(&window);
  QVERIFY2(text.contains(QStringLiteral("“broken.torrent”: Invalid torrent file")),
           qPrintable(text));

  // A magnet is accepted now; one without an info-hash is refused with the reason.
  QVERIFY2(
      window
          .addSource(QStringLiteral("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"))
          .isEmpty(),
      "a good magnet was refused");
  const QString error = window.addSource(QStringLiteral("magnet:?dn=no%20hash"));
  QVERIFY2(error.contains(QStringLiteral("info-hash")), qPrintable(error));
}

QTEST_MAIN(TestAdding)
#include "tst_adding.moc"
