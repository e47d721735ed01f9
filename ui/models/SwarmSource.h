// Public to ui/: the Sources tab's row for a torrent's swarm. The engine
// lists a task's HTTP origin and CDN mirrors as sources; its BitTorrent peers
// are one more source, shown as one row beside them so the tab has all three
// kinds (BT, HTTP, CDN) with their live speed and bytes.
#pragma once

#include <QCoreApplication>

#include "ui/bridge/BridgeTypes.h"
#include "ui/bridge/TaskDetails.h"

namespace tributary::ui {

class SwarmSource {
  Q_DECLARE_TR_FUNCTIONS(SwarmSource)

 public:
  // The row of `task`'s swarm (a torrent or magnet), given the rate of its
  // BT bytes (bytes/s, e.g. TrafficHistory::currentRate(...).bt).
  static SourceInfo row(const TaskRow& task, quint64 btRate);
  // The row's key and first column.
  static QString name();
};

}  // namespace tributary::ui
