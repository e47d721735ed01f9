// Internal to ui/bridge: engine values -> bridge values. Runs on the GUI
// thread (inside the drain), so translations use the GUI's installed language.
#pragma once

#include "engine/api/Types.h"
#include "ui/bridge/BridgeTypes.h"
#include "ui/bridge/TaskDetails.h"

namespace tributary::ui {

TaskRow toTaskRow(const TaskSnapshot& snapshot);
GlobalStats toGlobalStats(const EngineStats& stats);
TaskEventInfo toTaskEventInfo(const Event& event);
ui::SourcePolicy toSourcePolicy(const tributary::SourcePolicy& policy);
// The other way, for commands (setSourcePolicy, AddOptions::sourcePolicy).
tributary::SourcePolicy toEngineSourcePolicy(const ui::SourcePolicy& policy);
// BridgeConvertDetails.cpp: the row plus peers, trackers, files and sources.
TaskDetails toTaskDetails(const TaskSnapshot& snapshot);

}  // namespace tributary::ui
