// Public to ui/: the General tab of the details panel: where the task saves,
// how big it is, and for a torrent its hash, pieces, comment, creator and
// wasted bytes, its source preference and CDN cap. Rows that mean nothing for this kind of task are
// hidden.
#pragma once

#include <QHash>
#include <QStackedWidget>

#include "ui/bridge/TaskDetails.h"

class QGridLayout;
class QLabel;

namespace tributary::ui {

class DetailsGeneralPage : public QStackedWidget {
  Q_OBJECT

 public:
  explicit DetailsGeneralPage(QWidget* parent = nullptr);

  void setDetails(const TaskDetails& details);
  void showEmpty(const QString& text);

  // The value shown for `field` (an object name such as "generalInfoHash"),
  // or an empty string when that row is hidden; for tests.
  QString fieldText(const QString& field) const;

 private:
  QLabel* addField(const QString& objectName, const QString& title);
  void setRowShown(QLabel* field, bool shown);

  QWidget* form_ = nullptr;
  // A grid, not a QFormLayout: Qt 6.4's QFormLayout writes out of bounds in
  // heightForWidth once a row is hidden with setRowVisible (seen in valgrind),
  // and a grid simply gives hidden rows no height.
  QGridLayout* layout_ = nullptr;
  QHash<QLabel*, QLabel*> titles_;  // value -> its title
  QLabel* empty_ = nullptr;
  QLabel* savePath_ = nullptr;
  QLabel* source_ = nullptr;
  QLabel* size_ = nullptr;
  QLabel* done_ = nullptr;
  QLabel* infoHash_ = nullptr;
  QLabel* pieces_ = nullptr;
  QLabel* comment_ = nullptr;
  QLabel* createdBy_ = nullptr;
  QLabel* private_ = nullptr;
  QLabel* wasted_ = nullptr;
  QLabel* sourcePolicy_ = nullptr;
  QLabel* error_ = nullptr;
};

}  // namespace tributary::ui
