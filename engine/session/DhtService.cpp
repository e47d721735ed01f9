#include "engine/session/DhtService.h"

#include <utility>

#include "engine/util/Log.h"

namespace tributary::session {

DhtService::DhtService(loop::EventLoop& loop, dht::DualStackDhtOptions options, SnapshotHub& hub)
    : loop_(loop), options_(std::move(options)), hub_(hub) {}

DhtService::~DhtService() = default;

void DhtService::ensureStarted() {
  if (startRequested_.exchange(true)) {
    return;
  }
  std::weak_ptr<DhtService> weak = weak_from_this();
  loop_.post([weak] {
    if (auto self = weak.lock()) {
      self->start();
    }
  });
}

void DhtService::start() {
  node_ = std::make_unique<dht::DualStackDht>(loop_, options_);
  if (Result<void> started = node_->start(); !started) {
    TLOG(Error, "dht") << "no DHT: " << started.error().detail;
    node_.reset();
    return;
  }
  port_.store(node_->port());
  startedMs_ = loop_.nowMs();
  tick_ = std::make_unique<loop::Timer>(loop_);
  tick_->start(kBootstrapTick, kBootstrapTick, [this] { onTick(); });
  for (const dht::DhtNode* node : {node_->v4(), node_->v6()}) {
    if (node) {
      TLOG(Info, "dht") << "DHT node on UDP " << node->localAddress().toString();
    }
  }
}

void DhtService::stop() {
  tick_.reset();
  if (node_) {
    node_->stop();
    node_.reset();
  }
  for (Request& request : waiting_) {
    finish(request, 0);
  }
  waiting_.clear();
  nodes_.store(0);
  port_.store(0);
  hub_.setDhtNodes(0);
}

std::string DhtService::saveState() const {
  return node_ ? node_->saveState() : std::string();
}

void DhtService::findPeers(const util::Sha1::Digest& infoHash, std::uint16_t announcePort,
                           loop::EventLoop& replyLoop, PeersCallback onPeers, DoneCallback onDone) {
  Request request{infoHash, announcePort, &replyLoop, std::move(onPeers), std::move(onDone)};
  std::weak_ptr<DhtService> weak = weak_from_this();
  loop_.post([weak, request = std::move(request)]() mutable {
    if (auto self = weak.lock()) {
      self->run(std::move(request));
    } else {
      finish(request, 0);
    }
  });
}

void DhtService::finish(Request& request, std::size_t found) {
  request.replyLoop->post([done = std::move(request.onDone), found] { done(found); });
}

void DhtService::run(Request request) {
  if (!node_) {
    finish(request, 0);
    return;
  }
  if (node_->nodeCount() == 0 &&
      loop_.nowMs() - startedMs_ < static_cast<std::uint64_t>(kBootstrapWait.count())) {
    waiting_.push_back(std::move(request));
    return;
  }
  const auto target = dht::InfoHash::fromBytes(std::span<const std::byte>(request.infoHash));
  if (!target) {
    finish(request, 0);
    return;
  }
  loop::EventLoop* replyLoop = request.replyLoop;
  auto onPeers = [replyLoop, cb = request.onPeers](const std::vector<loop::SocketAddress>& peers) {
    replyLoop->post([cb, peers] { cb(peers); });
  };
  auto onDone = [replyLoop, cb = request.onDone](std::size_t found) {
    replyLoop->post([cb, found] { cb(found); });
  };
  const dht::DualStackDht::LookupId id =
      request.announcePort != 0 ? node_->announce(*target, request.announcePort, false,
                                                  std::move(onPeers), std::move(onDone))
                                : node_->getPeers(*target, std::move(onPeers), std::move(onDone));
  if (id == 0) {
    finish(request, 0);
  }
}

void DhtService::addNode(const loop::SocketAddress& node) {
  std::weak_ptr<DhtService> weak = weak_from_this();
  loop_.post([weak, node] {
    if (auto self = weak.lock(); self && self->node_) {
      self->node_->addNode(node);
    }
  });
}

void DhtService::onTick() {
  if (!node_) {
    return;
  }
  const std::size_t count = node_->nodeCount();
  if (count != nodes_.load()) {
    nodes_.store(count);
    hub_.setDhtNodes(static_cast<unsigned>(count));
  }
  const bool waitedEnough =
      loop_.nowMs() - startedMs_ >= static_cast<std::uint64_t>(kBootstrapWait.count());
  if (!waiting_.empty() && (count > 0 || waitedEnough)) {
    std::deque<Request> ready = std::exchange(waiting_, {});
    for (Request& request : ready) {
      run(std::move(request));
    }
  }
  if (bootstrapping_ && (count > 0 || waitedEnough) && waiting_.empty()) {
    bootstrapping_ = false;
    tick_->start(kTick, kTick, [this] { onTick(); });  // replaces this timer, from its own callback
  }
}

}  // namespace tributary::session
