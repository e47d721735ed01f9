// Public to ui/: the task table. Rows are whole tasks; it knows the task
// model's roles (through the proxy) but nothing of the bridge.
#pragma once

#include <QList>
#include <QTableView>

namespace tributary::ui {

class TaskTableView : public QTableView {
  Q_OBJECT

 public:
  explicit TaskTableView(QWidget* parent = nullptr);

  // Sets up columns once a TaskListModel (or a proxy over one) is attached.
  void setModel(QAbstractItemModel* model) override;

  // Ids of the selected tasks, in view order.
  QList<quint64> selectedTaskIds() const;

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  void showColumnMenu(const QPoint& position);
};

}  // namespace tributary::ui
