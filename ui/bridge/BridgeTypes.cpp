#include "ui/bridge/BridgeTypes.h"

#include <mutex>

#include "ui/bridge/TaskDetails.h"

namespace tributary::ui {

void registerBridgeMetaTypes() {
  static std::once_flag once;
  std::call_once(once, [] {
    qRegisterMetaType<TaskRow>();
    qRegisterMetaType<QList<TaskRow>>();
    qRegisterMetaType<GlobalStats>();
    qRegisterMetaType<TaskEventInfo>();
    qRegisterMetaType<QList<quint64>>();
    qRegisterMetaType<TaskDetails>();
  });
}

}  // namespace tributary::ui
