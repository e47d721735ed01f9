#include "ui/widgets/DetailsTrafficPage.h"

#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>

#include "ui/models/Format.h"

namespace tributary::ui {

namespace {

QString kindToolTip(TrafficChart::Kind kind) {
  switch (kind) {
    case TrafficChart::Bt:
      return DetailsTrafficPage::tr("Downloaded from BitTorrent peers");
    case TrafficChart::Http:
      return DetailsTrafficPage::tr("Downloaded from the download's own URL");
    case TrafficChart::Cdn:
      return DetailsTrafficPage::tr("Downloaded from mirrors and web seeds");
    case TrafficChart::Shared:
      return DetailsTrafficPage::tr("Uploaded to peers");
    case TrafficChart::KindCount:
      break;
  }
  return {};
}

quint64 part(const Traffic& traffic, TrafficChart::Kind kind) {
  switch (kind) {
    case TrafficChart::Bt:
      return traffic.bt;
    case TrafficChart::Http:
      return traffic.http;
    case TrafficChart::Cdn:
      return traffic.cdn;
    case TrafficChart::Shared:
      return traffic.shared;
    case TrafficChart::KindCount:
      break;
  }
  return 0;
}

quint64 part(const TrafficRate& rate, TrafficChart::Kind kind) {
  return part(Traffic{rate.bt, rate.http, rate.cdn, rate.shared}, kind);
}

QLabel* figure(QWidget* parent, const QString& objectName) {
  auto* label = new QLabel(parent);
  label->setObjectName(objectName);
  label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return label;
}

}  // namespace

DetailsTrafficPage::DetailsTrafficPage(QWidget* parent) : QStackedWidget(parent) {
  content_ = new QWidget(this);
  auto* figures = new QWidget(content_);
  auto* grid = new QGridLayout(figures);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setHorizontalSpacing(12);
  auto* nowTitle = new QLabel(tr("Now"), figures);
  auto* totalTitle = new QLabel(tr("Total"), figures);
  for (QLabel* title : {nowTitle, totalTitle}) {
    title->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
  }
  grid->addWidget(nowTitle, 0, 2);
  grid->addWidget(totalTitle, 0, 3);
  static constexpr const char* kKeys[] = {"Bt", "Http", "Cdn", "Shared"};
  for (int k = 0; k < TrafficChart::KindCount; ++k) {
    const auto kind = static_cast<TrafficChart::Kind>(k);
    const int row = k + 1;
    // The swatch ties the row to its band in the chart.
    auto* swatch = new QFrame(figures);
    const int side = fontMetrics().ascent() - 2;
    swatch->setFixedSize(side, side);
    swatch->setAutoFillBackground(true);
    QPalette swatchPalette = swatch->palette();
    swatchPalette.setColor(QPalette::Window, TrafficChart::kindColor(kind));
    swatch->setPalette(swatchPalette);
    auto* name = new QLabel(TrafficChart::kindName(kind), figures);
    name->setToolTip(kindToolTip(kind));
    rates_[k] = figure(figures, QStringLiteral("trafficRate%1").arg(QLatin1String(kKeys[k])));
    totals_[k] = figure(figures, QStringLiteral("trafficTotal%1").arg(QLatin1String(kKeys[k])));
    grid->addWidget(swatch, row, 0);
    grid->addWidget(name, row, 1);
    grid->addWidget(rates_[k], row, 2);
    grid->addWidget(totals_[k], row, 3);
  }
  auto* downloadedTitle = new QLabel(tr("Downloaded"), figures);
  downloadedTitle->setToolTip(tr("BT, HTTP and CDN together"));
  downloaded_ = figure(figures, QStringLiteral("trafficDownloaded"));
  const int last = TrafficChart::KindCount + 1;
  grid->addWidget(downloadedTitle, last, 1);
  grid->addWidget(downloaded_, last, 3);
  grid->setRowStretch(last + 1, 1);
  // As wide as the widest figures get, so the columns do not jump each tick.
  const int figureWidth =
      fontMetrics().horizontalAdvance(Format::rate(1023 * 1024 + 900 * 1024 / 1000)) + 4;
  grid->setColumnMinimumWidth(2, figureWidth);
  grid->setColumnMinimumWidth(3, figureWidth);

  chart_ = new TrafficChart(content_);
  auto* layout = new QHBoxLayout(content_);
  layout->addWidget(figures, 0, Qt::AlignTop);
  layout->addSpacing(8);
  layout->addWidget(chart_, 1);

  empty_ = new QLabel(this);
  empty_->setAlignment(Qt::AlignCenter);
  empty_->setWordWrap(true);
  empty_->setMargin(16);
  empty_->setTextFormat(Qt::PlainText);
  empty_->setForegroundRole(QPalette::PlaceholderText);

  addWidget(content_);
  addWidget(empty_);
  showEmpty({});
}

void DetailsTrafficPage::setTraffic(const Traffic& totals, const TrafficRate& current,
                                    const QList<TrafficRate>& history, qint64 nowMs) {
  for (int k = 0; k < TrafficChart::KindCount; ++k) {
    const auto kind = static_cast<TrafficChart::Kind>(k);
    rates_[k]->setText(Format::rate(part(current, kind)));
    totals_[k]->setText(Format::bytes(part(totals, kind)));
  }
  downloaded_->setText(Format::bytes(totals.downloaded()));
  chart_->setRates(history, nowMs);
  setCurrentWidget(content_);
}

void DetailsTrafficPage::showEmpty(const QString& text) {
  empty_->setText(text);
  chart_->clear();
  setCurrentWidget(empty_);
}

bool DetailsTrafficPage::isShowingTraffic() const {
  return currentWidget() == content_;
}

QString DetailsTrafficPage::emptyText() const {
  return isShowingTraffic() ? QString() : empty_->text();
}

QString DetailsTrafficPage::rateText(TrafficChart::Kind kind) const {
  return rates_.at(kind)->text();
}

QString DetailsTrafficPage::totalText(TrafficChart::Kind kind) const {
  return totals_.at(kind)->text();
}

QString DetailsTrafficPage::downloadedText() const {
  return downloaded_->text();
}

}  // namespace tributary::ui
