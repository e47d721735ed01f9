// Public to ui/models: what every table of ours does the same way with its
// columns. Figures align right, words left, in cells and headers alike; a
// horizontal header shows the column's title and alignment, nothing else.
#pragma once

#include <QVariant>
#include <Qt>

namespace tributary::ui {

inline QVariant columnAlignment(bool numeric) {
  return QVariant::fromValue(Qt::AlignVCenter | (numeric ? Qt::AlignRight : Qt::AlignLeft));
}

// `title()` (a translated string) is asked for only when the display role is.
template <class Title>
QVariant columnHeader(Qt::Orientation orientation, int role, bool numeric, Title title) {
  if (orientation != Qt::Horizontal) {
    return {};
  }
  if (role == Qt::TextAlignmentRole) {
    return columnAlignment(numeric);
  }
  return role == Qt::DisplayRole ? QVariant(title()) : QVariant();
}

}  // namespace tributary::ui
