#include "ui/bridge/BridgeTypes.h"

#include <mutex>

namespace tributary::ui {

void registerBridgeMetaTypes() {
  static std::once_flag once;
  std::call_once(once, [] {
    qRegisterMetaType<TaskRow>();
    qRegisterMetaType<QList<TaskRow>>();
    qRegisterMetaType<GlobalStats>();
    qRegisterMetaType<TaskEventInfo>();
    qRegisterMetaType<QList<quint64>>();
  });
}

}  // namespace tributary::ui
