// File > Add Magnet or URL with "Also download from" (ui/dialogs/AddLinkDialog):
// a magnet link with its origin URL, and an http(s) URL with its .torrent file
// (typed or picked) or magnet link, reach the engine as one add with
// AddParams::alsoFrom, as the CLI's --origin/--torrent do. A bad link or a
// partner of the wrong kind is named under its field and OK stays disabled.
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

#include "gui/support/AddingHarness.h"

using tributary::test::FakeEngine;
using tributary::test::openAddLinkDialog;
using tributary::test::WindowHarness;
using tributary::ui::AddLinkDialog;
using Kind = FakeEngine::Command::Kind;

namespace {

const QString kMagnet = QStringLiteral("magnet:?xt=urn:btih:") + QString(40, QLatin1Char('c')) +
                        QStringLiteral("&dn=disc.iso");
const QString kUrl = QStringLiteral("http://127.0.0.1:9/pub/disc.iso");

QPushButton* okButton(const AddLinkDialog& dialog) {
  return dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
}

QLabel* label(const AddLinkDialog& dialog, const char* name) {
  return dialog.findChild<QLabel*>(QString::fromLatin1(name));
}

}  // namespace

class TestAddLink : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QVERIFY(scratch_.create()); }
  void init() { scratch_.resetSettings(); }

  void magnetWithItsOriginReachesTheEngine() {
    WindowHarness h;
    AddLinkDialog* dialog = openAddLinkDialog(h);
    QVERIFY(dialog);
    dialog->setLink(kMagnet);
    // A magnet's partner is a URL: no file to pick.
    QVERIFY(!dialog->findChild<QPushButton*>(QStringLiteral("browseAlsoFrom"))->isEnabled());
    dialog->findChild<QLineEdit*>(QStringLiteral("alsoFrom"))->setText(QLatin1Char(' ') + kUrl);
    QVERIFY(label(*dialog, "alsoFromError")->isHidden());
    QVERIFY(okButton(*dialog)->isEnabled());
    okButton(*dialog)->click();

    const auto added = h.engine->commandsOf(Kind::Add);
    QCOMPARE(added.size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(added[0].addParams.source), kMagnet);
    QCOMPARE(QString::fromStdString(added[0].addParams.alsoFrom), kUrl);
    // Paired or not, a magnet still waits for its files to be chosen.
    QVERIFY(added[0].addParams.stopAfterMetadata);
  }

  void urlWithAPickedTorrentReachesTheEngine() {
    WindowHarness h;
    AddLinkDialog* dialog = openAddLinkDialog(h);
    QVERIFY(dialog);
    dialog->setLink(kUrl);
    auto* browse = dialog->findChild<QPushButton*>(QStringLiteral("browseAlsoFrom"));
    QVERIFY(browse->isEnabled());
    browse->click();
    auto* chooser = dialog->findChild<QFileDialog*>(QStringLiteral("alsoFromChooser"));
    QVERIFY(chooser);
    emit chooser->fileSelected(scratch_.disc());
    QCOMPARE(dialog->alsoFrom(), scratch_.disc());
    QVERIFY(okButton(*dialog)->isEnabled());
    okButton(*dialog)->click();

    const auto added = h.engine->commandsOf(Kind::Add);
    QCOMPARE(added.size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(added[0].addParams.source), kUrl);
    QCOMPARE(QString::fromStdString(added[0].addParams.alsoFrom), scratch_.disc());
    QVERIFY(!added[0].addParams.stopAfterMetadata);
  }

  void urlWithAMagnetReachesTheEngine() {
    WindowHarness h;
    AddLinkDialog* dialog = openAddLinkDialog(h);
    QVERIFY(dialog);
    dialog->setLink(kUrl);
    dialog->setAlsoFrom(kMagnet);
    QVERIFY(okButton(*dialog)->isEnabled());
    okButton(*dialog)->click();
    const auto added = h.engine->commandsOf(Kind::Add);
    QCOMPARE(added.size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(added[0].addParams.source), kUrl);
    QCOMPARE(QString::fromStdString(added[0].addParams.alsoFrom), kMagnet);
  }

  void badValuesAreRefused_data() {
    QTest::addColumn<QString>("link");
    QTest::addColumn<QString>("alsoFrom");
    QTest::addColumn<QString>("field");  // the error label that must speak
    QTest::addColumn<QString>("says");
    QTest::newRow("not a link") << "ftp://127.0.0.1/disc.iso"
                                << ""
                                << "linkError"
                                << "neither a magnet link nor an http(s) URL";
    QTest::newRow("magnet without a hash") << "magnet:?xt=urn:btih:1234&dn=x"
                                           << ""
                                           << "linkError"
                                           << "BitTorrent info hash";
    QTest::newRow("url beside a url") << kUrl << "https://127.0.0.1:9/mirror/disc.iso"
                                      << "alsoFromError"
                                      << "not with another URL";
    QTest::newRow("url beside a missing file") << kUrl << "/nonexistent/disc.torrent"
                                               << "alsoFromError"
                                               << "There is no file";
    QTest::newRow("url beside a bad magnet") << kUrl << "magnet:?dn=disc.iso"
                                             << "alsoFromError"
                                             << "BitTorrent info hash";
    QTest::newRow("magnet beside a torrent") << kMagnet << "/home/u/disc.torrent"
                                             << "alsoFromError"
                                             << "another torrent";
    QTest::newRow("magnet beside a magnet") << kMagnet << kMagnet << "alsoFromError"
                                            << "another torrent";
    QTest::newRow("magnet beside ftp") << kMagnet << "ftp://127.0.0.1/disc.iso"
                                       << "alsoFromError"
                                       << "not an http(s) URL";
  }

  void badValuesAreRefused() {
    QFETCH(QString, link);
    QFETCH(QString, alsoFrom);
    QFETCH(QString, field);
    QFETCH(QString, says);
    WindowHarness h;
    AddLinkDialog* dialog = openAddLinkDialog(h);
    QVERIFY(dialog);
    dialog->setLink(link);
    dialog->setAlsoFrom(alsoFrom);
    QLabel* error = label(*dialog, field.toLatin1().constData());
    QVERIFY(error);
    QVERIFY(!error->isHidden());
    QVERIFY2(error->text().contains(says), qPrintable(error->text()));
    QPushButton* ok = okButton(*dialog);
    QVERIFY(!ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QVERIFY(h.engine->commandsOf(Kind::Add).empty());

    // Mended (the partner cleared, the link made good), it may go.
    dialog->setAlsoFrom({});
    if (field == QLatin1String("linkError")) {
      dialog->setLink(kUrl);
    }
    QVERIFY(error->isHidden());
    QVERIFY(ok->isEnabled());
  }

  void emptyLinkCannotBeAdded() {
    WindowHarness h;
    AddLinkDialog* dialog = openAddLinkDialog(h);
    QVERIFY(dialog);
    dialog->setLink(QStringLiteral("  "));
    QVERIFY(!okButton(*dialog)->isEnabled());
    QVERIFY(label(*dialog, "linkError")->isHidden());  // nothing typed, nothing to scold
  }

 private:
  tributary::test::AddScratch scratch_;
};

QTEST_MAIN(TestAddLink)
#include "tst_add_link.moc"
