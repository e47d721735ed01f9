// Public to ui/models: the base of the details tables (peers, trackers, files,
// sources). Each tick brings the whole list again; this merges it into the
// rows already shown by key, so a row that is still there keeps its place and
// its persistent indexes, and views keep their selection and scroll position
// across updates. Only rows whose values changed get a dataChanged, one per
// contiguous run.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <algorithm>
#include <utility>

namespace tributary::ui {

// Row needs operator==; keyOf() names a row uniquely within one task.
template <class Row>
class KeyedRowModel : public QAbstractTableModel {
 public:
  using QAbstractTableModel::QAbstractTableModel;

  int rowCount(const QModelIndex& parent = {}) const override {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
  }

  // The rows of task `owner`. The same owner as before merges; another one
  // resets, since nothing of the old task's selection means anything now.
  void setRows(quint64 owner, const QList<Row>& fresh) {
    if (owner != owner_) {
      beginResetModel();
      owner_ = owner;
      rows_.clear();
      appendUnique(fresh, {});
      endResetModel();
      return;
    }
    merge(fresh);
  }

  void clear() { setRows(0, {}); }

  quint64 owner() const { return owner_; }
  const Row& rowAt(int row) const { return rows_.at(row); }

 protected:
  virtual QString keyOf(const Row& row) const = 0;

  QList<Row> rows_;

 private:
  void merge(const QList<Row>& fresh) {
    QHash<QString, qsizetype> freshByKey;
    freshByKey.reserve(fresh.size());
    for (qsizetype i = 0; i < fresh.size(); ++i) {
      const QString key = keyOf(fresh.at(i));
      if (!freshByKey.contains(key)) {  // a repeated key: the first one wins, as on insert
        freshByKey.insert(key, i);
      }
    }

    // Removals bottom-up, one signal per run, so the numbers of the runs
    // still to go stay right.
    QList<int> gone;
    for (int r = 0; r < rows_.size(); ++r) {
      if (!freshByKey.contains(keyOf(rows_.at(r)))) {
        gone.append(r);
      }
    }
    for (auto it = gone.crbegin(); it != gone.crend();) {
      const int last = *it;
      int first = last;
      for (++it; it != gone.crend() && *it == first - 1; ++it) {
        first = *it;
      }
      beginRemoveRows({}, first, last);
      rows_.remove(first, last - first + 1);
      endRemoveRows();
    }

    QSet<QString> present;
    int runFirst = -1;
    for (int r = 0; r < rows_.size(); ++r) {
      const QString key = keyOf(rows_.at(r));
      present.insert(key);
      const Row& incoming = fresh.at(freshByKey.value(key));
      const bool changed = !(rows_.at(r) == incoming);
      if (changed) {
        rows_[r] = incoming;
        if (runFirst < 0) {
          runFirst = r;
        }
      }
      if (runFirst >= 0 && (!changed || r + 1 == rows_.size())) {
        const int runLast = changed ? r : r - 1;
        emit dataChanged(index(runFirst, 0), index(runLast, columnCount() - 1));
        runFirst = -1;
      }
    }

    QList<Row> added;
    for (const Row& row : fresh) {
      if (!present.contains(keyOf(row))) {
        added.append(row);
      }
    }
    if (!added.isEmpty()) {
      beginInsertRows({}, static_cast<int>(rows_.size()),
                      static_cast<int>(rows_.size() + uniqueCount(added)) - 1);
      appendUnique(added, {});
      endInsertRows();
    }
  }

  // Appends rows whose key is neither in `seen` nor earlier in `rows`.
  void appendUnique(const QList<Row>& rows, QSet<QString> seen) {
    for (const Row& row : rows) {
      const QString key = keyOf(row);
      if (!seen.contains(key)) {
        seen.insert(key);
        rows_.append(row);
      }
    }
  }

  qsizetype uniqueCount(const QList<Row>& rows) const {
    QSet<QString> keys;
    for (const Row& row : rows) {
      keys.insert(keyOf(row));
    }
    return keys.size();
  }

  quint64 owner_ = 0;
};

}  // namespace tributary::ui
