// Public to ui/: the search box over the task table. Typing filters the
// table by name once the user pauses (kDebounceMs), so a list of thousands
// is not re-filtered at every key; Ctrl+F reaches it, Escape clears it.
#pragma once

#include <QLineEdit>

class QTimer;

namespace tributary::ui {

class TaskFilterProxy;

class TaskSearchField : public QLineEdit {
  Q_OBJECT

 public:
  static constexpr int kDebounceMs = 150;

  explicit TaskSearchField(TaskFilterProxy* proxy, QWidget* parent = nullptr);

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  TaskFilterProxy* proxy_;
  QTimer* debounce_ = nullptr;
};

}  // namespace tributary::ui
