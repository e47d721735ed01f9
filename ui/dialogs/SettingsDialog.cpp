#include "ui/dialogs/SettingsDialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <limits>

namespace tributary::ui {

namespace {
constexpr quint64 kKibibyte = 1024;

// Rounded up so a small limit never shows as "Unlimited".
int toKib(quint64 rate) {
  const quint64 kib = (rate + kKibibyte - 1) / kKibibyte;
  return static_cast<int>(std::min<quint64>(kib, std::numeric_limits<int>::max()));
}
}  // namespace

SettingsDialog::SettingsDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Settings"));
  setObjectName(QStringLiteral("settingsDialog"));

  saveDir_ = new QLineEdit(this);
  saveDir_->setObjectName(QStringLiteral("defaultSaveDir"));
  auto* browse = new QPushButton(tr("&Browse…"), this);
  browse->setObjectName(QStringLiteral("browseSaveDir"));
  connect(browse, &QPushButton::clicked, this, &SettingsDialog::browseForSaveDir);
  auto* downloads = new QGroupBox(tr("Downloads"), this);
  auto* folderRow = new QHBoxLayout;
  folderRow->addWidget(saveDir_, 1);
  folderRow->addWidget(browse);
  auto* downloadsForm = new QFormLayout(downloads);
  downloadsForm->addRow(tr("Default &folder:"), folderRow);
  askBeforeAdding_ =
      new QCheckBox(tr("&Ask where to save and which files for each .torrent"), this);
  askBeforeAdding_->setObjectName(QStringLiteral("askBeforeAddingTorrents"));
  downloadsForm->addRow(askBeforeAdding_);

  downloadLimit_ = makeRateBox();
  downloadLimit_->setObjectName(QStringLiteral("downloadLimit"));
  uploadLimit_ = makeRateBox();
  uploadLimit_->setObjectName(QStringLiteral("uploadLimit"));

  auto* limits = new QGroupBox(tr("Global speed limits"), this);
  auto* form = new QFormLayout(limits);
  form->addRow(tr("&Download:"), downloadLimit_);
  form->addRow(tr("&Upload:"), uploadLimit_);

  altDownloadLimit_ = makeRateBox();
  altDownloadLimit_->setObjectName(QStringLiteral("altDownloadLimit"));
  altUploadLimit_ = makeRateBox();
  altUploadLimit_->setObjectName(QStringLiteral("altUploadLimit"));
  auto* altLimits = new QGroupBox(tr("Alternative speed limits"), this);
  auto* altForm = new QFormLayout(altLimits);
  altForm->addRow(tr("Do&wnload:"), altDownloadLimit_);
  altForm->addRow(tr("U&pload:"), altUploadLimit_);

  closeToTray_ = new QCheckBox(tr("&Closing the window keeps Tributary in the tray"), this);
  closeToTray_->setObjectName(QStringLiteral("closeToTray"));
  minimizeToTray_ = new QCheckBox(tr("&Minimising the window hides it in the tray"), this);
  minimizeToTray_->setObjectName(QStringLiteral("minimizeToTray"));
  notifyWhenDone_ = new QCheckBox(tr("&Notify when a download finishes or fails"), this);
  notifyWhenDone_->setObjectName(QStringLiteral("notifyWhenDone"));
  trayNote_ =
      new QLabel(tr("No system tray was found, so closing the window quits Tributary."), this);
  trayNote_->setObjectName(QStringLiteral("trayUnavailableNote"));
  trayNote_->setWordWrap(true);
  trayNote_->hide();
  auto* tray = new QGroupBox(tr("System tray"), this);
  auto* trayLayout = new QVBoxLayout(tray);
  trayLayout->addWidget(closeToTray_);
  trayLayout->addWidget(minimizeToTray_);
  trayLayout->addWidget(notifyWhenDone_);
  trayLayout->addWidget(trayNote_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(downloads);
  layout->addWidget(limits);
  layout->addWidget(altLimits);
  layout->addWidget(tray);
  layout->addStretch();
  layout->addWidget(buttons);
  setMinimumWidth(480);
}

QSpinBox* SettingsDialog::makeRateBox() {
  auto* box = new QSpinBox(this);
  box->setRange(0, std::numeric_limits<int>::max());
  box->setSingleStep(100);
  box->setSuffix(tr(" KiB/s"));
  // The minimum shows as a word: a limit of 0 means there is none.
  box->setSpecialValueText(tr("Unlimited"));
  box->setAlignment(Qt::AlignRight);
  return box;
}

void SettingsDialog::setLimits(quint64 maxDownloadRate, quint64 maxUploadRate) {
  downloadLimit_->setValue(toKib(maxDownloadRate));
  uploadLimit_->setValue(toKib(maxUploadRate));
}

void SettingsDialog::setDefaultSaveDir(const QString& dir) {
  saveDir_->setText(QDir::toNativeSeparators(dir));
}

QString SettingsDialog::defaultSaveDir() const {
  const QString text = saveDir_->text().trimmed();
  return text.isEmpty() ? QString() : QDir::fromNativeSeparators(text);
}

void SettingsDialog::setAskBeforeAddingTorrents(bool ask) {
  askBeforeAdding_->setChecked(ask);
}

bool SettingsDialog::askBeforeAddingTorrents() const {
  return askBeforeAdding_->isChecked();
}

void SettingsDialog::browseForSaveDir() {
  const QString dir =
      QFileDialog::getExistingDirectory(this, tr("Default Download Folder"), defaultSaveDir());
  if (!dir.isEmpty()) {
    setDefaultSaveDir(dir);
  }
}

quint64 SettingsDialog::maxDownloadRate() const {
  return static_cast<quint64>(downloadLimit_->value()) * kKibibyte;
}

quint64 SettingsDialog::maxUploadRate() const {
  return static_cast<quint64>(uploadLimit_->value()) * kKibibyte;
}

void SettingsDialog::setAlternativeLimits(quint64 maxDownloadRate, quint64 maxUploadRate) {
  altDownloadLimit_->setValue(toKib(maxDownloadRate));
  altUploadLimit_->setValue(toKib(maxUploadRate));
}

quint64 SettingsDialog::alternativeDownloadRate() const {
  return static_cast<quint64>(altDownloadLimit_->value()) * kKibibyte;
}

quint64 SettingsDialog::alternativeUploadRate() const {
  return static_cast<quint64>(altUploadLimit_->value()) * kKibibyte;
}

void SettingsDialog::setTrayAvailable(bool available) {
  for (QCheckBox* box : {closeToTray_, minimizeToTray_, notifyWhenDone_}) {
    box->setEnabled(available);
  }
  trayNote_->setVisible(!available);
}

void SettingsDialog::setCloseToTray(bool on) {
  closeToTray_->setChecked(on);
}

bool SettingsDialog::closeToTray() const {
  return closeToTray_->isChecked();
}

void SettingsDialog::setMinimizeToTray(bool on) {
  minimizeToTray_->setChecked(on);
}

bool SettingsDialog::minimizeToTray() const {
  return minimizeToTray_->isChecked();
}

void SettingsDialog::setNotifyWhenDone(bool on) {
  notifyWhenDone_->setChecked(on);
}

bool SettingsDialog::notifyWhenDone() const {
  return notifyWhenDone_->isChecked();
}

}  // namespace tributary::ui
