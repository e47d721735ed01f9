// Public to ui/ and app/: which translations the interface loads. The
// settings' language ("" follows the system, else "en", "zh_CN", ...) picks
// both Qt's own strings (qtbase_*, the dialog buttons) and ours (tributary_*).
// It is read once, at start: widgets already built keep their texts.
#pragma once

#include <QString>

class QCoreApplication;
class QTranslator;

namespace tributary::ui {

class TranslationLoader {
 public:
  // "tributary_zh_CN" for ("tributary", "zh_CN"). Empty for the system
  // default: QTranslator then tries each of the system's UI languages.
  static QString fileName(const QString& prefix, const QString& language);

  // Loads `prefix`'s translation for `language` from `directory` into
  // `translator`. False when there is none, and English shows.
  static bool load(QTranslator& translator, const QString& prefix, const QString& directory,
                   const QString& language);

  // Installs Qt's translation (from Qt's translations folder) and ours (from
  // the :/i18n resources) for `language`; each one missing is skipped.
  static void install(QCoreApplication& app, const QString& language);
};

}  // namespace tributary::ui
