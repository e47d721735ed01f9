// Public to ui/: how sizes, rates and durations read in every view, in the
// user's locale.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QtGlobal>

namespace tributary::ui {

class Format {
  Q_DECLARE_TR_FUNCTIONS(Format)

 public:
  static QString bytes(quint64 bytes);          // "1.5 MiB"
  static QString rate(quint64 bytesPerSecond);  // "1.5 MiB/s"
  static QString duration(qint64 seconds);      // "2h 05m"
  static QString percent(double fraction);      // "42.5%"
};

}  // namespace tributary::ui
