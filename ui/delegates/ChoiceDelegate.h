// Public to ui/: edits a cell whose value is one of a few choices (a file's
// priority: skip, normal, high) with a combo box. It reads and writes the
// cell's Qt::EditRole as an int and knows nothing else of the model.
#pragma once

#include <QList>
#include <QString>
#include <QStyledItemDelegate>

namespace tributary::ui {

class ChoiceDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  struct Choice {
    QString text;
    int value = 0;
  };

  explicit ChoiceDelegate(QList<Choice> choices, QObject* parent = nullptr);

  QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                        const QModelIndex& index) const override;
  void setEditorData(QWidget* editor, const QModelIndex& index) const override;
  void setModelData(QWidget* editor, QAbstractItemModel* model,
                    const QModelIndex& index) const override;
  void updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option,
                            const QModelIndex& index) const override;

 private:
  QList<Choice> choices_;
};

}  // namespace tributary::ui
