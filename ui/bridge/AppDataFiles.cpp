#include "ui/bridge/AppDataFiles.h"

#include <QDir>

#include "engine/api/Engine.h"

namespace tributary::ui {

void applyAppDataFiles(const QString& dataDir, tributary::EngineConfig& config) {
  if (dataDir.isEmpty() || !QDir().mkpath(dataDir)) {
    return;
  }
  const QDir dir(dataDir);
  config.logFile = dir.filePath(QStringLiteral("tributary.log")).toStdString();
  config.dhtStateFile = dir.filePath(QStringLiteral("dht.dat")).toStdString();
  config.stateDir = dir.filePath(QStringLiteral("session")).toStdString();
}

}  // namespace tributary::ui
