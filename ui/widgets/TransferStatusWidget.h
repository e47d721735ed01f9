// Public to ui/: the permanent part of the status bar: free space in the
// default download folder, DHT nodes, the listen port, and the global
// download and upload rates with their limits (session totals in tooltips).
#pragma once

#include <QStorageInfo>
#include <QWidget>

#include "ui/bridge/BridgeTypes.h"

class QLabel;
class QTimer;

namespace tributary::ui {

class TransferStatusWidget : public QWidget {
  Q_OBJECT

 public:
  // Free space is re-read this often, not at every tick: it is a statfs on
  // the GUI thread, cheap but not free, and it changes slowly.
  static constexpr int kDiskRefreshMs = 5000;

  explicit TransferStatusWidget(QWidget* parent = nullptr);

  void setStats(const tributary::ui::GlobalStats& stats);
  // The engine does not report whether DHT runs, only its node count; the
  // owner that configured it says so, and "off" then replaces the count.
  void setDhtEnabled(bool enabled);

  // Re-reads the free space of AppSettings::defaultSaveDir() now.
  void refreshDiskSpace();

 private:
  void showDht();

  QLabel* disk_ = nullptr;
  QLabel* dht_ = nullptr;
  QLabel* port_ = nullptr;
  QLabel* download_ = nullptr;
  QLabel* upload_ = nullptr;
  QTimer* diskTimer_ = nullptr;
  QStorageInfo storage_;
  QString storagePath_;
  bool dhtEnabled_ = true;
  quint32 dhtNodes_ = 0;
};

}  // namespace tributary::ui
