#include "ui/models/SwarmSource.h"

namespace tributary::ui {

QString SwarmSource::name() {
  return tr("BitTorrent swarm");
}

SourceInfo SwarmSource::row(const TaskRow& task, quint64 btRate) {
  SourceInfo row;
  row.url = name();
  row.kind = SourceKind::Bt;
  row.downloaded = task.traffic.bt;
  row.connections = task.peers;
  switch (task.status) {
    case TaskStatus::Checking:
    case TaskStatus::FetchingMetadata:
    case TaskStatus::Downloading:
    case TaskStatus::Seeding:
      row.state = task.peers > 0 ? SourceState::Active : SourceState::Connecting;
      row.downloadRate = btRate;
      break;
    case TaskStatus::Queued:
    case TaskStatus::Paused:
    case TaskStatus::Completed:
    case TaskStatus::Failed:
      // Holds no connection: whatever came last is not a speed any more.
      row.state = SourceState::Idle;
      break;
  }
  return row;
}

}  // namespace tributary::ui
