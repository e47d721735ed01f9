#include "ui/widgets/QueueMoveOrder.h"

#include <algorithm>

namespace tributary::ui {

QList<quint64> queueMoveOrder(QList<QueuedTask> selected, QueueMove move, quint32 lastPosition) {
  selected.removeIf([](const QueuedTask& task) { return task.position == 0; });
  const bool fromTheTop = move == QueueMove::Up || move == QueueMove::Bottom;
  std::sort(selected.begin(), selected.end(),
            [fromTheTop](const QueuedTask& a, const QueuedTask& b) {
              return fromTheTop ? a.position < b.position : a.position > b.position;
            });
  QList<quint64> order;
  // The end a block of selected tasks is pressed against: such tasks cannot
  // move further and are left out.
  quint32 topBlock = 0;
  quint32 bottomBlock = lastPosition + 1;
  for (const QueuedTask& task : selected) {
    if (move == QueueMove::Up && task.position == topBlock + 1) {
      topBlock = task.position;
      continue;
    }
    if (move == QueueMove::Down && task.position + 1 == bottomBlock) {
      bottomBlock = task.position;
      continue;
    }
    order.append(task.id);
  }
  return order;
}

}  // namespace tributary::ui
