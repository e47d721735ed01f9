#include "engine/session/LsdService.h"

#include <algorithm>
#include <random>
#include <utility>
#include <vector>

#include "engine/util/Log.h"

namespace tributary::session {

namespace {

std::string randomCookie() {
  std::random_device device;
  std::uniform_int_distribution<unsigned> nibble(0, 15);
  std::string out(8, '0');
  for (char& c : out) {
    c = "0123456789abcdef"[nibble(device)];
  }
  return out;
}

}  // namespace

LsdService::LsdService(loop::EventLoop& loop, LsdServiceOptions options)
    : loop_(loop), options_(std::move(options)), cookie_(randomCookie()) {}

LsdService::~LsdService() = default;

Result<void> LsdService::start() {
  loop_.assertInLoopThread();
  if (socket_ || stopped_) {
    return {};
  }
  const loop::SocketAddress& group = options_.group;
  const loop::SocketAddress any = group.isV6() ? loop::SocketAddress::anyV6(group.port())
                                               : loop::SocketAddress::anyV4(group.port());
  auto socket = std::make_unique<loop::UdpSocket>(loop_);
  loop::UdpBindOptions bindOptions;
  bindOptions.reuseAddress = true;  // other clients on this host listen on the same port
  bindOptions.maxQueuedBytes = 64 * 1024;
  Result<void> ready = socket->bind(any, bindOptions);
  if (ready) {
    ready = socket->joinMulticastGroup(group, options_.interfaceAddress);
  }
  if (ready && options_.interfaceAddress.isValid()) {
    ready = socket->setMulticastInterface(options_.interfaceAddress);
  }
  if (ready) {
    ready = socket->setMulticastTtl(options_.ttl);
  }
  if (ready) {
    ready = socket->setMulticastLoop(true);  // other clients on this host hear us too
  }
  if (!ready) {
    TLOG(Warning, "lsd") << "local service discovery is off: " << ready.error().detail;
    return ready;
  }
  std::weak_ptr<LsdService> weak = weak_from_this();
  socket->setOnReceive([weak](const loop::SocketAddress& from, std::span<const std::byte> bytes) {
    if (auto self = weak.lock()) {
      self->onDatagram(from, bytes);
    }
  });
  socket_ = std::move(socket);
  const auto tick = std::clamp(options_.minSendInterval, std::chrono::milliseconds(20),
                               std::chrono::milliseconds(1000));
  tick_ = std::make_unique<loop::Timer>(loop_);
  tick_->start(tick, tick, [weak] {
    if (auto self = weak.lock()) {
      self->sendDue();
    }
  });
  sendDue();
  return {};
}

void LsdService::stop() {
  loop_.assertInLoopThread();
  stopped_ = true;
  tick_.reset();
  socket_.reset();
  subscriptions_.clear();
}

bt::LsdAccess::SubscriptionId LsdService::subscribe(const util::Sha1::Digest& infoHash,
                                                    std::uint16_t port, loop::EventLoop& replyLoop,
                                                    PeerCallback onPeer) {
  const SubscriptionId id = nextId_.fetch_add(1, std::memory_order_relaxed);
  Subscription subscription;
  subscription.infoHash = infoHash;
  subscription.port = port;
  subscription.replyLoop = &replyLoop;
  subscription.onPeer = std::move(onPeer);
  loop_.post([weak = weak_from_this(), id, subscription = std::move(subscription)]() mutable {
    if (auto self = weak.lock()) {
      self->add(id, std::move(subscription));
    }
  });
  return id;
}

void LsdService::unsubscribe(SubscriptionId id) {
  loop_.post([weak = weak_from_this(), id] {
    if (auto self = weak.lock()) {
      self->subscriptions_.erase(id);
    }
  });
}

void LsdService::add(SubscriptionId id, Subscription subscription) {
  if (stopped_ || subscription.port == 0 || subscriptions_.size() >= options_.maxSubscriptions) {
    return;
  }
  subscriptions_.emplace(id, std::move(subscription));
  sendDue();
}

void LsdService::sendDue() {
  if (!socket_ || subscriptions_.empty()) {
    return;
  }
  const std::uint64_t now = loop_.nowMs();
  const auto minGap = static_cast<std::uint64_t>(options_.minSendInterval.count());
  if (sentAny_ && now - lastSendMs_ < minGap) {
    return;
  }
  // The oldest due first; one announce carries one port, so it takes the
  // oldest's port and the due info-hashes announced with it.
  std::vector<Subscription*> due;
  for (auto& [id, subscription] : subscriptions_) {
    if (subscription.dueMs <= now) {
      due.push_back(&subscription);
    }
  }
  if (due.empty()) {
    return;
  }
  std::stable_sort(due.begin(), due.end(), [](const Subscription* a, const Subscription* b) {
    return a->dueMs < b->dueMs;
  });
  const std::uint16_t port = due.front()->port;
  std::vector<util::Sha1::Digest> hashes;
  for (Subscription* subscription : due) {
    if (subscription->port != port) {
      continue;
    }
    const bool known =
        std::find(hashes.begin(), hashes.end(), subscription->infoHash) != hashes.end();
    if (!known && hashes.size() == bt::kLsdMaxInfoHashesPerAnnounce) {
      continue;  // waits for the next announce
    }
    if (!known) {
      hashes.push_back(subscription->infoHash);
    }
    subscription->dueMs = now + static_cast<std::uint64_t>(options_.reannounceInterval.count());
  }
  const std::string host = options_.group.toString();
  const std::string text = bt::encodeLsdAnnounce(host, port, hashes, cookie_);
  sentAny_ = true;
  lastSendMs_ = now;
  if (Result<void> sent = socket_->send(options_.group, std::as_bytes(std::span(text))); !sent) {
    // The network may be down for now; the info-hashes come round again.
    TLOG(Debug, "lsd") << "announce: " << sent.error().detail;
    return;
  }
  ++announcesSent_;
}

void LsdService::onDatagram(const loop::SocketAddress& from, std::span<const std::byte> bytes) {
  const std::uint64_t now = loop_.nowMs();
  if (now - windowStartMs_ >= 1000) {
    windowStartMs_ = now;
    windowDatagrams_ = 0;
  }
  if (++windowDatagrams_ > options_.maxDatagramsPerSecond) {
    return;
  }
  Result<bt::LsdAnnounce> parsed = bt::parseLsdAnnounce(bytes);
  if (!parsed) {
    TLOG(Debug, "lsd") << "from " << from.toString() << ": " << parsed.error().detail;
    return;
  }
  const bt::LsdAnnounce& announce = parsed.value();
  if (announce.cookie == cookie_) {
    return;  // our own, back through the group
  }
  ++announcesReceived_;
  const loop::SocketAddress peer = from.withPort(announce.port);
  for (auto& [id, subscription] : subscriptions_) {
    if (std::find(announce.infoHashes.begin(), announce.infoHashes.end(), subscription.infoHash) !=
        announce.infoHashes.end()) {
      deliver(subscription, peer, now);
    }
  }
}

void LsdService::deliver(Subscription& subscription, const loop::SocketAddress& peer,
                         std::uint64_t now) {
  auto& recent = subscription.recentPeers;
  auto it = recent.find(peer);
  if (it != recent.end() && now - it->second < kPeerRepeatMs) {
    return;  // it announces every few minutes, and on every interface
  }
  if (it == recent.end() && recent.size() >= kMaxRecentPeers) {
    std::erase_if(recent, [now](const auto& entry) { return now - entry.second >= kPeerRepeatMs; });
    if (recent.size() >= kMaxRecentPeers) {
      return;  // a flood of made-up peers: the real ones will announce again
    }
  }
  recent[peer] = now;
  subscription.replyLoop->post([onPeer = subscription.onPeer, peer] { onPeer(peer); });
}

}  // namespace tributary::session
