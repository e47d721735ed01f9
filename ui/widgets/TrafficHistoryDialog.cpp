#include "ui/widgets/TrafficHistoryDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "ui/models/Format.h"
#include "ui/widgets/DailyTrafficChart.h"
#include "ui/widgets/TrafficChart.h"

namespace tributary::ui {

namespace {

constexpr int kDayChoices[] = {7, 30, 90};
constexpr int kDefaultChoice = 1;

quint64 figure(const Traffic& t, TrafficHistoryDialog::Row row) {
  switch (row) {
    case TrafficHistoryDialog::BtRow:
      return t.bt;
    case TrafficHistoryDialog::HttpRow:
      return t.http;
    case TrafficHistoryDialog::CdnRow:
      return t.cdn;
    case TrafficHistoryDialog::DownloadedRow:
      return t.downloaded();
    case TrafficHistoryDialog::SharedRow:
      return t.shared;
    case TrafficHistoryDialog::RowCount:
      break;
  }
  return 0;
}

}  // namespace

TrafficHistoryDialog::TrafficHistoryDialog(QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("trafficHistoryDialog"));
  setWindowTitle(tr("Traffic History"));

  range_ = new QComboBox(this);
  range_->setObjectName(QStringLiteral("trafficRange"));
  for (const int days : kDayChoices) {
    range_->addItem(tr("Last %1 days").arg(days), days);
  }
  range_->setCurrentIndex(kDefaultChoice);
  auto* rangeLabel = new QLabel(tr("&Show:"), this);
  rangeLabel->setBuddy(range_);
  auto* top = new QHBoxLayout;
  top->addWidget(rangeLabel);
  top->addWidget(range_);
  top->addStretch(1);

  chart_ = new DailyTrafficChart(this);

  auto* totals = new QGridLayout;
  totals->setHorizontalSpacing(18);
  auto* rangeHeader = new QLabel(tr("In these days"), this);
  auto* allHeader = new QLabel(tr("All time"), this);
  for (QLabel* header : {rangeHeader, allHeader}) {
    QFont bold = header->font();
    bold.setBold(true);
    header->setFont(bold);
  }
  totals->addWidget(rangeHeader, 0, 1, Qt::AlignRight);
  totals->addWidget(allHeader, 0, 2, Qt::AlignRight);
  for (int r = 0; r < RowCount; ++r) {
    const auto row = static_cast<Row>(r);
    totals->addWidget(new QLabel(rowName(row), this), r + 1, 0);
    auto* inRange = new QLabel(this);
    auto* allTime = new QLabel(this);
    for (QLabel* label : {inRange, allTime}) {
      label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
      label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    totals->addWidget(inRange, r + 1, 1);
    totals->addWidget(allTime, r + 1, 2);
    rangeLabels_.append(inRange);
    allTimeLabels_.append(allTime);
  }
  totals->setColumnStretch(3, 1);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(chart_, 1);
  layout->addLayout(totals);
  layout->addWidget(buttons);

  connect(range_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
  refresh();
}

QString TrafficHistoryDialog::rowName(Row row) {
  switch (row) {
    case BtRow:
      return TrafficChart::kindName(TrafficChart::Bt);
    case HttpRow:
      return TrafficChart::kindName(TrafficChart::Http);
    case CdnRow:
      return TrafficChart::kindName(TrafficChart::Cdn);
    case DownloadedRow:
      return tr("Downloaded");
    case SharedRow:
      return TrafficChart::kindName(TrafficChart::Shared);
    case RowCount:
      break;
  }
  return {};
}

void TrafficHistoryDialog::setStats(const GlobalStats& stats) {
  stats_ = stats;
  refresh();
}

void TrafficHistoryDialog::setDayCount(int days) {
  const int index = range_->findData(days);
  if (index >= 0) {
    range_->setCurrentIndex(index);
  }
}

int TrafficHistoryDialog::dayCount() const {
  return range_->currentData().toInt();
}

void TrafficHistoryDialog::refresh() {
  chart_->setDayCount(dayCount());
  chart_->setHistory(stats_.trafficDays, stats_.trafficToday);
  Traffic inRange;
  for (const DayTraffic& day : chart_->shownDays()) {
    inRange.bt += day.bytes.bt;
    inRange.http += day.bytes.http;
    inRange.cdn += day.bytes.cdn;
    inRange.shared += day.bytes.shared;
  }
  for (int r = 0; r < RowCount; ++r) {
    const auto row = static_cast<Row>(r);
    rangeLabels_[r]->setText(Format::bytes(figure(inRange, row)));
    allTimeLabels_[r]->setText(Format::bytes(figure(stats_.totalTraffic, row)));
  }
}

QString TrafficHistoryDialog::rangeText(Row row) const {
  return rangeLabels_.value(row) ? rangeLabels_.value(row)->text() : QString();
}

QString TrafficHistoryDialog::allTimeText(Row row) const {
  return allTimeLabels_.value(row) ? allTimeLabels_.value(row)->text() : QString();
}

}  // namespace tributary::ui
