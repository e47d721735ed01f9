// Internal to ui/bridge: the only place engine error codes become words
// (STYLE.md: "the engine reports error codes; ui/ turns them into translated words").
#pragma once

#include <QCoreApplication>
#include <QString>
#include <string>

#include "engine/api/Error.h"

namespace tributary::ui {

class ErrorText {
  Q_DECLARE_TR_FUNCTIONS(ErrorText)

 public:
  // A short sentence for `code`; the engine's untranslated detail (a URL, an
  // errno text) follows it when there is one. Empty for ErrorCode::Ok.
  static QString describe(ErrorCode code, const std::string& detail = {});

 private:
  static QString phrase(ErrorCode code);
};

}  // namespace tributary::ui
