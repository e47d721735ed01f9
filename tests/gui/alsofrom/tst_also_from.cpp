// The add dialog's "Also download from" field (ui/dialogs/AddTorrentDialog):
// an http(s) URL is the torrent's origin, a multi-file torrent's only as a
// folder ending in '/'; a magnet, another .torrent or anything else is named
// in a clear error under the field and OK stays disabled until it is mended.
// From the window, the URL reaches the engine as AddParams::alsoFrom.
#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

#include "gui/support/AddingHarness.h"
#include "ui/bridge/TorrentPreview.h"
#include "ui/dialogs/AddTorrentDialog.h"
#include "ui/widgets/AppSettings.h"

using tributary::AddParams;
using tributary::Result;
using tributary::TaskId;
using tributary::test::WindowHarness;
using tributary::ui::AddTorrentDialog;
using tributary::ui::AppSettings;
using tributary::ui::TorrentPreview;

class TestAlsoFrom : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(scratch_.create());
    album_ = scratch_.filePath(QStringLiteral("album.torrent"));
    QVERIFY(tributary::test::writeAlbumTorrent(album_));
  }

  void init() { QSettings().clear(); }

  void singleFileOriginIsAnHttpUrl() {
    AddTorrentDialog dialog(scratch_.disc(), TorrentPreview::fromFile(scratch_.disc()).preview,
                            QStringLiteral("/srv/downloads"));
    QPushButton* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    auto* field = dialog.findChild<QLineEdit*>(QStringLiteral("alsoFrom"));
    auto* error = dialog.findChild<QLabel*>(QStringLiteral("alsoFromError"));
    QVERIFY(field && error);
    // Empty: no origin, nothing to say.
    QVERIFY(ok->isEnabled());
    QVERIFY(error->isHidden());
    QCOMPARE(dialog.alsoFrom(), QString());

    field->setText(QStringLiteral("magnet:?xt=urn:btih:") + QString(40, QLatin1Char('a')));
    QVERIFY(!ok->isEnabled());
    QVERIFY(!error->isHidden());
    QVERIFY2(error->text().contains(QStringLiteral("another torrent")), qPrintable(error->text()));

    field->setText(QStringLiteral("/home/u/other.torrent"));
    QVERIFY(!ok->isEnabled());
    QVERIFY(error->text().contains(QStringLiteral("another torrent")));

    field->setText(QStringLiteral("ftp://example.com/disc.iso"));
    QVERIFY(!ok->isEnabled());
    QVERIFY(error->text().contains(QStringLiteral("not an http(s) URL")));

    field->setText(QStringLiteral("  https://example.com/pub/disc.iso "));
    QVERIFY(ok->isEnabled());
    QVERIFY(error->isHidden());
    QCOMPARE(dialog.alsoFrom(), QStringLiteral("https://example.com/pub/disc.iso"));
  }

  void multiFileOriginIsAFolder() {
    const TorrentPreview preview = TorrentPreview::fromFile(album_).preview;
    QVERIFY(preview.multiFile);
    AddTorrentDialog dialog(album_, preview, QStringLiteral("/srv/downloads"));
    QPushButton* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    auto* error = dialog.findChild<QLabel*>(QStringLiteral("alsoFromError"));
    dialog.setAlsoFrom(QStringLiteral("http://example.com/pub/album.zip"));
    QVERIFY(!ok->isEnabled());
    QVERIFY2(error->text().contains(QStringLiteral("“album/”")), qPrintable(error->text()));
    dialog.setAlsoFrom(QStringLiteral("http://example.com/pub/"));
    QVERIFY(ok->isEnabled());
    QVERIFY(error->isHidden());
    // The other checks still hold beside it.
    dialog.setSaveDir(QStringLiteral(" "));
    QVERIFY(!ok->isEnabled());
  }

  void originFromTheWindowReachesTheEngine() {
    AppSettings().setDefaultSaveDir(scratch_.path());
    WindowHarness h;
    auto seen = std::make_shared<std::vector<AddParams>>();
    h.engine->setAddHandler([seen](const AddParams& params) -> Result<TaskId> {
      seen->push_back(params);
      return static_cast<TaskId>(seen->size());
    });
    AddTorrentDialog* dialog = tributary::test::openAddTorrentDialog(h, album_);
    QVERIFY(dialog);
    dialog->findChild<QLineEdit*>(QStringLiteral("alsoFrom"))
        ->setText(QStringLiteral("http://127.0.0.1:9/pub/"));
    dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    QCOMPARE(seen->size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(seen->front().source), album_);
    QCOMPARE(seen->front().alsoFrom, std::string("http://127.0.0.1:9/pub/"));
  }

 private:
  tributary::test::AddScratch scratch_;
  QString album_;
};

QTEST_MAIN(TestAlsoFrom)
#include "tst_also_from.moc"
