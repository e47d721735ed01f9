// Public to ui/: the task table. Rows are whole tasks; it knows the task
// model's roles (through the proxy) but nothing of the bridge.
#pragma once

#include <QList>
#include <QTableView>

namespace tributary::ui {

class HeaderStateKeeper;

class TaskTableView : public QTableView {
  Q_OBJECT

 public:
  explicit TaskTableView(QWidget* parent = nullptr);

  // Sets up columns once a TaskListModel (or a proxy over one) is attached.
  void setModel(QAbstractItemModel* model) override;

  // Ids of the selected tasks, in view order.
  QList<quint64> selectedTaskIds() const;

  // The column menu and the remembered layout; null until a model is set.
  HeaderStateKeeper* headerStateKeeper() const { return headerKeeper_; }

 signals:
  // Space: resume the selection when every selected task is stopped (paused
  // or failed), else pause it, so a mixed selection first stops all of it.
  void pauseToggleRequested(bool resume);
  // Enter or Return on a task: show its details.
  void detailsRequested();

 protected:
  void keyPressEvent(QKeyEvent* event) override;
  void paintEvent(QPaintEvent* event) override;

 private:
  HeaderStateKeeper* headerKeeper_ = nullptr;
};

}  // namespace tributary::ui
