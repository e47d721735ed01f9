// Public to ui/dialogs: the Settings dialog's Connection page. The listen
// port, the BitTorrent connection limits and the peer discovery and transport
// switches are engine-wide and read when the engine starts, as the page says;
// HTTP connections per download apply to each download added afterwards.
#pragma once

#include <QWidget>

#include "ui/bridge/EngineOptions.h"

class QCheckBox;
class QSpinBox;

namespace tributary::ui {

class ConnectionSettingsPage : public QWidget {
  Q_OBJECT

 public:
  explicit ConnectionSettingsPage(QWidget* parent = nullptr);

  void setEngineOptions(const EngineOptions& options);
  EngineOptions engineOptions() const;
  // 1 to AddOptions::kMaxConnections.
  void setHttpConnectionsPerDownload(unsigned connections);
  unsigned httpConnectionsPerDownload() const;

 private:
  QSpinBox* makeCountBox(const char* objectName, int maximum);
  QCheckBox* makeSwitch(const char* objectName, const QString& text);

  QSpinBox* httpConnections_ = nullptr;
  QCheckBox* anyPort_ = nullptr;
  QSpinBox* listenPort_ = nullptr;
  QSpinBox* peersPerTorrent_ = nullptr;
  QSpinBox* maxConnections_ = nullptr;
  QCheckBox* dht_ = nullptr;
  QCheckBox* pex_ = nullptr;
  QCheckBox* lsd_ = nullptr;
  QCheckBox* utp_ = nullptr;
};

}  // namespace tributary::ui
