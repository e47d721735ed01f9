// Internal: the UDP tracker client (BEP 15) for one loop, shared by every
// torrent on it. Its two sockets (IPv4, IPv6, bound on first use) carry every
// request; replies are matched to requests by their random transaction id
// and the tracker's address, and anything else is ignored.
//
// A request first gets a connection id (connect), which is kept per tracker
// address and reused until `connectionIdLifetime` after the tracker gave it;
// then announces or scrapes. A request unanswered after retryBase·2^n is sent
// again with n + 1, up to n = maxRetransmits, after which it fails with
// Timeout; an id that expired meanwhile is renewed first. An error reply
// fails the request with TrackerError and the tracker's message, escaped.
//
// Loop thread only. Callbacks never run inside announce()/scrape(); the
// returned TrackerRequest cancels when dropped.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/api/Error.h"
#include "engine/bt/TrackerTypes.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Resolver.h"
#include "engine/loop/SocketAddress.h"
#include "engine/loop/UdpSocket.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::bt {

struct TrackerUdpOptions {
  std::chrono::milliseconds retryBase{15000};  // BEP 15: 15 s · 2^n
  unsigned maxRetransmits = 8;                 // n goes up to this, then the request fails
  std::chrono::milliseconds connectionIdLifetime{60000};
  // Where the sockets bind (port 0); tests bind loopback.
  loop::SocketAddress bindV4 = loop::SocketAddress::anyV4(0);
  loop::SocketAddress bindV6 = loop::SocketAddress::anyV6(0);
};

class TrackerUdpClient {
 public:
  using AnnounceCallback = util::UniqueFunction<void(Result<AnnounceResponse>)>;
  using ScrapeCallback = util::UniqueFunction<void(Result<std::vector<ScrapeInfo>>)>;

  TrackerUdpClient(loop::EventLoop& loop, loop::Resolver& resolver, TrackerUdpOptions options = {});
  ~TrackerUdpClient();  // drops every request unrun
  TrackerUdpClient(const TrackerUdpClient&) = delete;
  TrackerUdpClient& operator=(const TrackerUdpClient&) = delete;

  // url: "udp://host:port[/path?query]". A malformed URL fails (InvalidArgument) on the next tick.
  [[nodiscard]] TrackerRequest announce(std::string_view url, const AnnounceParams& params,
                                        AnnounceCallback callback);
  // At most kMaxUdpScrapeHashes hashes are asked for; the answer has one entry per hash asked.
  [[nodiscard]] TrackerRequest scrape(std::string_view url, std::vector<InfoHashV1> infoHashes,
                                      ScrapeCallback callback);

  std::size_t activeCount() const { return active_.size(); }
  // Replies dropped for an unknown transaction id or a sender other than the tracker.
  std::uint64_t ignoredReplies() const { return ignored_; }
  std::uint64_t datagramsSent() const { return sent_; }
  std::size_t cachedConnectionIds() const { return connectionIds_.size(); }

 private:
  class Transaction;
  friend class Transaction;

  struct CachedId {
    std::uint64_t id = 0;
    std::uint64_t expiresAtMs = 0;  // loop time (monotonic)
  };

  TrackerRequest add(std::shared_ptr<Transaction> transaction);
  void forget(Transaction* transaction);
  loop::UdpSocket* socketFor(loop::SocketAddress::Family family);
  void onDatagram(const loop::SocketAddress& from, std::span<const std::byte> bytes);
  std::uint32_t newTransactionId();
  std::optional<std::uint64_t> connectionIdFor(const loop::SocketAddress& tracker);
  void storeConnectionId(const loop::SocketAddress& tracker, std::uint64_t id);
  Result<void> send(const loop::SocketAddress& to, const std::vector<std::byte>& packet);

  loop::EventLoop& loop_;
  loop::Resolver& resolver_;
  TrackerUdpOptions options_;
  std::random_device random_;  // transaction ids must not be guessable by a spoofer
  std::unique_ptr<loop::UdpSocket> v4_;
  std::unique_ptr<loop::UdpSocket> v6_;
  std::unordered_map<Transaction*, std::shared_ptr<Transaction>> active_;
  std::unordered_map<std::uint32_t, Transaction*> waiting_;  // by transaction id
  std::map<loop::SocketAddress, CachedId> connectionIds_;
  std::uint64_t ignored_ = 0;
  std::uint64_t sent_ = 0;
};

}  // namespace tributary::bt
