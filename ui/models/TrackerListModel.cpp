#include "ui/models/TrackerListModel.h"

#include <QDateTime>
#include <QLocale>

#include "ui/models/ColumnHeader.h"

namespace tributary::ui {

namespace {

bool isNumeric(int column) {
  return column == TrackerListModel::TierColumn || column == TrackerListModel::PeersColumn ||
         column == TrackerListModel::SeedsColumn || column == TrackerListModel::LeechersColumn;
}

// A count the tracker did not give stays blank rather than showing 0.
QVariant countOrBlank(qint64 count) {
  return count >= 0 ? QVariant::fromValue(count) : QVariant();
}

QVariant displayText(const TrackerInfo& tracker, int column) {
  switch (column) {
    case TrackerListModel::UrlColumn:
      return tracker.url;
    case TrackerListModel::TierColumn:
      return tracker.tier;
    case TrackerListModel::StatusColumn:
      return TrackerListModel::statusText(tracker.status);
    case TrackerListModel::PeersColumn:
      return tracker.status == TrackerStatus::NotContacted ? QVariant() : QVariant(tracker.peers);
    case TrackerListModel::SeedsColumn:
      return countOrBlank(tracker.seeds);
    case TrackerListModel::LeechersColumn:
      return countOrBlank(tracker.leechers);
    case TrackerListModel::NextAnnounceColumn:
      if (tracker.nextAnnounceUnix <= 0) {
        return {};
      }
      return QLocale().toString(QDateTime::fromSecsSinceEpoch(tracker.nextAnnounceUnix),
                                QLocale::ShortFormat);
    case TrackerListModel::MessageColumn:
      return tracker.message;
    default:
      return {};
  }
}

}  // namespace

TrackerListModel::TrackerListModel(QObject* parent) : KeyedRowModel<TrackerInfo>(parent) {}

int TrackerListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrackerListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const TrackerInfo& tracker = rows_.at(index.row());
  switch (role) {
    case Qt::DisplayRole:
      return displayText(tracker, index.column());
    case Qt::ToolTipRole:
      // The message is the tracker's own text: escaped, so markup in it is
      // shown as typed and never rendered.
      if (index.column() == MessageColumn && !tracker.message.isEmpty()) {
        return QStringLiteral("<p>%1</p>").arg(tracker.message.toHtmlEscaped());
      }
      return {};
    case Qt::TextAlignmentRole:
      return columnAlignment(isNumeric(index.column()));
    case SortRole:
      if (index.column() == StatusColumn) {
        return static_cast<int>(tracker.status);
      }
      if (index.column() == NextAnnounceColumn) {
        return tracker.nextAnnounceUnix > 0 ? QVariant::fromValue(tracker.nextAnnounceUnix)
                                            : QVariant();
      }
      return displayText(tracker, index.column());
    default:
      return {};
  }
}

QVariant TrackerListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  return columnHeader(orientation, role, isNumeric(section), [section] {
    switch (section) {
      case UrlColumn:
        return tr("URL");
      case TierColumn:
        return tr("Tier");
      case StatusColumn:
        return tr("Status");
      case PeersColumn:
        return tr("Peers");
      case SeedsColumn:
        return tr("Seeds");
      case LeechersColumn:
        return tr("Leechers");
      case NextAnnounceColumn:
        return tr("Next Announce");
      case MessageColumn:
        return tr("Message");
      default:
        return QString();
    }
  });
}

QString TrackerListModel::statusText(TrackerStatus status) {
  switch (status) {
    case TrackerStatus::NotContacted:
      return tr("Not contacted yet");
    case TrackerStatus::Updating:
      return tr("Updating…");
    case TrackerStatus::Working:
      return tr("Working");
    case TrackerStatus::Failed:
      return tr("Not working");
    case TrackerStatus::Disabled:
      return tr("Not supported");
  }
  return {};
}

}  // namespace tributary::ui
