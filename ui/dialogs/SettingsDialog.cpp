#include "ui/dialogs/SettingsDialog.h"

#include <QCheckBox>
#include <QComboBox>
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
#include <QTabWidget>
#include <QVBoxLayout>
#include <limits>

#include "ui/dialogs/ConnectionSettingsPage.h"
#include "ui/dialogs/SourcePreferenceCombo.h"

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

  connection_ = new ConnectionSettingsPage(this);
  connection_->setObjectName(QStringLiteral("connectionPage"));
  pages_ = new QTabWidget(this);
  pages_->setObjectName(QStringLiteral("settingsPages"));
  pages_->addTab(makeDownloadsPage(), tr("Downloads"));
  pages_->addTab(connection_, tr("Connection"));
  pages_->addTab(makeInterfacePage(), tr("Interface"));

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(pages_);
  layout->addWidget(buttons);
  setMinimumWidth(480);
}

QWidget* SettingsDialog::makeDownloadsPage() {
  auto* page = new QWidget(this);
  saveDir_ = new QLineEdit(page);
  saveDir_->setObjectName(QStringLiteral("defaultSaveDir"));
  auto* browse = new QPushButton(tr("&Browse…"), page);
  browse->setObjectName(QStringLiteral("browseSaveDir"));
  connect(browse, &QPushButton::clicked, this, &SettingsDialog::browseForSaveDir);
  auto* downloads = new QGroupBox(tr("Downloads"), page);
  auto* folderRow = new QHBoxLayout;
  folderRow->addWidget(saveDir_, 1);
  folderRow->addWidget(browse);
  auto* downloadsForm = new QFormLayout(downloads);
  downloadsForm->addRow(tr("Default &folder:"), folderRow);
  askBeforeAdding_ =
      new QCheckBox(tr("&Ask which files to get from each .torrent and magnet link"), page);
  askBeforeAdding_->setObjectName(QStringLiteral("askBeforeAddingTorrents"));
  downloadsForm->addRow(askBeforeAdding_);
  sourcePreference_ = new SourcePreferenceCombo(page);
  sourcePreference_->setObjectName(QStringLiteral("defaultSourcePreference"));
  downloadsForm->addRow(tr("New torrents' &sources:"), sourcePreference_);
  bypassOsCache_ = new QCheckBox(tr("&Write downloaded pieces past the system's disk cache"), page);
  bypassOsCache_->setObjectName(QStringLiteral("bypassOsCache"));
  bypassOsCache_->setToolTip(
      tr("Uses less CPU on fast downloads; data just downloaded is then read back from the "
         "disk rather than from memory. Applies at the next start."));
  downloadsForm->addRow(bypassOsCache_);

  // qBittorrent's "Torrent Queueing": the rest wait their turn, Queued.
  maxActiveDownloads_ = new QSpinBox(page);
  maxActiveDownloads_->setObjectName(QStringLiteral("maxActiveDownloads"));
  maxActiveDownloads_->setRange(0, EngineOptions::kMaxActiveDownloads);
  maxActiveDownloads_->setSpecialValueText(tr("Unlimited"));
  maxActiveDownloads_->setAlignment(Qt::AlignRight);
  maxActiveDownloads_->setToolTip(
      tr("Downloads beyond this number wait in the queue; seeding does not count."));
  auto* queue = new QGroupBox(tr("Queue"), page);
  auto* queueForm = new QFormLayout(queue);
  queueForm->addRow(tr("Ma&ximum active downloads:"), maxActiveDownloads_);

  downloadLimit_ = makeRateBox(page);
  downloadLimit_->setObjectName(QStringLiteral("downloadLimit"));
  uploadLimit_ = makeRateBox(page);
  uploadLimit_->setObjectName(QStringLiteral("uploadLimit"));
  auto* limits = new QGroupBox(tr("Global speed limits"), page);
  auto* form = new QFormLayout(limits);
  form->addRow(tr("&Download:"), downloadLimit_);
  form->addRow(tr("&Upload:"), uploadLimit_);

  altDownloadLimit_ = makeRateBox(page);
  altDownloadLimit_->setObjectName(QStringLiteral("altDownloadLimit"));
  altUploadLimit_ = makeRateBox(page);
  altUploadLimit_->setObjectName(QStringLiteral("altUploadLimit"));
  auto* altLimits = new QGroupBox(tr("Alternative speed limits"), page);
  auto* altForm = new QFormLayout(altLimits);
  altForm->addRow(tr("Do&wnload:"), altDownloadLimit_);
  altForm->addRow(tr("U&pload:"), altUploadLimit_);

  auto* layout = new QVBoxLayout(page);
  layout->addWidget(downloads);
  layout->addWidget(queue);
  layout->addWidget(limits);
  layout->addWidget(altLimits);
  layout->addStretch();
  return page;
}

