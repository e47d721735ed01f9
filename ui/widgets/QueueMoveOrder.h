// Public to ui/widgets: how a selection moves in the download queue. The
// engine moves one task at a time, so the order of the single moves decides
// whether the selection keeps its relative order: Top sends the task furthest
// down first, Bottom the one nearest the top; Up and Down lead with the task
// nearest the end they move to. A task already pressed against that end
// (alone or behind other selected tasks) stays, so it never swaps places with
// another selected task.
#pragma once

#include <QList>
#include <QtGlobal>

#include "ui/bridge/BridgeTypes.h"

namespace tributary::ui {

struct QueuedTask {
  quint64 id = 0;
  quint32 position = 0;  // TaskRow::queuePosition; 0 = finished, never moved
};

// The ids to send `move` for, in sending order. `lastPosition` is the bottom
// of the queue (the largest position of any task).
QList<quint64> queueMoveOrder(QList<QueuedTask> selected, QueueMove move, quint32 lastPosition);

}  // namespace tributary::ui
