#include "ui/widgets/TransferStatusWidget.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>

#include "ui/models/Format.h"
#include "ui/widgets/AppSettings.h"

namespace tributary::ui {

namespace {

QString limitText(quint64 limit) {
  return limit == 0 ? TransferStatusWidget::tr("unlimited") : Format::rate(limit);
}

QString rateText(const QString& arrow, quint64 rate, quint64 limit) {
  // The limit in brackets, as qBittorrent shows it, only when there is one.
  return limit == 0 ? TransferStatusWidget::tr("%1 %2").arg(arrow, Format::rate(rate))
                    : TransferStatusWidget::tr("%1 %2 [%3]")
                          .arg(arrow, Format::rate(rate), Format::rate(limit));
}

// The default folder may not exist until the first download creates it; its
// nearest existing parent is on the same volume in all but exotic setups.
QString nearestExisting(const QString& path) {
  QFileInfo info(path);
  for (int depth = 0; depth < 256 && !info.exists(); ++depth) {
    const QString parent = info.absolutePath();
    if (parent == info.absoluteFilePath()) {
      break;
    }
    info.setFile(parent);
  }
  return info.absoluteFilePath();
}

// A rate whose text is about as wide as rates get ("1,023.9 KiB/s").
constexpr quint64 kWidestRate = 1023 * 1024 + 900;

// Figures that change at every tick keep their label's width, so the status
// bar does not shift at 2 Hz nor squeeze its neighbours while it re-lays out.
void reserveWidth(QLabel* label, const QString& widestText) {
  const int width = label->fontMetrics().horizontalAdvance(widestText) + 2 * label->margin();
  if (width != label->minimumWidth()) {
    label->setMinimumWidth(width);
  }
}

}  // namespace

TransferStatusWidget::TransferStatusWidget(QWidget* parent) : QWidget(parent) {
  disk_ = new QLabel(this);
  disk_->setObjectName(QStringLiteral("freeDiskSpace"));
  dht_ = new QLabel(this);
  dht_->setObjectName(QStringLiteral("dhtNodes"));
  port_ = new QLabel(this);
  port_->setObjectName(QStringLiteral("listenPort"));
  download_ = new QLabel(this);
  download_->setObjectName(QStringLiteral("globalDownloadRate"));
  upload_ = new QLabel(this);
  upload_->setObjectName(QStringLiteral("globalUploadRate"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(8, 0, 8, 0);
  layout->setSpacing(16);
  for (QLabel* label : {disk_, dht_, port_, download_, upload_}) {
    layout->addWidget(label);
  }
  diskTimer_ = new QTimer(this);
  diskTimer_->setInterval(kDiskRefreshMs);
  connect(diskTimer_, &QTimer::timeout, this, &TransferStatusWidget::refreshDiskSpace);
  diskTimer_->start();
  refreshDiskSpace();
  setStats(GlobalStats{});
}

void TransferStatusWidget::setStats(const GlobalStats& stats) {
  download_->setText(rateText(tr("↓"), stats.downloadRate, stats.maxDownloadRate));
  upload_->setText(rateText(tr("↑"), stats.uploadRate, stats.maxUploadRate));
  reserveWidth(download_, rateText(tr("↓"), kWidestRate, stats.maxDownloadRate));
  reserveWidth(upload_, rateText(tr("↑"), kWidestRate, stats.maxUploadRate));
  download_->setToolTip(
      tr("Download speed (limit: %1)\nDownloaded this session: %2")
          .arg(limitText(stats.maxDownloadRate), Format::bytes(stats.traffic.downloaded())));
  upload_->setToolTip(
      tr("Upload speed (limit: %1)\nShared this session: %2")
          .arg(limitText(stats.maxUploadRate), Format::bytes(stats.traffic.shared)));
  if (stats.listenPort != 0) {
    port_->setText(tr("Listening on port %1").arg(stats.listenPort));
    port_->setToolTip(tr("Peers can connect to this computer on this port."));
  } else {
    port_->setText(tr("Not listening"));
    port_->setToolTip(
        tr("No port is open for incoming connections; downloads still connect "
           "out to peers and servers."));
  }
  dhtNodes_ = stats.dhtNodes;
  showDht();
}

void TransferStatusWidget::setDhtEnabled(bool enabled) {
  dhtEnabled_ = enabled;
  showDht();
}

void TransferStatusWidget::showDht() {
  if (!dhtEnabled_) {
    dht_->setText(tr("DHT: off"));
    reserveWidth(dht_, dht_->text());
    dht_->setToolTip(tr("The distributed hash table is turned off in the settings."));
    return;
  }
  dht_->setText(tr("DHT: %n nodes", nullptr, static_cast<int>(dhtNodes_)));
  reserveWidth(dht_, tr("DHT: %n nodes", nullptr, 8888));
  dht_->setToolTip(
      tr("Nodes of the distributed hash table known to this computer; they help "
         "find peers without a tracker."));
}

void TransferStatusWidget::refreshDiskSpace() {
  const QString folder = AppSettings().defaultSaveDir();
  const QString path = nearestExisting(folder);
  if (path != storagePath_) {
    storagePath_ = path;
    storage_.setPath(path);
  } else {
    storage_.refresh();
  }
  disk_->setToolTip(tr("Free space where new downloads go: %1").arg(folder));
  if (!storage_.isValid() || !storage_.isReady()) {
    // Never a made-up figure.
    disk_->setText(tr("Free space: unknown"));
    return;
  }
  disk_->setText(
      tr("Free space: %1").arg(Format::bytes(static_cast<quint64>(storage_.bytesAvailable()))));
}

}  // namespace tributary::ui
