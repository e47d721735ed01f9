#include "ui/widgets/TaskSearchField.h"

#include <QKeyEvent>
#include <QShortcut>
#include <QTimer>

#include "ui/models/TaskFilterProxy.h"

namespace tributary::ui {

TaskSearchField::TaskSearchField(TaskFilterProxy* proxy, QWidget* parent)
    : QLineEdit(parent), proxy_(proxy) {
  setObjectName(QStringLiteral("taskSearch"));
  setPlaceholderText(tr("Search by name"));
  setToolTip(tr("Show the downloads whose name contains this text (Ctrl+F)"));
  setClearButtonEnabled(true);
  setMaximumWidth(fontMetrics().horizontalAdvance(QLatin1Char('n')) * 36);
  debounce_ = new QTimer(this);
  debounce_->setSingleShot(true);
  debounce_->setInterval(kDebounceMs);
  connect(this, &QLineEdit::textChanged, debounce_, qOverload<>(&QTimer::start));
  connect(debounce_, &QTimer::timeout, this, [this] { proxy_->setSearchText(text()); });
  // Window-wide, as in browsers and qBittorrent.
  auto* find = new QShortcut(QKeySequence::Find, this);
  find->setContext(Qt::WindowShortcut);
  connect(find, &QShortcut::activated, this, [this] {
    setFocus(Qt::ShortcutFocusReason);
    selectAll();
  });
}

void TaskSearchField::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Escape && !text().isEmpty()) {
    // Clearing is not worth waiting for.
    clear();
    debounce_->stop();
    proxy_->setSearchText({});
    return;
  }
  QLineEdit::keyPressEvent(event);
}

}  // namespace tributary::ui
