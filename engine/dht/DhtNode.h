// Internal: our DHT node (BEP 5) on one UDP socket of one EventLoop. It
// answers other nodes' queries (rate-limited per source IP, answers bounded
// in size), keeps its routing table fresh, and runs iterative lookups for
// the session: getPeers() finds peers for an info-hash, announce() also
// tells the closest nodes that we have it.
//
// One address family per node: the socket's. For BEP 32 dual stack the
// session runs two nodes (0.0.0.0 and ::, see DualStackDht) with one id; each
// may read the other's routing table to answer "want": ["n4", "n6"].
//
// Everything happens on the loop thread: construct, call and destroy the
// node there. Callbacks run on it too; a callback may start or cancel
// lookups but must not destroy the node. No callback runs after stop() or
// the destructor.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/api/Error.h"
#include "engine/dht/Krpc.h"
#include "engine/dht/Lookup.h"
#include "engine/dht/NodeId.h"
#include "engine/dht/PeerStore.h"
#include "engine/dht/RoutingTable.h"
#include "engine/dht/SourceRateLimiter.h"
#include "engine/dht/TokenStore.h"
#include "engine/dht/TransactionTable.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Resolver.h"
#include "engine/loop/SocketAddress.h"
#include "engine/loop/Timer.h"
#include "engine/loop/UdpSocket.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::dht {

struct DhtNodeOptions {
  // Where to listen; port 0 = any free port (see localAddress()).
  loop::SocketAddress bindAddress = loop::SocketAddress::anyV4(0);
  // "host:port" or "[v6]:port"; names are resolved on the loop's Resolver.
  std::vector<std::string> bootstrapNodes;
  // saveState() of an earlier run: our id and nodes to ping. "" = none.
  std::string savedState;
  // Our id; else the saved one; else random.
  std::optional<NodeId> id;
  // Incoming queries per source IP.
  double queriesPerSecondPerIp = 20.0;
  double queryBurstPerIp = 50.0;
  std::chrono::milliseconds queryTimeout{2000};
  std::chrono::milliseconds lookupTimeout{20000};
  LookupOptions lookup;
  PeerStoreLimits peerStore;
  std::string version = std::string("TR\x00\x01", 4);  // "v": client tag + version
};

struct DhtNodeStats {
  std::size_t nodes = 0;  // in the routing table
  std::size_t goodNodes = 0;
  std::size_t lookups = 0;  // running
  std::size_t pendingQueries = 0;
  std::uint64_t queriesAnswered = 0;
  std::uint64_t queriesDropped = 0;  // rate-limited or malformed
  std::uint64_t queriesSent = 0;
  std::uint64_t timeouts = 0;
};

class DhtNode {
 public:
  using LookupId = std::uint64_t;  // 0 = none (the lookup could not start)
  // Peers as they arrive, each reported once per lookup.
  using PeersCallback = util::UniqueFunction<void(const std::vector<loop::SocketAddress>& peers)>;
  // The lookup (and for announce(), the announces) are done.
  using DoneCallback = util::UniqueFunction<void(std::size_t peersFound)>;

  // resolver: the loop's, for bootstrap names; nullptr = the node makes its own.
  DhtNode(loop::EventLoop& loop, DhtNodeOptions options, loop::Resolver* resolver = nullptr);
  ~DhtNode();
  DhtNode(const DhtNode&) = delete;
  DhtNode& operator=(const DhtNode&) = delete;

  // Binds the socket, starts the timers, pings saved nodes and bootstraps.
  Result<void> start();
  // Closes the socket and drops every lookup without calling back. Idempotent.
  void stop();
  bool running() const { return running_; }

  LookupId getPeers(const InfoHash& infoHash, PeersCallback onPeers, DoneCallback onDone);
  // get_peers, then announce_peer to the (up to 8) closest nodes that gave a
  // token. port 0 or impliedPort: the others take our UDP source port.
  LookupId announce(const InfoHash& infoHash, std::uint16_t port, bool impliedPort,
                    PeersCallback onPeers, DoneCallback onDone);
  // No callback of that lookup runs afterwards.
  void cancel(LookupId id);

  // A node heard of elsewhere (a peer's PORT message): pinged, and kept if it answers.
  void addNode(const loop::SocketAddress& address);
  // Another "host:port" to bootstrap from (now, and again while the table is small).
  void addBootstrapNode(std::string_view hostPort);

  // BEP 32: the routing table of the node of the other family, read to answer
  // queries that want both families; nullptr = none. The caller keeps it
  // alive until it sets another or destroys this node.
  void setSiblingTable(const RoutingTable* table) { sibling_ = table; }

  std::size_t nodeCount() const { return table_.size(); }
  // The routing table as bytes, for DhtNodeOptions::savedState next time.
  std::string saveState() const { return table_.serialize(); }
  const NodeId& id() const { return table_.self(); }
  loop::SocketAddress localAddress() const { return socket_.localAddress(); }
  DhtNodeStats stats() const;
  const RoutingTable& routingTable() const { return table_; }

 private:
  struct LookupRun {
    std::unique_ptr<Lookup> lookup;
    PeersCallback onPeers;
    DoneCallback onDone;
    std::uint64_t startedMs = 0;
    bool announce = false;
    bool bootstrap = false;  // our own id, fed by bootstrap replies
    std::uint16_t port = 0;
    bool impliedPort = false;
  };

  std::uint64_t now() const { return loop_.nowMs(); }
  void onDatagram(const loop::SocketAddress& from, std::span<const std::byte> bytes);
  void onQuery(const KrpcMessage& message, const loop::SocketAddress& from);
  void send(const loop::SocketAddress& to, const std::string& wire);
  bool sendQuery(const loop::SocketAddress& to, KrpcQuery query, TransactionTable::Callback cb);
  LookupId startLookup(Lookup::Kind kind, const NodeId& target, LookupRun run,
                       const std::vector<NodeEntry>& seeds = {});
  bool sendLookupQuery(LookupId id, const NodeEntry& node);
  void onLookupReply(LookupId id, const loop::SocketAddress& from, const KrpcMessage* reply);
  void finishIfDone(LookupId id);
  void sendAnnounces(const LookupRun& run);
  void bootstrap();
  void resolveAndQuery(const std::string& hostPort);
  void queryBootstrapNode(const loop::SocketAddress& address);
  void onTick();
  void maintain();

  loop::EventLoop& loop_;
  DhtNodeOptions options_;
  loop::Resolver* resolver_;
  std::unique_ptr<loop::Resolver> ownResolver_;
  loop::UdpSocket socket_;
  loop::Timer tickTimer_;
  RoutingTable table_;
  const RoutingTable* sibling_ = nullptr;
  TokenStore tokens_;
  PeerStore peers_;
  SourceRateLimiter limiter_;
  TransactionTable transactions_;
  std::vector<NodeEntry> savedNodes_;
  std::vector<std::string> bootstrapNodes_;
  std::vector<loop::Resolver::Request> resolving_;
  std::unordered_map<LookupId, LookupRun> lookups_;
  LookupId nextLookupId_ = 1;
  LookupId bootstrapLookup_ = 0;
  std::uint64_t lastMaintainMs_ = 0;
  std::uint64_t lastBootstrapMs_ = 0;
  bool running_ = false;
  DhtNodeStats counters_;
  // Expires with the node: closures posted to our own loop check it.
  std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace tributary::dht
