#include "ui/delegates/ChoiceDelegate.h"

#include <QComboBox>
#include <utility>

namespace tributary::ui {

namespace {
// Set once the editor shows the model's value; see setEditorData.
constexpr char kLoadedProperty[] = "choiceDelegateLoaded";
}  // namespace

ChoiceDelegate::ChoiceDelegate(QList<Choice> choices, QObject* parent)
    : QStyledItemDelegate(parent), choices_(std::move(choices)) {}

QWidget* ChoiceDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&,
                                      const QModelIndex&) const {
  auto* combo = new QComboBox(parent);
  combo->setObjectName(QStringLiteral("choiceEditor"));
  for (const Choice& choice : choices_) {
    combo->addItem(choice.text, choice.value);
  }
  // A pick is the whole edit: commit it at once instead of waiting for the
  // focus to move, so the next tick of the model already carries it.
  auto* self = const_cast<ChoiceDelegate*>(this);
  connect(combo, &QComboBox::activated, self, [self, combo] {
    emit self->commitData(combo);
    emit self->closeEditor(combo);
  });
  return combo;
}

void ChoiceDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const {
  // Views also call this when the cell's data changes while the editor is
  // open; live updates must not take back what the user is choosing.
  if (editor->property(kLoadedProperty).toBool()) {
    return;
  }
  auto* combo = qobject_cast<QComboBox*>(editor);
  if (!combo) {
    return;
  }
  const int found = combo->findData(index.data(Qt::EditRole).toInt());
  combo->setCurrentIndex(found >= 0 ? found : 0);
  editor->setProperty(kLoadedProperty, true);
}

void ChoiceDelegate::setModelData(QWidget* editor, QAbstractItemModel* model,
                                  const QModelIndex& index) const {
  auto* combo = qobject_cast<QComboBox*>(editor);
  if (combo && combo->currentIndex() >= 0) {
    model->setData(index, combo->currentData(), Qt::EditRole);
  }
}

void ChoiceDelegate::updateEditorGeometry(QWidget* editor, const QStyleOptionViewItem& option,
                                          const QModelIndex&) const {
  editor->setGeometry(option.rect);
}

}  // namespace tributary::ui
