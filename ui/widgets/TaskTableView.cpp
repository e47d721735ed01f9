#include "ui/widgets/TaskTableView.h"

#include <QDateTime>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLocale>
#include <QPainter>
#include <QStyle>
#include <algorithm>

#include "ui/delegates/ProgressDelegate.h"
#include "ui/delegates/SourceMixDelegate.h"
#include "ui/models/Format.h"
#include "ui/models/TaskListModel.h"
#include "ui/widgets/HeaderStateKeeper.h"

namespace tributary::ui {

namespace {

// The widest text a column usually holds, formatted as the model formats it,
// so starting widths suit the font and the language.
QString sampleText(int column) {
  switch (column) {
    case TaskListModel::QueuePositionColumn:
      return QLocale().toString(999);
    case TaskListModel::NameColumn:
      return QString(28, QLatin1Char('n'));
    case TaskListModel::SizeColumn:
      return Format::bytes(999'900'000);
    case TaskListModel::ProgressColumn:
      return Format::percent(0.999) + QStringLiteral("    ");
    case TaskListModel::StatusColumn:
      return TaskListModel::statusText(TaskStatus::FetchingMetadata);
    case TaskListModel::DownloadRateColumn:
    case TaskListModel::UploadRateColumn:
      return Format::rate(999'900);
    case TaskListModel::EtaColumn:
      return Format::duration(23 * 3600 + 59 * 60);
    case TaskListModel::PeersColumn:
      return QStringLiteral("99 / 999");
    case TaskListModel::SourcesColumn:
      return QStringLiteral("HTTP 99% · CDN 99%");
    case TaskListModel::RatioColumn:
      return QStringLiteral("99.99");
    case TaskListModel::AddedColumn:
      return QLocale().toString(QDateTime(QDate(2000, 12, 28), QTime(23, 58, 58)),
                                QLocale::ShortFormat);
    default:
      return {};
  }
}

}  // namespace

TaskTableView::TaskTableView(QWidget* parent) : QTableView(parent) {
  setObjectName(QStringLiteral("taskTable"));
  setSelectionBehavior(QAbstractItemView::SelectRows);
  setSelectionMode(QAbstractItemView::ExtendedSelection);
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setAlternatingRowColors(true);
  setShowGrid(false);
  setWordWrap(false);
  setSortingEnabled(true);
  setTextElideMode(Qt::ElideMiddle);  // file names differ at their ends
  setItemDelegateForColumn(TaskListModel::ProgressColumn,
                           new ProgressDelegate(TaskListModel::ProgressRole, this));
  setItemDelegateForColumn(TaskListModel::SourcesColumn,
                           new SourceMixDelegate(TaskListModel::SourceMixRole, this));
  verticalHeader()->hide();
  verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
  horizontalHeader()->setHighlightSections(false);
  // The name takes whatever width the figures leave, so the table never
  // scrolls sideways at the default window size.
  horizontalHeader()->setStretchLastSection(false);
  horizontalHeader()->setSortIndicatorShown(true);
}

void TaskTableView::setModel(QAbstractItemModel* model) {
  QTableView::setModel(model);
  if (!model) {
    return;
  }
  // Never narrower than the header's own text plus its sort arrow either:
  // translated titles are often longer than the figures below them.
  const int cellPadding =
      2 * style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, this) + 12;
  const QFontMetrics headerMetrics(horizontalHeader()->font());
  const int headerPadding = 2 * style()->pixelMetric(QStyle::PM_HeaderMargin) +
                            style()->pixelMetric(QStyle::PM_HeaderMarkSize) + 4;
  for (int column = 0; column < model->columnCount(); ++column) {
    const QString title = model->headerData(column, Qt::Horizontal).toString();
    setColumnWidth(column,
                   std::max(fontMetrics().horizontalAdvance(sampleText(column)) + cellPadding,
                            headerMetrics.horizontalAdvance(title) + headerPadding));
  }
  horizontalHeader()->setSectionResizeMode(TaskListModel::NameColumn, QHeaderView::Stretch);
  sortByColumn(TaskListModel::AddedColumn, Qt::AscendingOrder);
  // Over the defaults just set: the user's own layout from the last run. The
  // name identifies the row, so it always stays.
  if (headerKeeper_ == nullptr) {
    headerKeeper_ =
        new HeaderStateKeeper(this, QStringLiteral("taskTable"), {int{TaskListModel::NameColumn}});
  }
}

void TaskTableView::keyPressEvent(QKeyEvent* event) {
  const bool plain = (event->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;
  if (plain && event->key() == Qt::Key_Space && selectionModel() != nullptr &&
      selectionModel()->hasSelection()) {
    bool allStopped = true;
    for (const QModelIndex& index : selectionModel()->selectedRows()) {
      const auto status = static_cast<TaskStatus>(index.data(TaskListModel::StatusRole).toInt());
      allStopped = allStopped && (status == TaskStatus::Paused || status == TaskStatus::Failed);
    }
    emit pauseToggleRequested(allStopped);
    return;
  }
  if (plain && (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) &&
      currentIndex().isValid()) {
    // The details follow the selection: make sure the current task is in it.
    if (!selectionModel()->isRowSelected(currentIndex().row())) {
      selectionModel()->select(currentIndex(),
                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    emit detailsRequested();
    return;
  }
  QTableView::keyPressEvent(event);
}

QList<quint64> TaskTableView::selectedTaskIds() const {
  QList<quint64> ids;
  if (!selectionModel()) {
    return ids;
  }
  for (const QModelIndex& index : selectionModel()->selectedRows()) {
    ids.append(index.data(TaskListModel::TaskIdRole).value<quint64>());
  }
  return ids;
}

void TaskTableView::paintEvent(QPaintEvent* event) {
  QTableView::paintEvent(event);
  if (model() && model()->rowCount() > 0) {
    return;
  }
  // An empty table says what to do next instead of showing a blank grid.
  QPainter painter(viewport());
  QColor color = palette().color(QPalette::PlaceholderText);
  painter.setPen(color);
  QFont font = painter.font();
  font.setPointSizeF(font.pointSizeF() * 1.15);
  painter.setFont(font);
  painter.drawText(viewport()->rect().adjusted(24, 24, -24, -24),
                   Qt::AlignCenter | Qt::TextWordWrap,
                   tr("No downloads yet.\nAdd a torrent file, a magnet link or a URL to start."));
}

}  // namespace tributary::ui
