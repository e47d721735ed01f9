#include "ui/widgets/TranslationLoader.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace tributary::ui {

QString TranslationLoader::fileName(const QString& prefix, const QString& language) {
  return language.isEmpty() ? QString() : prefix + QLatin1Char('_') + language;
}

bool TranslationLoader::load(QTranslator& translator, const QString& prefix,
                             const QString& directory, const QString& language) {
  if (language.isEmpty()) {
    return translator.load(QLocale(), prefix, QStringLiteral("_"), directory);
  }
  // By name, not by QLocale(language): a locale's UI languages can list
  // others after its own, and a chosen English must not fall through to them.
  // A missing "tributary_zh_TW" still falls back to "tributary_zh".
  return translator.load(fileName(prefix, language), directory);
}

void TranslationLoader::install(QCoreApplication& app, const QString& language) {
  auto* qtTranslator = new QTranslator(&app);
  if (load(*qtTranslator, QStringLiteral("qtbase"),
           QLibraryInfo::path(QLibraryInfo::TranslationsPath), language)) {
    QCoreApplication::installTranslator(qtTranslator);
  }
  auto* appTranslator = new QTranslator(&app);
  if (load(*appTranslator, QStringLiteral("tributary"), QStringLiteral(":/i18n"), language)) {
    QCoreApplication::installTranslator(appTranslator);
  }
}

}  // namespace tributary::ui