QWidget* SettingsDialog::makeInterfacePage() {
  auto* page = new QWidget(this);
  language_ = new QComboBox(page);
  language_->setObjectName(QStringLiteral("language"));
  // Each language under its own name, so a user who cannot read the current
  // one still finds theirs.
  language_->addItem(tr("System default"), QString());
  language_->addItem(QStringLiteral("English"), QStringLiteral("en"));
  language_->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
  auto* languageNote = new QLabel(tr("The language changes at the next start."), page);
  languageNote->setWordWrap(true);
  auto* languageBox = new QGroupBox(tr("Language"), page);
  auto* languageForm = new QFormLayout(languageBox);
  languageForm->addRow(tr("&Language:"), language_);
  languageForm->addRow(languageNote);

  askBeforeRemoving_ = new QCheckBox(tr("Ask before &removing downloads"), page);
  askBeforeRemoving_->setObjectName(QStringLiteral("askBeforeRemoving"));
  askBeforeQuitting_ = new QCheckBox(tr("Ask before &quitting while downloads are running"), page);
  askBeforeQuitting_->setObjectName(QStringLiteral("askBeforeQuitting"));
  auto* confirmations = new QGroupBox(tr("Confirmations"), page);
  auto* confirmationsLayout = new QVBoxLayout(confirmations);
  confirmationsLayout->addWidget(askBeforeRemoving_);
  confirmationsLayout->addWidget(askBeforeQuitting_);

  closeToTray_ = new QCheckBox(tr("&Closing the window keeps Tributary in the tray"), page);
  closeToTray_->setObjectName(QStringLiteral("closeToTray"));
  minimizeToTray_ = new QCheckBox(tr("&Minimising the window hides it in the tray"), page);
  minimizeToTray_->setObjectName(QStringLiteral("minimizeToTray"));
  notifyWhenDone_ = new QCheckBox(tr("&Notify when a download finishes or fails"), page);
  notifyWhenDone_->setObjectName(QStringLiteral("notifyWhenDone"));
  trayNote_ =
      new QLabel(tr("No system tray was found, so closing the window quits Tributary."), page);
  trayNote_->setObjectName(QStringLiteral("trayUnavailableNote"));
  trayNote_->setWordWrap(true);
  trayNote_->hide();
  auto* tray = new QGroupBox(tr("System tray"), page);
  auto* trayLayout = new QVBoxLayout(tray);
  trayLayout->addWidget(closeToTray_);
  trayLayout->addWidget(minimizeToTray_);
  trayLayout->addWidget(notifyWhenDone_);
  trayLayout->addWidget(trayNote_);

  auto* layout = new QVBoxLayout(page);
  layout->addWidget(languageBox);
  layout->addWidget(confirmations);
  layout->addWidget(tray);
  layout->addStretch();
  return page;
}

QSpinBox* SettingsDialog::makeRateBox(QWidget* parent) {
  auto* box = new QSpinBox(parent);
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

void SettingsDialog::setDefaultSourcePreference(SourcePreference preference) {
  sourcePreference_->setPreference(preference);
}

SourcePreference SettingsDialog::defaultSourcePreference() const {
  return sourcePreference_->preference();
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

void SettingsDialog::setEngineOptions(const EngineOptions& options) {
  connection_->setEngineOptions(options);
  maxActiveDownloads_->setValue(options.normalized().maxActiveDownloads);
  bypassOsCache_->setChecked(options.bypassOsCache);
}

EngineOptions SettingsDialog::engineOptions() const {
  EngineOptions options = connection_->engineOptions();
  options.maxActiveDownloads = maxActiveDownloads_->value();
  options.bypassOsCache = bypassOsCache_->isChecked();
  return options;
}

void SettingsDialog::setHttpConnectionsPerDownload(unsigned connections) {
  connection_->setHttpConnectionsPerDownload(connections);
}

unsigned SettingsDialog::httpConnectionsPerDownload() const {
  return connection_->httpConnectionsPerDownload();
}

void SettingsDialog::setLanguage(const QString& language) {
  int index = language_->findData(language);
  if (index < 0) {
    language_->addItem(language, language);
    index = language_->count() - 1;
  }
  language_->setCurrentIndex(index);
}

QString SettingsDialog::language() const {
  return language_->currentData().toString();
}

void SettingsDialog::setAskBeforeRemoving(bool ask) {
  askBeforeRemoving_->setChecked(ask);
}

bool SettingsDialog::askBeforeRemoving() const {
  return askBeforeRemoving_->isChecked();
}

void SettingsDialog::setAskBeforeQuitting(bool ask) {
  askBeforeQuitting_->setChecked(ask);
}

bool SettingsDialog::askBeforeQuitting() const {
  return askBeforeQuitting_->isChecked();
}

}  // namespace tributary::ui
