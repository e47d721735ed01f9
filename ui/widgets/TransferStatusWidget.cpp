#include "ui/widgets/TransferStatusWidget.h"

#include <QHBoxLayout>
#include <QLabel>

#include "ui/models/Format.h"

namespace tributary::ui {

namespace {

QString limitText(quint64 limit) {
  return limit == 0 ? TransferStatusWidget::tr("unlimited") : Format::rate(limit);
}

}  // namespace

TransferStatusWidget::TransferStatusWidget(QWidget* parent) : QWidget(parent) {
  download_ = new QLabel(this);
  download_->setObjectName(QStringLiteral("globalDownloadRate"));
  upload_ = new QLabel(this);
  upload_->setObjectName(QStringLiteral("globalUploadRate"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(8, 0, 8, 0);
  layout->setSpacing(16);
  layout->addWidget(download_);
  layout->addWidget(upload_);
  setStats(GlobalStats{});
}

void TransferStatusWidget::setStats(const GlobalStats& stats) {
  download_->setText(tr("↓ %1").arg(Format::rate(stats.downloadRate)));
  upload_->setText(tr("↑ %1").arg(Format::rate(stats.uploadRate)));
  download_->setToolTip(
      tr("Download speed (limit: %1)\nDownloaded this session: %2")
          .arg(limitText(stats.maxDownloadRate), Format::bytes(stats.traffic.downloaded())));
  upload_->setToolTip(
      tr("Upload speed (limit: %1)\nShared this session: %2")
          .arg(limitText(stats.maxUploadRate), Format::bytes(stats.traffic.shared)));
}

}  // namespace tributary::ui
