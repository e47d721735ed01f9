#include "ui/dialogs/AddLinkDialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/dialogs/AlsoFromCheck.h"
#include "ui/dialogs/SourcePreferenceCombo.h"

namespace tributary::ui {

namespace {

QLabel* makeErrorLabel(const QString& name, QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setObjectName(name);
  label->setTextFormat(Qt::PlainText);  // it quotes what was typed
  label->setWordWrap(true);
  label->setStyleSheet(QStringLiteral("color: #c0392b;"));
  label->hide();
  return label;
}

void showError(QLabel* label, const QString& error) {
  label->setText(error);
  label->setVisible(!error.isEmpty());
}

}  // namespace

AddLinkDialog::AddLinkDialog(const QString& link, const QString& torrentDir, QWidget* parent)
    : QDialog(parent), torrentDir_(torrentDir) {
  setObjectName(QStringLiteral("addLinkDialog"));
  setWindowTitle(tr("Add Magnet or URL"));

  link_ = new QLineEdit(link.trimmed(), this);
  link_->setObjectName(QStringLiteral("link"));
  link_->setPlaceholderText(tr("magnet:?xt=urn:btih:… or https://…"));
  auto* linkLabel = new QLabel(tr("Magnet link or HTTP(S) &URL:"), this);
  linkLabel->setBuddy(link_);
  linkError_ = makeErrorLabel(QStringLiteral("linkError"), this);

  alsoFrom_ = new QLineEdit(this);
  alsoFrom_->setObjectName(QStringLiteral("alsoFrom"));
  browse_ = new QPushButton(tr("&Torrent File…"), this);
  browse_->setObjectName(QStringLiteral("browseAlsoFrom"));
  browse_->setToolTip(tr("Pick the .torrent file of the same content"));
  connect(browse_, &QPushButton::clicked, this, &AddLinkDialog::browseForTorrent);
  auto* alsoFromRow = new QHBoxLayout;
  alsoFromRow->addWidget(alsoFrom_, 1);
  alsoFromRow->addWidget(browse_);
  // A row holding a layout gets no buddy of its own (see AddTorrentDialog).
  auto* alsoFromLabel = new QLabel(tr("Also download &from:"), this);
  alsoFromLabel->setBuddy(alsoFrom_);
  alsoFromError_ = makeErrorLabel(QStringLiteral("alsoFromError"), this);

  sourcePreference_ = new SourcePreferenceCombo(this);
  sourcePreference_->setObjectName(QStringLiteral("sourcePreference"));
  auto* sourcesLabel = new QLabel(tr("&Sources:"), this);
  sourcesLabel->setBuddy(sourcePreference_);

  auto* form = new QFormLayout;
  form->addRow(linkLabel, link_);
  form->addRow(QString(), linkError_);
  form->addRow(alsoFromLabel, alsoFromRow);
  form->addRow(QString(), alsoFromError_);
  form->addRow(sourcesLabel, sourcePreference_);

  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addStretch(1);
  layout->addWidget(buttons_);

  connect(link_, &QLineEdit::textChanged, this, &AddLinkDialog::updateState);
  connect(alsoFrom_, &QLineEdit::textChanged, this, &AddLinkDialog::updateState);
  updateState();
  resize(600, sizeHint().height());
}

QString AddLinkDialog::link() const {
  return link_->text().trimmed();
}

void AddLinkDialog::setLink(const QString& text) {
  link_->setText(text);
}

QString AddLinkDialog::alsoFrom() const {
  return alsoFrom_->text().trimmed();
}

void AddLinkDialog::setAlsoFrom(const QString& text) {
  alsoFrom_->setText(text);
}

SourcePreference AddLinkDialog::sourcePreference() const {
  return sourcePreference_->preference();
}

void AddLinkDialog::setSourcePreference(SourcePreference preference) {
  sourcePreference_->setPreference(preference);
}

void AddLinkDialog::browseForTorrent() {
  // open(), not exec(): see AddTorrentDialog::browseForSaveDir.
  auto* chooser = new QFileDialog(this, tr("Torrent File"), torrentDir_,
                                  tr("Torrent files (*.torrent);;All files (*)"));
  chooser->setObjectName(QStringLiteral("alsoFromChooser"));
  chooser->setFileMode(QFileDialog::ExistingFile);
  chooser->setAttribute(Qt::WA_DeleteOnClose);
  connect(chooser, &QFileDialog::fileSelected, this, &AddLinkDialog::setAlsoFrom);
  chooser->open();
}

void AddLinkDialog::updateState() {
  const QString link = this->link();
  const QString linkProblem = AlsoFromCheck::linkError(link);
  showError(linkError_, linkProblem);
  const bool magnet = AlsoFromCheck::isMagnet(link);
  const bool url = !magnet && AlsoFromCheck::isHttpUrl(link);
  // What pairs with the link is the other kind of source; until the link
  // says which it is, either may be typed, and only the link is judged.
  QString alsoFromProblem;
  if (magnet) {
    alsoFrom_->setPlaceholderText(tr("The same content's http(s) URL (optional)"));
    alsoFrom_->setToolTip(
        tr("Download from this URL and the swarm at once, as one task; the torrent's pieces "
           "check every byte. For a torrent with several files, give the folder holding its "
           "top folder, ending in “/”."));
    alsoFromProblem = AlsoFromCheck::originUrlError(alsoFrom_->text(), false, {});
  } else if (url) {
    alsoFrom_->setPlaceholderText(
        tr("A .torrent file or magnet link of the same content (optional)"));
    alsoFrom_->setToolTip(
        tr("Download from the swarm and this URL at once, as one task; the torrent's pieces "
           "check every byte."));
    alsoFromProblem = AlsoFromCheck::torrentError(alsoFrom_->text());
  } else {
    alsoFrom_->setPlaceholderText(tr("Another source of the same content (optional)"));
    alsoFrom_->setToolTip({});
  }
  // A file is picked only beside a URL: a magnet's partner is a URL.
  browse_->setEnabled(!magnet);
  // A plain URL has no swarm to weigh against.
  sourcePreference_->setEnabled(magnet || (url && !alsoFrom().isEmpty()));
  showError(alsoFromError_, alsoFromProblem);
  buttons_->button(QDialogButtonBox::Ok)
      ->setEnabled(!link.isEmpty() && linkProblem.isEmpty() && alsoFromProblem.isEmpty());
}

}  // namespace tributary::ui
