#include "ui/dialogs/SettingsDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <limits>

namespace tributary::ui {

namespace {
constexpr quint64 kKibibyte = 1024;
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

  downloadLimit_ = makeRateBox();
  downloadLimit_->setObjectName(QStringLiteral("downloadLimit"));
  uploadLimit_ = makeRateBox();
  uploadLimit_->setObjectName(QStringLiteral("uploadLimit"));

  auto* limits = new QGroupBox(tr("Global speed limits"), this);
  auto* form = new QFormLayout(limits);
  form->addRow(tr("&Download:"), downloadLimit_);
  form->addRow(tr("&Upload:"), uploadLimit_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(downloads);
  layout->addWidget(limits);
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
  // Round up so a small limit never shows as "Unlimited".
  auto toKib = [](quint64 rate) {
    const quint64 kib = (rate + kKibibyte - 1) / kKibibyte;
    return static_cast<int>(std::min<quint64>(kib, std::numeric_limits<int>::max()));
  };
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

}  // namespace tributary::ui
