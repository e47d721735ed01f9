#include "ui/dialogs/AddTorrentDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/dialogs/AlsoFromCheck.h"
#include "ui/dialogs/SourcePreferenceCombo.h"
#include "ui/dialogs/TorrentFilesPane.h"
#include "ui/models/AddTorrentFilesModel.h"
#include "ui/models/Format.h"

namespace tributary::ui {

namespace {

QLabel* makeValueLabel(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  // A torrent's name is anyone's text: never let it render as markup.
  label->setTextFormat(Qt::PlainText);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->setWordWrap(true);
  return label;
}

}  // namespace

AddTorrentDialog::AddTorrentDialog(const QString& source, const TorrentPreview& preview,
                                   const QString& saveDir, QWidget* parent)
    : QDialog(parent), source_(source), preview_(preview) {
  setObjectName(QStringLiteral("addTorrentDialog"));
  setWindowTitle(tr("Add Torrent"));

  auto* name = makeValueLabel(preview.name, this);
  name->setObjectName(QStringLiteral("torrentName"));
  auto* size = makeValueLabel(Format::bytes(preview.totalBytes), this);
  size->setObjectName(QStringLiteral("torrentSize"));
  auto* hash = makeValueLabel(preview.infoHashHex, this);
  hash->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

  saveDir_ = new QLineEdit(QDir::toNativeSeparators(saveDir), this);
  saveDir_->setObjectName(QStringLiteral("saveDir"));
  auto* browse = new QPushButton(tr("&Browse…"), this);
  browse->setObjectName(QStringLiteral("browseSaveDir"));
  connect(browse, &QPushButton::clicked, this, &AddTorrentDialog::browseForSaveDir);
  auto* folderRow = new QHBoxLayout;
  folderRow->addWidget(saveDir_, 1);
  folderRow->addWidget(browse);

  auto* form = new QFormLayout;
  form->addRow(tr("Name:"), name);
  form->addRow(tr("Size:"), size);
  form->addRow(tr("Info hash:"), hash);
  // A row holding a layout gets no buddy of its own: name the edit box, so the
  // mnemonic works (and does not show as a literal "&").
  auto* saveDirLabel = new QLabel(tr("Save &to:"), this);
  saveDirLabel->setBuddy(saveDir_);
  form->addRow(saveDirLabel, folderRow);

  alsoFrom_ = new QLineEdit(this);
  alsoFrom_->setObjectName(QStringLiteral("alsoFrom"));
  alsoFrom_->setPlaceholderText(tr("The same content's http(s) URL (optional)"));
  alsoFrom_->setToolTip(
      tr("Download from this URL and the swarm at once, as one task; the torrent's "
         "pieces check every byte. For a torrent with several files, give the folder "
         "holding its top folder, ending in “/”."));
  auto* alsoFromLabel = new QLabel(tr("Also download &from:"), this);
  alsoFromLabel->setBuddy(alsoFrom_);
  form->addRow(alsoFromLabel, alsoFrom_);
  alsoFromError_ = new QLabel(this);
  alsoFromError_->setObjectName(QStringLiteral("alsoFromError"));
  alsoFromError_->setTextFormat(Qt::PlainText);  // it may quote what was typed
  alsoFromError_->setWordWrap(true);
  alsoFromError_->setStyleSheet(QStringLiteral("color: #c0392b;"));
  alsoFromError_->hide();
  form->addRow(QString(), alsoFromError_);
  sourcePreference_ = new SourcePreferenceCombo(this);
  sourcePreference_->setObjectName(QStringLiteral("sourcePreference"));
  auto* sourcesLabel = new QLabel(tr("&Sources:"), this);
  sourcesLabel->setBuddy(sourcePreference_);
  form->addRow(sourcesLabel, sourcePreference_);

  files_ = new TorrentFilesPane(this);
  files_->setFiles(preview.files);

  startPaused_ = new QCheckBox(tr("Start &paused"), this);
  startPaused_->setObjectName(QStringLiteral("startPaused"));
  dontAskAgain_ = new QCheckBox(tr("&Don't ask again"), this);
  dontAskAgain_->setObjectName(QStringLiteral("dontAskAgain"));
  dontAskAgain_->setToolTip(
      tr("Add torrents at once, with every file, to the default folder, without this dialog."));

  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(files_, 1);
  layout->addWidget(startPaused_);
  layout->addWidget(dontAskAgain_);
  layout->addWidget(buttons_);

  connect(files_->model(), &AddTorrentFilesModel::checkedChanged, this,
          &AddTorrentDialog::updateOkButton);
  connect(saveDir_, &QLineEdit::textChanged, this, &AddTorrentDialog::updateOkButton);
  connect(alsoFrom_, &QLineEdit::textChanged, this, &AddTorrentDialog::updateOkButton);
  updateOkButton();
  resize(640, 520);
}

QString AddTorrentDialog::saveDir() const {
  const QString text = saveDir_->text().trimmed();
  return text.isEmpty() ? QString() : QDir::cleanPath(QDir::fromNativeSeparators(text));
}

void AddTorrentDialog::setSaveDir(const QString& dir) {
  saveDir_->setText(QDir::toNativeSeparators(dir));
}

bool AddTorrentDialog::startPaused() const {
  return startPaused_->isChecked();
}

void AddTorrentDialog::setStartPaused(bool paused) {
  startPaused_->setChecked(paused);
}

bool AddTorrentDialog::dontAskAgain() const {
  return dontAskAgain_->isChecked();
}

QString AddTorrentDialog::alsoFrom() const {
  return alsoFrom_->text().trimmed();
}

void AddTorrentDialog::setAlsoFrom(const QString& text) {
  alsoFrom_->setText(text);
}

SourcePreference AddTorrentDialog::sourcePreference() const {
  return sourcePreference_->preference();
}

void AddTorrentDialog::setSourcePreference(SourcePreference preference) {
  sourcePreference_->setPreference(preference);
}

QString AddTorrentDialog::alsoFromError(const QString& text, const TorrentPreview& preview) {
  return AlsoFromCheck::originUrlError(text, preview.multiFile, preview.name);
}

QList<quint8> AddTorrentDialog::filePriorities() const {
  const AddTorrentFilesModel* model = files_->model();
  return model->allChecked() ? QList<quint8>() : model->filePriorities();
}

void AddTorrentDialog::browseForSaveDir() {
  // open(), not exec(): a nested event loop here would outlive a window
  // closed under it, and tests could not drive it.
  auto* chooser = new QFileDialog(this, tr("Save To"), saveDir());
  chooser->setObjectName(QStringLiteral("saveDirChooser"));
  chooser->setFileMode(QFileDialog::Directory);
  chooser->setOption(QFileDialog::ShowDirsOnly);
  chooser->setAttribute(Qt::WA_DeleteOnClose);
  connect(chooser, &QFileDialog::fileSelected, this, &AddTorrentDialog::setSaveDir);
  chooser->open();
}

AddTorrentFilesModel* AddTorrentDialog::filesModel() const {
  return files_->model();
}

QTreeView* AddTorrentDialog::fileView() const {
  return files_->view();
}

void AddTorrentDialog::updateOkButton() {
  const AddTorrentFilesModel* model = files_->model();
  QPushButton* ok = buttons_->button(QDialogButtonBox::Ok);
  const QString alsoFromProblem = alsoFromError(alsoFrom_->text(), preview_);
  alsoFromError_->setText(alsoFromProblem);
  alsoFromError_->setVisible(!alsoFromProblem.isEmpty());
  // Nothing to download, nowhere to put it, or an origin that cannot be
  // this torrent's: OK would only fail later.
  ok->setEnabled(!model->noneChecked() && !saveDir().isEmpty() && alsoFromProblem.isEmpty());
  ok->setToolTip(model->noneChecked() ? tr("Select at least one file.") : QString());
}

}  // namespace tributary::ui
