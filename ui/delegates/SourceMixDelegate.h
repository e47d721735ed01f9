// Public to ui/: paints the task list's source-mix cell: a thin bar split in
// the shares of BT, HTTP and CDN bytes (the model's mix role: a list of three
// fractions), under the cell's text ("BT 89% · CDN 11%"). A cell without a
// mix (nothing downloaded yet) is plain text.
#pragma once

#include <QStyledItemDelegate>

namespace tributary::ui {

class SourceMixDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  SourceMixDelegate(int mixRole, QObject* parent = nullptr);

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;

  static constexpr int kBarHeight = 4;

 private:
  int mixRole_;
};

}  // namespace tributary::ui
