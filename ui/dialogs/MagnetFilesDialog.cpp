#include "ui/dialogs/MagnetFilesDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/dialogs/TorrentFilesPane.h"
#include "ui/models/AddTorrentFilesModel.h"
#include "ui/models/Format.h"

namespace tributary::ui {

namespace {

QLabel* makeValueLabel(const QString& text, const char* objectName, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setObjectName(QString::fromLatin1(objectName));
  // Names come from the swarm: never let them render as markup.
  label->setTextFormat(Qt::PlainText);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->setWordWrap(true);
  return label;
}

// The snapshot's paths are '/'-separated and start with the torrent's folder
// for a multi-file torrent, which is the tree the file model builds.
QList<TorrentPreviewFile> previewFiles(const QList<FileInfo>& files) {
  QList<TorrentPreviewFile> out;
  out.reserve(files.size());
  for (const FileInfo& file : files) {
    // Padding files hold places in the torrent's list (the model counts
    // priorities by them) but are not in the snapshot: put them back.
    while (static_cast<quint32>(out.size()) < file.index) {
      TorrentPreviewFile padding;
      padding.padding = true;
      out << std::move(padding);
    }
    TorrentPreviewFile preview;
    preview.path = file.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (preview.path.isEmpty()) {
      preview.path << file.path;
    }
    preview.size = file.size;
    out << std::move(preview);
  }
  return out;
}

}  // namespace

MagnetFilesDialog::MagnetFilesDialog(const TaskDetails& details, QWidget* parent)
    : QDialog(parent), taskId_(details.task.id) {
  setObjectName(QStringLiteral("magnetFilesDialog"));
  setWindowTitle(tr("Add Magnet Link"));

  const QList<FileInfo> files = details.torrent ? details.torrent->files : QList<FileInfo>();
  quint64 totalBytes = 0;
  for (const FileInfo& file : files) {
    totalBytes += file.size;
    // By the torrent's index, like the preview list: padding files keep "normal".
    while (static_cast<quint32>(original_.size()) < file.index) {
      original_ << quint8{1};
    }
    original_ << file.priority;
  }
  auto* form = new QFormLayout;
  form->addRow(tr("Name:"), makeValueLabel(details.task.name, "torrentName", this));
  form->addRow(tr("Size:"), makeValueLabel(Format::bytes(totalBytes), "torrentSize", this));
  if (details.torrent) {
    auto* hash = makeValueLabel(details.torrent->infoHashHex, "infoHash", this);
    hash->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    form->addRow(tr("Info hash:"), hash);
  }
  // Chosen when the link was added; the task exists, so it is shown, not asked.
  form->addRow(tr("Save to:"), makeValueLabel(QDir::toNativeSeparators(details.task.saveDir),
                                              "saveDirShown", this));

  files_ = new TorrentFilesPane(this);
  files_->setFiles(previewFiles(files), original_);

  startPaused_ = new QCheckBox(tr("Start &paused"), this);
  startPaused_->setObjectName(QStringLiteral("startPaused"));
  dontAskAgain_ = new QCheckBox(tr("&Don't ask again"), this);
  dontAskAgain_->setObjectName(QStringLiteral("dontAskAgain"));
  dontAskAgain_->setToolTip(
      tr("Add torrents and magnet links at once, with every file, without this dialog."));

  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons_->button(QDialogButtonBox::Cancel)
      ->setToolTip(tr("Remove this download; nothing of it was written."));
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(files_, 1);
  layout->addWidget(startPaused_);
  layout->addWidget(dontAskAgain_);
  layout->addWidget(buttons_);

  connect(files_->model(), &AddTorrentFilesModel::checkedChanged, this,
          &MagnetFilesDialog::updateOkButton);
  updateOkButton();
  resize(640, 520);
}

QList<quint8> MagnetFilesDialog::filePriorities() const {
  const QList<quint8> checked = files_->model()->filePriorities();
  QList<quint8> chosen;
  chosen.reserve(original_.size());
  for (qsizetype i = 0; i < original_.size(); ++i) {
    const bool wanted = i >= checked.size() || checked[i] != 0;
    // A file the magnet's so= or the user had at high stays high.
    chosen << (wanted ? std::max<quint8>(original_[i], 1) : quint8{0});
  }
  return chosen == original_ ? QList<quint8>() : chosen;
}

bool MagnetFilesDialog::startPaused() const {
  return startPaused_->isChecked();
}

bool MagnetFilesDialog::dontAskAgain() const {
  return dontAskAgain_->isChecked();
}

AddTorrentFilesModel* MagnetFilesDialog::filesModel() const {
  return files_->model();
}

QTreeView* MagnetFilesDialog::fileView() const {
  return files_->view();
}

void MagnetFilesDialog::updateOkButton() {
  const bool none = files_->model()->noneChecked();
  QPushButton* ok = buttons_->button(QDialogButtonBox::Ok);
  // Nothing to download: Cancel says that more plainly.
  ok->setEnabled(!none);
  ok->setToolTip(none ? tr("Select at least one file.") : QString());
}

}  // namespace tributary::ui
