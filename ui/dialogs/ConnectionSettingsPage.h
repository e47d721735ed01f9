// Public to ui/dialogs: the Settings dialog's Connection page. The listen
// port, the BitTorrent connection limits, the peer discovery and transport
// switches with the DHT's bootstrap nodes and the peer encryption mode are
// engine-wide and read when the engine starts, as the page says; HTTP
// connections per download apply to each download added afterwards.
#pragma once

#include <QWidget>

#include "ui/bridge/EngineOptions.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
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
  // The bootstrap nodes' field, and a line naming what in it is not host:port.
  QFormLayout* makeBootstrapForm();
  // The encryption combo, its items carrying PeerEncryption as int data.
  QComboBox* makeEncryptionBox();

  QSpinBox* httpConnections_ = nullptr;
  QCheckBox* anyPort_ = nullptr;
  QSpinBox* listenPort_ = nullptr;
  QSpinBox* peersPerTorrent_ = nullptr;
  QSpinBox* maxConnections_ = nullptr;
  QCheckBox* dht_ = nullptr;
  QCheckBox* pex_ = nullptr;
  QCheckBox* lsd_ = nullptr;
  QCheckBox* utp_ = nullptr;
  QLineEdit* dhtBootstrap_ = nullptr;
  QComboBox* encryption_ = nullptr;
  QLabel* bootstrapProblem_ = nullptr;
};

}  // namespace tributary::ui
