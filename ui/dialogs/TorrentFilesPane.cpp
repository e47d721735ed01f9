#include "ui/dialogs/TorrentFilesPane.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

#include "ui/models/AddTorrentFilesModel.h"
#include "ui/models/Format.h"

namespace tributary::ui {

TorrentFilesPane::TorrentFilesPane(QWidget* parent) : QWidget(parent) {
  model_ = new AddTorrentFilesModel(this);
  view_ = new QTreeView(this);
  view_->setObjectName(QStringLiteral("fileTree"));
  view_->setModel(model_);
  view_->setUniformRowHeights(true);  // keeps a 100,000-file tree quick to scroll
  view_->header()->setStretchLastSection(false);
  view_->header()->setSectionResizeMode(AddTorrentFilesModel::NameColumn, QHeaderView::Stretch);
  view_->header()->setSectionResizeMode(AddTorrentFilesModel::SizeColumn,
                                        QHeaderView::ResizeToContents);

  auto* selectAll = new QPushButton(tr("Select &All"), this);
  selectAll->setObjectName(QStringLiteral("selectAllFiles"));
  connect(selectAll, &QPushButton::clicked, this, [this] { model_->setAllChecked(true); });
  auto* selectNone = new QPushButton(tr("Select &None"), this);
  selectNone->setObjectName(QStringLiteral("selectNoFiles"));
  connect(selectNone, &QPushButton::clicked, this, [this] { model_->setAllChecked(false); });
  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("selectionSummary"));
  auto* selectionRow = new QHBoxLayout;
  selectionRow->addWidget(selectAll);
  selectionRow->addWidget(selectNone);
  selectionRow->addStretch();
  selectionRow->addWidget(summary_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(view_, 1);
  layout->addLayout(selectionRow);

  connect(model_, &AddTorrentFilesModel::checkedChanged, this, &TorrentFilesPane::updateSummary);
  updateSummary();
}

void TorrentFilesPane::setFiles(const QList<TorrentPreviewFile>& files,
                                const QList<quint8>& priorities) {
  model_->setFiles(files);
  for (qsizetype i = 0; i < priorities.size() && i < files.size(); ++i) {
    if (priorities[i] == 0) {
      model_->setFileChecked(static_cast<int>(i), false);
    }
  }
  // The torrent's own folder open, so its contents show without a click.
  if (model_->rowCount() == 1) {
    view_->expand(model_->index(0, 0));
  }
}

void TorrentFilesPane::updateSummary() {
  summary_->setText(
      tr("%1 of %2 selected")
          .arg(Format::bytes(model_->checkedBytes()), Format::bytes(model_->totalBytes())));
}

}  // namespace tributary::ui
