// EngineImpl's part of the DHT: the nodes live on loop 0 and are offered to
// torrents through BtShared. They start with the first torrent or magnet
// (DhtService::ensureStarted), binding the BitTorrent port's number on UDP as
// other clients do, on IPv4 and (where the system has it) IPv6; their
// routing tables are kept in EngineConfig::dhtStateFile (a damaged file
// counts as none: the DHT bootstraps afresh).
#include <chrono>
#include <future>
#include <memory>

#include "engine/bt/BtShared.h"
#include "engine/session/EngineImpl.h"
#include "engine/storage/AtomicFile.h"
#include "engine/util/Log.h"

namespace tributary::session {
namespace {

constexpr std::chrono::seconds kDhtWait{5};
constexpr std::size_t kMaxStateBytes = 1 << 20;

// What libtorrent, qBittorrent and Transmission bootstrap from.
const std::vector<std::string> kDefaultRouters = {
    "router.bittorrent.com:6881",
    "router.utorrent.com:6881",
    "dht.transmissionbt.com:6881",
    "dht.libtorrent.org:25401",
};

}  // namespace

void EngineImpl::setUpDht() {
  std::shared_ptr<bt::BtShared> shared = factory_->btShared();
  if (!shared || !config_.enableDht) {
    return;
  }
  dht::DualStackDhtOptions options;
  options.node.bindAddress = loop::SocketAddress::anyV4(shared->listenPort.load());
  options.bindV6 = loop::SocketAddress::anyV6(0);  // the IPv4 node's port when free
  // Names are resolved by both nodes, each taking the addresses of its family.
  options.node.bootstrapNodes =
      config_.dhtBootstrap.empty() ? kDefaultRouters : config_.dhtBootstrap;
  if (!config_.dhtStateFile.empty()) {
    // Small, and read once before any loop work: a missing file is the first run.
    if (auto saved = storage::readSmallFile(*fileIo_, config_.dhtStateFile, kMaxStateBytes)) {
      options.node.savedState = std::move(saved.value());
    }
  }
  dht_ = std::make_shared<DhtService>(loops_.loop(0), std::move(options), hub_);
  shared->dht = dht_;
}

void EngineImpl::stopDht() {
  if (!dht_) {
    return;
  }
  auto stopped = std::make_shared<std::promise<std::string>>();
  std::future<std::string> state = stopped->get_future();
  loops_.loop(0).post([dht = dht_, stopped] {
    std::string saved = dht->saveState();
    dht->stop();
    stopped->set_value(std::move(saved));
  });
  if (state.wait_for(kDhtWait) != std::future_status::ready) {
    TLOG(Warning, "dht") << "the DHT did not stop in time";
    return;
  }
  const std::string saved = state.get();
  if (!config_.dhtStateFile.empty() && !saved.empty()) {
    if (auto written = storage::replaceFileAtomically(*fileIo_, config_.dhtStateFile,
                                                      std::as_bytes(std::span(saved)));
        !written) {
      TLOG(Warning, "dht") << "the DHT's routing table was not saved: " << written.error().detail;
    }
  }
}

}  // namespace tributary::session
