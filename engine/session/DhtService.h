// Internal: the engine's DHT (engine/dht) on loop 0, offered to every
// torrent through bt::DhtAccess: an IPv4 node and, where the system has
// IPv6, an IPv6 one (BEP 32, dht::DualStackDht). A torrent's lookup runs on
// both and reports as one; the node count is both tables'. Lookups asked
// for before the DHT has any node in its routing tables (it is still
// bootstrapping) wait for one, up to kBootstrapWait, instead of running
// against empty tables and finding nothing. Results go back to the asking
// torrent's loop.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "engine/bt/DhtAccess.h"
#include "engine/dht/DualStackDht.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Timer.h"
#include "engine/session/SnapshotHub.h"

namespace tributary::session {

class DhtService final : public bt::DhtAccess, public std::enable_shared_from_this<DhtService> {
 public:
  DhtService(loop::EventLoop& loop, dht::DualStackDhtOptions options, SnapshotHub& hub);
  ~DhtService() override;

  // Any thread: binds and bootstraps on the loop, the first time only. The
  // engine calls it when the first torrent is added, so an engine that only
  // fetches URLs never touches the DHT (nor its bootstrap routers).
  void ensureStarted();
  // On the loop thread: closes everything.
  void stop();
  // Both routing tables, for the next start (loop thread); "" if it never started.
  std::string saveState() const;

  void findPeers(const util::Sha1::Digest& infoHash, std::uint16_t announcePort,
                 loop::EventLoop& replyLoop, PeersCallback onPeers, DoneCallback onDone) override;
  void addNode(const loop::SocketAddress& node) override;
  std::size_t nodeCount() const override { return nodes_.load(std::memory_order_relaxed); }
  std::uint16_t port() const override { return port_.load(std::memory_order_relaxed); }

  static constexpr std::chrono::milliseconds kBootstrapWait{5000};
  // While bootstrapping, waiting lookups are checked often (on loopback the
  // first node is in within milliseconds); afterwards the tick only
  // refreshes the node count.
  static constexpr std::chrono::milliseconds kBootstrapTick{5};
  static constexpr std::chrono::milliseconds kTick{1000};

 private:
  struct Request {
    util::Sha1::Digest infoHash{};
    std::uint16_t announcePort = 0;
    loop::EventLoop* replyLoop = nullptr;
    PeersCallback onPeers;
    DoneCallback onDone;
  };

  void start();               // loop thread
  void run(Request request);  // loop thread
  void onTick();
  static void finish(Request& request, std::size_t found);

  loop::EventLoop& loop_;
  dht::DualStackDhtOptions options_;
  SnapshotHub& hub_;
  std::unique_ptr<dht::DualStackDht> node_;
  std::unique_ptr<loop::Timer> tick_;
  std::deque<Request> waiting_;  // until the table has a node
  std::uint64_t startedMs_ = 0;
  bool bootstrapping_ = true;  // on the fast tick
  std::atomic<std::size_t> nodes_{0};
  std::atomic<std::uint16_t> port_{0};
  std::atomic<bool> startRequested_{false};
};

}  // namespace tributary::session
