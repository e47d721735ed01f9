#include "ui/widgets/TaskContextMenu.h"

#include <QAction>
#include <QClipboard>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGuiApplication>
#include <QMenu>
#include <QSet>
#include <QSpinBox>
#include <QUrl>
#include <QUrlQuery>

#include "ui/bridge/BridgeTypes.h"
#include "ui/bridge/EngineBridge.h"
#include "ui/dialogs/SourcePolicyDialog.h"
#include "ui/models/TaskListModel.h"
#include "ui/widgets/QueueMoveOrder.h"

namespace tributary::ui {
namespace {

bool hasSwarm(const TaskRow* row) {
  return row->kind != TaskKind::Http;
}

// KiB/s in the dialog; the engine takes bytes/s, 0 = unlimited.
constexpr int kMaxKiBPerSecond = 10 * 1024 * 1024;

QSpinBox* rateBox(QWidget* parent) {
  auto* box = new QSpinBox(parent);
  box->setRange(0, kMaxKiBPerSecond);
  box->setSuffix(QStringLiteral(" KiB/s"));
  box->setSpecialValueText(TaskContextMenu::tr("Unlimited"));
  return box;
}

}  // namespace

TaskContextMenu::TaskContextMenu(TaskListModel* model, EngineBridge* bridge, QWidget* dialogParent)
    : QObject(dialogParent), model_(model), bridge_(bridge), dialogParent_(dialogParent) {}

QList<const TaskRow*> TaskContextMenu::rowsOf(const QList<quint64>& ids) const {
  QList<const TaskRow*> rows;
  for (quint64 id : ids) {
    const int row = model_->rowOf(id);
    if (row >= 0) {
      rows << &model_->taskAt(row);
    }
  }
  return rows;
}

QString TaskContextMenu::magnetLink(const TaskRow& row) {
  if (row.infoHash.isEmpty()) {
    return {};
  }
  QUrlQuery query;
  query.addQueryItem(QStringLiteral("xt"), QStringLiteral("urn:btih:") + row.infoHash);
  if (!row.name.isEmpty()) {
    query.addQueryItem(QStringLiteral("dn"),
                       QString::fromLatin1(QUrl::toPercentEncoding(row.name)));
  }
  return QStringLiteral("magnet:?") + query.toString(QUrl::FullyEncoded);
}

std::unique_ptr<QMenu> TaskContextMenu::build(const QList<quint64>& ids,
                                              const QList<QAction*>& common) const {
  auto menu = std::make_unique<QMenu>(dialogParent_);
  menu->setObjectName(QStringLiteral("taskContextMenu"));
  menu->addActions(common);
  const QList<const TaskRow*> rows = rowsOf(ids);
  if (rows.isEmpty()) {
    return menu;
  }
  const bool anyTorrent = std::any_of(rows.begin(), rows.end(),
                                      [](const TaskRow* r) { return !r->infoHash.isEmpty(); });
  menu->addSeparator();
  QAction* open = menu->addAction(QIcon::fromTheme(QStringLiteral("folder-open")),
                                  tr("Open Containing &Folder"));
  open->setObjectName(QStringLiteral("openFolderAction"));
  connect(open, &QAction::triggered, this, [this, ids] { openFolders(ids); });
  QAction* magnet = menu->addAction(tr("Copy &Magnet Link"));
  magnet->setObjectName(QStringLiteral("copyMagnetAction"));
  magnet->setEnabled(anyTorrent);
  connect(magnet, &QAction::triggered, this, [this, ids] { copyMagnetLinks(ids); });
  menu->addSeparator();
  QAction* check =
      menu->addAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("Force &Recheck"));
  check->setObjectName(QStringLiteral("recheckAction"));
  check->setEnabled(anyTorrent);
  connect(check, &QAction::triggered, this, [this, ids] { recheck(ids); });
  QAction* location =
      menu->addAction(QIcon::fromTheme(QStringLiteral("folder-new")), tr("Set Lo&cation…"));
  location->setObjectName(QStringLiteral("setLocationAction"));
  location->setEnabled(anyTorrent);
  connect(location, &QAction::triggered, this, [this, ids] { askLocation(ids); });
  QAction* limits = menu->addAction(tr("Set Speed &Limits…"));
  limits->setObjectName(QStringLiteral("taskLimitsAction"));
  connect(limits, &QAction::triggered, this, [this, ids] { askLimits(ids); });
  QAction* sources = menu->addAction(tr("S&ources…"));
  sources->setObjectName(QStringLiteral("sourcePolicyAction"));
  sources->setEnabled(std::any_of(rows.begin(), rows.end(), hasSwarm));
  connect(sources, &QAction::triggered, this, [this, ids] { askSourcePolicy(ids); });
  const bool anyQueued =
      std::any_of(rows.begin(), rows.end(), [](const TaskRow* r) { return r->queuePosition != 0; });
  addQueueMenu(menu.get(), ids, anyQueued);
  return menu;
}

