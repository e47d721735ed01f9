#include "ui/models/Format.h"

#include <QLocale>

namespace tributary::ui {

QString Format::bytes(quint64 bytes) {
  constexpr quint64 kKibibyte = 1024;
  if (bytes < kKibibyte) {
    // Qt spells these out ("0 bytes"); the unit symbol keeps columns narrow.
    return tr("%1 B", "bytes").arg(QLocale().toString(bytes));
  }
  return QLocale().formattedDataSize(static_cast<qint64>(bytes), 1, QLocale::DataSizeIecFormat);
}

QString Format::rate(quint64 bytesPerSecond) {
  return tr("%1/s", "transfer rate").arg(bytes(bytesPerSecond));
}

QString Format::duration(qint64 seconds) {
  constexpr qint64 kMinute = 60;
  constexpr qint64 kHour = 60 * kMinute;
  constexpr qint64 kDay = 24 * kHour;
  // Two units are enough to plan by; more is noise that changes every tick.
  auto pad = [](qint64 value) { return QStringLiteral("%1").arg(value, 2, 10, QLatin1Char('0')); };
  if (seconds < kMinute) {
    return tr("%1s", "seconds").arg(qMax<qint64>(seconds, 0));
  }
  if (seconds < kHour) {
    return tr("%1m %2s", "minutes seconds").arg(seconds / kMinute).arg(pad(seconds % kMinute));
  }
  if (seconds < kDay) {
    return tr("%1h %2m", "hours minutes").arg(seconds / kHour).arg(pad(seconds % kHour / kMinute));
  }
  return tr("%1d %2h", "days hours").arg(seconds / kDay).arg(seconds % kDay / kHour);
}

QString Format::percent(double fraction) {
  return tr("%1%", "percentage").arg(QLocale().toString(fraction * 100.0, 'f', 1));
}

}  // namespace tributary::ui
