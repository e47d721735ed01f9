#include "ui/dialogs/ConnectionSettingsPage.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>
#include <limits>

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
  auto* features = new QGroupBox(tr("BitTorrent features"), this);
  auto* featuresLayout = new QVBoxLayout(features);
  for (QCheckBox* box : {dht_, pex_, lsd_, utp_}) {
    featuresLayout->addWidget(box);
  }

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
  return options;
}

void ConnectionSettingsPage::setHttpConnectionsPerDownload(unsigned connections) {
  httpConnections_->setValue(static_cast<int>(std::min(connections, AddOptions::kMaxConnections)));
}

unsigned ConnectionSettingsPage::httpConnectionsPerDownload() const {
  return static_cast<unsigned>(httpConnections_->value());
}

}  // namespace tributary::ui
