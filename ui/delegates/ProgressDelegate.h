// Public to ui/: paints a cell as a progress bar from a model's progress role
// (a double in [0, 1]); a cell without one is painted as plain text, so an
// unknown size shows nothing rather than an empty bar.
#pragma once

#include <QStyledItemDelegate>

namespace tributary::ui {

class ProgressDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  ProgressDelegate(int progressRole, QObject* parent = nullptr);

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;

 private:
  int progressRole_;
};

}  // namespace tributary::ui
