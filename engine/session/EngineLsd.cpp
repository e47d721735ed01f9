// EngineImpl's part of Local Service Discovery (BEP 14): one LsdService on
// loop 0, offered to torrents through BtShared. Like the DHT it starts with
// the first torrent or magnet, so an engine that only fetches URLs never
// joins a multicast group.
#include <chrono>
#include <future>
#include <memory>

#include "engine/bt/BtShared.h"
#include "engine/session/EngineImpl.h"
#include "engine/util/Log.h"

namespace tributary::session {
namespace {

constexpr std::chrono::seconds kLsdWait{5};

}  // namespace

void EngineImpl::setUpLsd() {
  std::shared_ptr<bt::BtShared> shared = factory_->btShared();
  if (!shared || !config_.enableLsd) {
    return;
  }
  lsd_ = std::make_shared<LsdService>(loops_.loop(0), LsdServiceOptions{});
  shared->lsd = lsd_;
}

void EngineImpl::ensureLsdStarted() {
  if (!lsd_ || lsdStartRequested_.exchange(true)) {
    return;
  }
  loops_.loop(0).post([lsd = lsd_] {
    if (auto started = lsd->start(); !started) {
      // Torrents go on without it: trackers, the DHT and PEX still find peers.
      TLOG(Warning, "lsd") << "no local service discovery: " << started.error().detail;
    }
  });
}

void EngineImpl::stopLsd() {
  if (!lsd_) {
    return;
  }
  auto stopped = std::make_shared<std::promise<void>>();
  std::future<void> done = stopped->get_future();
  loops_.loop(0).post([lsd = lsd_, stopped] {
    lsd->stop();
    stopped->set_value();
  });
  if (done.wait_for(kLsdWait) != std::future_status::ready) {
    TLOG(Warning, "lsd") << "local service discovery did not stop in time";
  }
}

}  // namespace tributary::session
