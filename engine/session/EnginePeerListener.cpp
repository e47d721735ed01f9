// EngineImpl's part of the BitTorrent listening port: the PeerListener lives
// on loop 0. Starting waits for the bind, so the port is known (to trackers,
// to EngineStats) before the first task is added; stopping waits too, so no
// peer is handed to a task that is shutting down.
#include <chrono>
#include <future>
#include <memory>

#include "engine/bt/BtShared.h"
#include "engine/session/EngineImpl.h"
#include "engine/util/Log.h"

namespace tributary::session {
namespace {

// A running loop answers in microseconds; this only bounds a wedged one.
constexpr std::chrono::seconds kListenerWait{5};

}  // namespace

void EngineImpl::startPeerListener() {
  std::shared_ptr<bt::BtShared> shared = factory_->btShared();
  if (!shared) {
    return;  // a factory without torrents (tests)
  }
  PeerListenerOptions options;
  options.port = config_.listenPort;
  options.maxIncoming = config_.maxIncomingConnections;
  peerListener_ = std::make_unique<PeerListener>(loops_.loop(0), std::move(shared), options);
  auto started = std::make_shared<std::promise<Result<std::uint16_t>>>();
  std::future<Result<std::uint16_t>> result = started->get_future();
  loops_.loop(0).post(
      [listener = peerListener_.get(), started] { started->set_value(listener->start()); });
  if (result.wait_for(kListenerWait) != std::future_status::ready) {
    TLOG(Error, "engine") << "the BitTorrent listener did not start in time";
    return;
  }
  Result<std::uint16_t> port = result.get();
  if (!port) {
    // Downloads still work by dialling out; peers just cannot reach us.
    TLOG(Error, "engine") << "no BitTorrent listening port: " << port.error().detail;
    return;
  }
  {
    util::LockGuard lock(statsMutex_);
    stats_.listenPort = port.value();
  }
  publishStats();
}

void EngineImpl::stopPeerListener() {
  if (!peerListener_) {
    return;
  }
  auto stopped = std::make_shared<std::promise<void>>();
  std::future<void> done = stopped->get_future();
  loops_.loop(0).post([listener = peerListener_.get(), stopped] {
    listener->stop();
    stopped->set_value();
  });
  if (done.wait_for(kListenerWait) != std::future_status::ready) {
    TLOG(Warning, "engine") << "the BitTorrent listener did not stop in time";
  }
  {
    util::LockGuard lock(statsMutex_);
    stats_.listenPort = 0;
  }
  publishStats();
}

}  // namespace tributary::session
