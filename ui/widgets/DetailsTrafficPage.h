// Public to ui/: the Traffic tab of the details panel: for the task shown,
// the bytes each kind of source brought (BT, HTTP, CDN) and the bytes shared,
// as totals and current rates beside a chart of the last minutes.
#pragma once

#include <QList>
#include <QStackedWidget>
#include <array>

#include "ui/bridge/BridgeTypes.h"
#include "ui/models/TrafficHistory.h"
#include "ui/widgets/TrafficChart.h"

class QLabel;

namespace tributary::ui {

class DetailsTrafficPage : public QStackedWidget {
  Q_OBJECT

 public:
  explicit DetailsTrafficPage(QWidget* parent = nullptr);

  // `totals` since the task was added; `history` and `nowMs` as
  // TrafficHistory gives them.
  void setTraffic(const Traffic& totals, const TrafficRate& current,
                  const QList<TrafficRate>& history, qint64 nowMs);
  void showEmpty(const QString& text);

  bool isShowingTraffic() const;
  QString emptyText() const;
  TrafficChart* chart() const { return chart_; }
  // The figures shown for `kind`, for tests.
  QString rateText(TrafficChart::Kind kind) const;
  QString totalText(TrafficChart::Kind kind) const;
  QString downloadedText() const;

 private:
  QWidget* content_ = nullptr;
  QLabel* empty_ = nullptr;
  TrafficChart* chart_ = nullptr;
  std::array<QLabel*, TrafficChart::KindCount> rates_{};
  std::array<QLabel*, TrafficChart::KindCount> totals_{};
  QLabel* downloaded_ = nullptr;
};

}  // namespace tributary::ui