void TaskContextMenu::addQueueMenu(QMenu* menu, const QList<quint64>& ids, bool anyQueued) const {
  // A submenu, as in qBittorrent: four entries the main menu rarely needs.
  QMenu* queue = menu->addMenu(tr("&Queue"));
  queue->setObjectName(QStringLiteral("queueMenu"));
  queue->setEnabled(anyQueued);  // finished tasks have no place to move from
  const struct {
    const char* objectName;
    QString text;
    QueueMove move;
  } entries[] = {
      {"queueTopAction", tr("Move to &Top"), QueueMove::Top},
      {"queueUpAction", tr("Move &Up"), QueueMove::Up},
      {"queueDownAction", tr("Move &Down"), QueueMove::Down},
      {"queueBottomAction", tr("Move to &Bottom"), QueueMove::Bottom},
  };
  for (const auto& entry : entries) {
    QAction* action = queue->addAction(entry.text);
    action->setObjectName(QString::fromLatin1(entry.objectName));
    action->setEnabled(anyQueued);
    connect(action, &QAction::triggered, this,
            [this, ids, move = entry.move] { moveInQueue(ids, move); });
  }
}

void TaskContextMenu::moveInQueue(const QList<quint64>& ids, QueueMove move) const {
  QList<QueuedTask> selected;
  for (const TaskRow* row : rowsOf(ids)) {
    selected.append(QueuedTask{row->id, row->queuePosition});
  }
  quint32 lastPosition = 0;
  for (int row = 0; row < model_->rowCount(); ++row) {
    lastPosition = std::max(lastPosition, model_->taskAt(row).queuePosition);
  }
  for (quint64 id : queueMoveOrder(selected, move, lastPosition)) {
    bridge_->moveInQueue(id, move);
  }
}

void TaskContextMenu::openFolders(const QList<quint64>& ids) const {
  QSet<QString> opened;  // ten tasks in one folder open it once
  for (const TaskRow* row : rowsOf(ids)) {
    if (!row->saveDir.isEmpty() && !opened.contains(row->saveDir)) {
      opened.insert(row->saveDir);
      QDesktopServices::openUrl(QUrl::fromLocalFile(row->saveDir));
    }
  }
}

void TaskContextMenu::copyMagnetLinks(const QList<quint64>& ids) const {
  QStringList links;
  for (const TaskRow* row : rowsOf(ids)) {
    if (const QString link = magnetLink(*row); !link.isEmpty()) {
      links << link;
    }
  }
  if (!links.isEmpty()) {
    QGuiApplication::clipboard()->setText(links.join(QLatin1Char('\n')));
  }
}

void TaskContextMenu::recheck(const QList<quint64>& ids) const {
  for (const TaskRow* row : rowsOf(ids)) {
    if (!row->infoHash.isEmpty()) {
      bridge_->recheck(row->id);
    }
  }
}

void TaskContextMenu::askLocation(const QList<quint64>& ids) const {
  const QList<const TaskRow*> rows = rowsOf(ids);
  if (rows.isEmpty()) {
    return;
  }
  const QString start = rows.front()->saveDir;
  const QString dir =
      chooseFolder_ ? chooseFolder_(start)
                    : QFileDialog::getExistingDirectory(dialogParent_, tr("Set Location"), start);
  if (!dir.isEmpty()) {
    setLocation(ids, dir);
  }
}

void TaskContextMenu::setLocation(const QList<quint64>& ids, const QString& dir) const {
  for (const TaskRow* row : rowsOf(ids)) {
    if (!row->infoHash.isEmpty()) {
      bridge_->setLocation(row->id, dir);
    }
  }
}

void TaskContextMenu::setLimits(const QList<quint64>& ids, quint64 downloadRate,
                                quint64 uploadRate) const {
  for (quint64 id : ids) {
    bridge_->setTaskLimits(id, downloadRate, uploadRate);
  }
}

void TaskContextMenu::askLimits(const QList<quint64>& ids) const {
  auto* dialog = new QDialog(dialogParent_);
  dialog->setObjectName(QStringLiteral("taskLimitsDialog"));
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(ids.size() == 1
                             ? tr("Speed Limits")
                             : tr("Speed Limits of %n Downloads", nullptr, int(ids.size())));
  auto* layout = new QFormLayout(dialog);
  QSpinBox* down = rateBox(dialog);
  down->setObjectName(QStringLiteral("downloadLimit"));
  QSpinBox* up = rateBox(dialog);
  up->setObjectName(QStringLiteral("uploadLimit"));
  layout->addRow(tr("&Download:"), down);
  layout->addRow(tr("&Upload:"), up);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
  layout->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
  connect(dialog, &QDialog::accepted, this, [this, ids, down, up] {
    setLimits(ids, quint64(down->value()) * 1024, quint64(up->value()) * 1024);
  });
  dialog->open();
}

void TaskContextMenu::setSourcePolicy(const QList<quint64>& ids, const SourcePolicy& policy) const {
  for (const TaskRow* row : rowsOf(ids)) {
    if (hasSwarm(row)) {
      bridge_->setSourcePolicy(row->id, policy.preference, policy.cdnByteCap);
    }
  }
}

void TaskContextMenu::askSourcePolicy(const QList<quint64>& ids) const {
  QList<quint64> torrents;
  SourcePolicy current;
  for (const TaskRow* row : rowsOf(ids)) {
    if (hasSwarm(row)) {
      if (torrents.isEmpty()) {
        current = row->sourcePolicy;
      }
      torrents << row->id;
    }
  }
  if (torrents.isEmpty()) {
    return;
  }
  auto* dialog = new SourcePolicyDialog(current, int(torrents.size()), dialogParent_);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this,
          [this, torrents, dialog] { setSourcePolicy(torrents, dialog->policy()); });
  dialog->open();
}

}  // namespace tributary::ui
