// Public to ui/: the files the desktop app's engine keeps in the
// application's data folder: its log, the DHT's routing table, so a restart
// does not bootstrap the DHT from scratch, and the task list ("session/"),
// so a restart brings every download back. Only app/main.cpp calls
// this; tests build their EngineConfig without it, so none of them writes
// into the user's data folder.
#pragma once

#include <QString>

namespace tributary {
struct EngineConfig;
}  // namespace tributary

namespace tributary::ui {

// "tributary.log", "dht.dat" and "session/" in `dataDir` (made when
// missing). Without a folder that exists or can be made, all stay as they
// were: the engine then keeps no log file, no DHT state and no task list
// rather than writing somewhere else.
void applyAppDataFiles(const QString& dataDir, tributary::EngineConfig& config);

}  // namespace tributary::ui
