// Public to ui/: the list at the left of the task table: All, Downloading, Queued,
// Seeding, Completed, Paused, Errored, each with the number of tasks in it.
// Choosing one filters the table through the TaskFilterProxy it was given.
#pragma once

#include <QListWidget>

#include "ui/models/TaskFilterProxy.h"

namespace tributary::ui {

class FilterSidebar : public QListWidget {
  Q_OBJECT

 public:
  explicit FilterSidebar(TaskFilterProxy* proxy, QWidget* parent = nullptr);

  TaskFilterProxy::StateFilter currentFilter() const;
  void setCurrentFilter(TaskFilterProxy::StateFilter filter);

  QSize sizeHint() const override;

 private:
  void updateCounts();

  TaskFilterProxy* proxy_;
};

}  // namespace tributary::ui
