#include "ui/dialogs/ConnectionSettingsPage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>

#include "ui/bridge/BootstrapNodes.h"
#include "ui/bridge/BridgeTypes.h"

namespace tributary::ui {

namespace {
// What the port box shows while "any free port" is ticked, and offers once it
// is unticked: the customary BitTorrent port.
constexpr int kSuggestedPort = 6881;
}  // namespace

ConnectionSettingsPage::ConnectionSettingsPage(QWidget* parent) : QWidget(parent) {
  httpConnections_ = makeCountBox("httpConnections", int{AddOptions::kMaxConnections});
  httpConnections_->setValue(int{AddOptions::kDefaultConnections});
  httpConnections_->setToolTip(tr("Applies to downloads added from now on."));
  auto* http = new QGroupBox(tr("HTTP"), this);
  auto* httpForm = new QFormLayout(http);
  httpForm->addRow(tr("Co&nnections per download:"), httpConnections_);

  anyPort_ = makeSwitch("anyListenPort", tr("Pick any &free port at each start"));
  listenPort_ = new QSpinBox(this);
  listenPort_->setObjectName(QStringLiteral("listenPort"));
  listenPort_->setRange(EngineOptions::kMinListenPort, std::numeric_limits<quint16>::max());
  listenPort_->setValue(kSuggestedPort);
  listenPort_->setAlignment(Qt::AlignRight);
  connect(anyPort_, &QCheckBox::toggled, listenPort_, &QWidget::setDisabled);
  peersPerTorrent_ = makeCountBox("peersPerTorrent", EngineOptions::kMaxPeersPerTorrent);
  maxConnections_ = makeCountBox("maxConnections", EngineOptions::kMaxConnections);
  auto* bt = new QGroupBox(tr("BitTorrent"), this);
  auto* btForm = new QFormLayout(bt);
  btForm->addRow(anyPort_);
  btForm->addRow(tr("Listening p&ort:"), listenPort_);
  btForm->addRow(tr("&Peers per download:"), peersPerTorrent_);
  btForm->addRow(tr("&Connections of all downloads:"), maxConnections_);

  dht_ = makeSwitch("enableDht", tr("&DHT: find peers without a tracker"));
  pex_ = makeSwitch("enablePex", tr("P&EX: learn of more peers from connected ones"));
  lsd_ = makeSwitch("enableLsd", tr("&LSD: find peers on the local network"));
  utp_ = makeSwitch("enableUtp", tr("u&TP: connect to peers over UDP as well as TCP"));
  // The setting is kept for when the engine speaks uTP; until then it would
  // change nothing, and a switch that does nothing must not look like one.
  utp_->setEnabled(false);
  utp_->setToolTip(tr("Not available yet: this version reaches peers over TCP only."));
  auto* features = new QGroupBox(tr("BitTorrent features"), this);
  auto* featuresLayout = new QVBoxLayout(features);
  for (QCheckBox* box : {dht_, pex_, lsd_, utp_}) {
    featuresLayout->addWidget(box);
  }
  QFormLayout* featuresForm = makeBootstrapForm();
  featuresForm->addRow(tr("Encr&yption:"), makeEncryptionBox());
  featuresLayout->addLayout(featuresForm);

  auto* note =
      new QLabel(tr("Port, connection limits and features apply at the next start."), this);
  note->setObjectName(QStringLiteral("engineSettingsNote"));
  note->setWordWrap(true);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(http);
  layout->addWidget(bt);
  layout->addWidget(features);
  layout->addWidget(note);
  layout->addStretch();
  setEngineOptions(EngineOptions{});
}

QFormLayout* ConnectionSettingsPage::makeBootstrapForm() {
  dhtBootstrap_ = new QLineEdit(this);
  dhtBootstrap_->setObjectName(QStringLiteral("dhtBootstrap"));
  dhtBootstrap_->setPlaceholderText(tr("The usual public routers"));
  dhtBootstrap_->setToolTip(
      tr("Where the DHT starts: host:port or [IPv6]:port, separated by commas. Empty uses the "
         "usual public routers."));
  dhtBootstrap_->setClearButtonEnabled(true);
  bootstrapProblem_ = new QLabel(this);
  bootstrapProblem_->setObjectName(QStringLiteral("dhtBootstrapProblem"));
  bootstrapProblem_->setTextFormat(Qt::PlainText);  // it quotes what was typed
  bootstrapProblem_->setWordWrap(true);
  bootstrapProblem_->hide();
  connect(dhtBootstrap_, &QLineEdit::textChanged, this, [this](const QString& text) {
    const QStringList invalid = BootstrapNodes::parse(text).invalid;
    bootstrapProblem_->setText(
        tr("Not host:port, left out: %1").arg(invalid.join(QStringLiteral(", "))));
    bootstrapProblem_->setVisible(!invalid.isEmpty());
  });
  // The nodes matter only to the DHT.
  connect(dht_, &QCheckBox::toggled, dhtBootstrap_, &QWidget::setEnabled);
  auto* form = new QFormLayout;
  form->addRow(tr("DHT &bootstrap nodes:"), dhtBootstrap_);
  form->addRow(bootstrapProblem_);
  return form;
}

QComboBox* ConnectionSettingsPage::makeEncryptionBox() {
  encryption_ = new QComboBox(this);
  encryption_->setObjectName(QStringLiteral("encryptionMode"));
  // qBittorrent's choices and wording, so its users find what they know.
  const struct {
    QString text;
    PeerEncryption mode;
    QString meaning;
  } items[] = {
      {tr("Allow encryption"), PeerEncryption::Enabled,
       tr("Allow: offer encryption to peers and accept those that do not use it.")},
      {tr("Require encryption"), PeerEncryption::Required,
       tr("Require: connect only to peers that encrypt, which may find fewer of them.")},
      {tr("Disable encryption"), PeerEncryption::Disabled,
       tr("Disable: never encrypt, and leave out peers that insist on it.")},
  };
  QStringList meanings;
  for (const auto& item : items) {
    encryption_->addItem(item.text, static_cast<int>(item.mode));
    encryption_->setItemData(encryption_->count() - 1, item.meaning, Qt::ToolTipRole);
    meanings << item.meaning;
  }
  encryption_->setToolTip(meanings.join(QLatin1Char('\n')));
  return encryption_;
}

QSpinBox* ConnectionSettingsPage::makeCountBox(const char* objectName, int maximum) {
  auto* box = new QSpinBox(this);
  box->setObjectName(QString::fromLatin1(objectName));
  box->setRange(1, maximum);
  box->setAlignment(Qt::AlignRight);
  return box;
}

QCheckBox* ConnectionSettingsPage::makeSwitch(const char* objectName, const QString& text) {
  auto* box = new QCheckBox(text, this);
  box->setObjectName(QString::fromLatin1(objectName));
  return box;
}

void ConnectionSettingsPage::setEngineOptions(const EngineOptions& options) {
  const EngineOptions valid = options.normalized();
  // The box keeps its last port while "any" is ticked, so unticking offers it again.
  anyPort_->setChecked(valid.listenPort == 0);
  listenPort_->setDisabled(valid.listenPort == 0);
  if (valid.listenPort != 0) {
    listenPort_->setValue(valid.listenPort);
  }
  peersPerTorrent_->setValue(valid.maxPeersPerTorrent);
  maxConnections_->setValue(valid.maxConnections);
  dht_->setChecked(valid.enableDht);
  pex_->setChecked(valid.enablePex);
  lsd_->setChecked(valid.enableLsd);
  utp_->setChecked(valid.enableUtp);
  dhtBootstrap_->setEnabled(valid.enableDht);
  dhtBootstrap_->setText(BootstrapNodes::join(valid.dhtBootstrap));
  encryption_->setCurrentIndex(
      std::max(0, encryption_->findData(static_cast<int>(valid.encryption))));
}

EngineOptions ConnectionSettingsPage::engineOptions() const {
  EngineOptions options;
  options.listenPort = anyPort_->isChecked() ? 0 : static_cast<quint16>(listenPort_->value());
  options.maxPeersPerTorrent = peersPerTorrent_->value();
  options.maxConnections = maxConnections_->value();
  options.enableDht = dht_->isChecked();
  options.enablePex = pex_->isChecked();
  options.enableLsd = lsd_->isChecked();
  options.enableUtp = utp_->isChecked();
  options.dhtBootstrap = BootstrapNodes::parse(dhtBootstrap_->text()).nodes;
  options.encryption = static_cast<PeerEncryption>(encryption_->currentData().toInt());
  return options;
}

void ConnectionSettingsPage::setHttpConnectionsPerDownload(unsigned connections) {
  httpConnections_->setValue(static_cast<int>(std::min(connections, AddOptions::kMaxConnections)));
}

unsigned ConnectionSettingsPage::httpConnectionsPerDownload() const {
  return static_cast<unsigned>(httpConnections_->value());
}

}  // namespace tributary::ui
