// The language setting picks the translation files: our own and Qt's, by
// name for a chosen language, by the system locale for "System default".
// Qt's installed qtbase_*.qm files stand in for ours (which live only in the
// tributary executable's resources); the test skips where they are missing.
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QTest>
#include <QTranslator>

#include "ui/widgets/TranslationLoader.h"

using tributary::ui::TranslationLoader;

namespace {
QString loadedFile(const QTranslator& translator) {
  return QFileInfo(translator.filePath()).fileName();
}
}  // namespace

class TestTranslationLoader : public QObject {
  Q_OBJECT

 private slots:
  void fileNames();
  void chosenLanguageWinsOverTheSystem();
  void cleanup();

 private:
  QString qtTranslations_ = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
};

void TestTranslationLoader::cleanup() {
  QLocale::setDefault(QLocale::system());
}

void TestTranslationLoader::fileNames() {
  QCOMPARE(TranslationLoader::fileName(QStringLiteral("tributary"), QStringLiteral("zh_CN")),
           QStringLiteral("tributary_zh_CN"));
  QCOMPARE(TranslationLoader::fileName(QStringLiteral("qtbase"), QStringLiteral("en")),
           QStringLiteral("qtbase_en"));
  // The system default names no file: the locale picks it.
  QCOMPARE(TranslationLoader::fileName(QStringLiteral("tributary"), QString()), QString());
}

void TestTranslationLoader::chosenLanguageWinsOverTheSystem() {
  const QDir dir(qtTranslations_);
  if (!dir.exists(QStringLiteral("qtbase_zh_CN.qm")) ||
      !dir.exists(QStringLiteral("qtbase_en.qm"))) {
    QSKIP("Qt's translations (qtbase_zh_CN.qm, qtbase_en.qm) are not installed");
  }
  const QString qtbase = QStringLiteral("qtbase");
  // A Chinese system.
  QLocale::setDefault(QLocale(QStringLiteral("zh_CN")));
  {
    QTranslator system;
    QVERIFY(TranslationLoader::load(system, qtbase, qtTranslations_, QString()));
    QCOMPARE(loadedFile(system), QStringLiteral("qtbase_zh_CN.qm"));
    QTranslator english;
    QVERIFY(TranslationLoader::load(english, qtbase, qtTranslations_, QStringLiteral("en")));
    QCOMPARE(loadedFile(english), QStringLiteral("qtbase_en.qm"));
  }
  // An English system with Chinese chosen.
  QLocale::setDefault(QLocale(QStringLiteral("en_US")));
  QTranslator chinese;
  QVERIFY(TranslationLoader::load(chinese, qtbase, qtTranslations_, QStringLiteral("zh_CN")));
  QCOMPARE(loadedFile(chinese), QStringLiteral("qtbase_zh_CN.qm"));
  // A language nobody translated loads nothing, and English shows.
  QTranslator missing;
  QVERIFY(!TranslationLoader::load(missing, QStringLiteral("tributary"), qtTranslations_,
                                   QStringLiteral("xx")));
}

QTEST_GUILESS_MAIN(TestTranslationLoader)
#include "tst_translation_loader.moc"
