// Internal: the engine's Local Service Discovery (BEP 14) on loop 0, offered
// to torrents through bt::LsdAccess. One UDP socket bound to the group's port
// on every address (SO_REUSEADDR, so other clients on the host can share it)
// and joined to the group, announcing each subscribed info-hash every
// reannounceInterval, and handing peers that announce a subscribed info-hash
// to the subscriber's loop.
//
// BEP 14 asks for no more than one announce per minute: announces go out at
// most once per minSendInterval, each carrying every info-hash that is due
// (up to kLsdMaxInfoHashesPerAnnounce, oldest first), so a new torrent waits
// at most that long. Our own announces come back through the group: the
// cookie tells them apart. Incoming datagrams are capped per second and a
// peer is handed to a subscriber at most once per kPeerRepeatMs.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "engine/api/Error.h"
#include "engine/bt/LsdAccess.h"
#include "engine/bt/LsdMessage.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Timer.h"
#include "engine/loop/UdpSocket.h"

namespace tributary::session {

struct LsdServiceOptions {
  // BEP 14's IPv4 group (tests use their own port in a private namespace).
  loop::SocketAddress group = loop::SocketAddress::v4({239, 192, 152, 143}, bt::kLsdPort);
  // The interface to join on and send from, by one of its addresses;
  // Unspecified: the system's choice.
  loop::SocketAddress interfaceAddress;
  int ttl = 1;  // the local network only, whatever the group's scope
  std::chrono::milliseconds reannounceInterval = std::chrono::minutes(5);
  std::chrono::milliseconds minSendInterval = std::chrono::minutes(1);
  std::size_t maxSubscriptions = 4096;
  unsigned maxDatagramsPerSecond = 200;  // received; beyond, dropped unread
};

class LsdService final : public bt::LsdAccess, public std::enable_shared_from_this<LsdService> {
 public:
  LsdService(loop::EventLoop& loop, LsdServiceOptions options);
  ~LsdService() override;

  // Loop thread: binds and joins the group. An error leaves the service
  // quiet (subscriptions are kept but nothing is sent or heard).
  Result<void> start();
  // Loop thread: closes the socket and drops every subscription.
  void stop();

  SubscriptionId subscribe(const util::Sha1::Digest& infoHash, std::uint16_t port,
                           loop::EventLoop& replyLoop, PeerCallback onPeer) override;
  void unsubscribe(SubscriptionId id) override;

  // Loop thread, for tests and logs.
  const std::string& cookie() const { return cookie_; }
  std::uint64_t announcesSent() const { return announcesSent_; }
  std::uint64_t announcesReceived() const { return announcesReceived_; }
  std::size_t subscriptionCount() const { return subscriptions_.size(); }

  static constexpr std::uint64_t kPeerRepeatMs = 60'000;
  static constexpr std::size_t kMaxRecentPeers = 256;  // per subscription

 private:
  struct Subscription {
    util::Sha1::Digest infoHash{};
    std::uint16_t port = 0;
    loop::EventLoop* replyLoop = nullptr;
    PeerCallback onPeer;
    std::uint64_t dueMs = 0;                                   // next announce; 0: at once
    std::map<loop::SocketAddress, std::uint64_t> recentPeers;  // when last handed over
  };

  void add(SubscriptionId id, Subscription subscription);  // loop thread
  void sendDue();
  void onDatagram(const loop::SocketAddress& from, std::span<const std::byte> bytes);
  void deliver(Subscription& subscription, const loop::SocketAddress& peer, std::uint64_t now);

  loop::EventLoop& loop_;
  LsdServiceOptions options_;
  std::string cookie_;
  std::unique_ptr<loop::UdpSocket> socket_;
  std::unique_ptr<loop::Timer> tick_;
  std::map<SubscriptionId, Subscription> subscriptions_;
  std::atomic<SubscriptionId> nextId_{1};
  bool stopped_ = false;
  std::uint64_t lastSendMs_ = 0;
  bool sentAny_ = false;
  std::uint64_t windowStartMs_ = 0;
  unsigned windowDatagrams_ = 0;
  std::uint64_t announcesSent_ = 0;
  std::uint64_t announcesReceived_ = 0;
};

}  // namespace tributary::session
