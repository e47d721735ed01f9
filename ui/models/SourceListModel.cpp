#include "ui/models/SourceListModel.h"

#include <QColor>

#include "ui/models/ColumnHeader.h"
#include "ui/models/Format.h"

namespace tributary::ui {

namespace {

bool isNumeric(int column) {
  return column == SourceListModel::ConnectionsColumn || column == SourceListModel::SpeedColumn ||
         column == SourceListModel::DownloadedColumn;
}

QVariant displayText(const SourceInfo& source, int column) {
  switch (column) {
    case SourceListModel::UrlColumn:
      return source.url;
    case SourceListModel::KindColumn:
      return SourceListModel::kindText(source.kind);
    case SourceListModel::StateColumn:
      return SourceListModel::stateText(source.state);
    case SourceListModel::ConnectionsColumn:
      return source.connections;
    case SourceListModel::SpeedColumn:
      return source.downloadRate ? QVariant(Format::rate(source.downloadRate)) : QVariant();
    case SourceListModel::DownloadedColumn:
      return Format::bytes(source.downloaded);
    case SourceListModel::ErrorColumn:
      return source.errorText;
    default:
      return {};
  }
}

}  // namespace

SourceListModel::SourceListModel(QObject* parent) : KeyedRowModel<SourceInfo>(parent) {}

int SourceListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant SourceListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const SourceInfo& source = rows_.at(index.row());
  switch (role) {
    case Qt::DisplayRole:
      return displayText(source, index.column());
    case Qt::ToolTipRole:
      if (index.column() == UrlColumn) {
        return source.url;
      }
      if (index.column() == ErrorColumn && !source.errorText.isEmpty()) {
        // The detail may quote a server: escaped so it is never rendered as markup.
        return QStringLiteral("<p>%1</p>").arg(source.errorText.toHtmlEscaped());
      }
      return {};
    case Qt::TextAlignmentRole:
      return columnAlignment(isNumeric(index.column()));
    case Qt::ForegroundRole:
      if (index.column() == StateColumn && source.state == SourceState::Dropped) {
        return QColor(0xc5, 0x30, 0x30);  // the task list's failed red
      }
      return {};
    case SortRole:
      switch (index.column()) {
        case KindColumn:
          return static_cast<int>(source.kind);
        case StateColumn:
          return static_cast<int>(source.state);
        case SpeedColumn:
          return QVariant::fromValue(source.downloadRate);
        case DownloadedColumn:
          return QVariant::fromValue(source.downloaded);
        default:
          return displayText(source, index.column());
      }
    default:
      return {};
  }
}

QVariant SourceListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  return columnHeader(orientation, role, isNumeric(section), [section] {
    switch (section) {
      case UrlColumn:
        return tr("URL");
      case KindColumn:
        return tr("Kind");
      case StateColumn:
        return tr("State");
      case ConnectionsColumn:
        return tr("Connections");
      case SpeedColumn:
        return tr("Speed");
      case DownloadedColumn:
        return tr("Downloaded");
      case ErrorColumn:
        return tr("Error");
      default:
        return QString();
    }
  });
}

QString SourceListModel::kindText(SourceKind kind) {
  // The source labels are product terms (DESIGN.md), the same in every language.
  switch (kind) {
    case SourceKind::Bt:
      return QStringLiteral("BT");
    case SourceKind::Http:
      return QStringLiteral("HTTP");
    case SourceKind::Cdn:
      return QStringLiteral("CDN");
  }
  return {};
}

QString SourceListModel::stateText(SourceState state) {
  switch (state) {
    case SourceState::Connecting:
      return tr("Connecting");
    case SourceState::Active:
      return tr("Active");
    case SourceState::Idle:
      return tr("Idle");
    case SourceState::Dropped:
      return tr("Dropped");
  }
  return {};
}

}  // namespace tributary::ui
