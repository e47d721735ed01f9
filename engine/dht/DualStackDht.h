// Internal: the session's DHT as BEP 32 has it on a dual-stack host: one
// DhtNode on an IPv4 socket and one on an IPv6 socket, with one node id. A
// lookup runs on every node at once and reports as one (LookupFanIn); a node
// heard of goes to the node of its family; each node answers "want" for
// both families by reading the other's routing table. Both tables are saved
// in one file (RoutingTable::serializeTables).
//
// The IPv6 node is optional: when its socket cannot be bound (no IPv6 on
// the system) the DHT runs on IPv4 alone, said once in the log at Info.
//
// Loop thread only, like DhtNode: construct, call and destroy it there. No
// callback runs after stop() or the destructor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/api/Error.h"
#include "engine/dht/DhtNode.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Resolver.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::dht {

struct DualStackDhtOptions {
  // What both nodes share. node.bindAddress is the IPv4 node's (port 0 = any;
  // a taken port falls back to any); Unspecified = no IPv4 node. node.id:
  // else the saved state's, else random; the same for both nodes.
  DhtNodeOptions node;
  // The IPv6 node's address; Unspecified = no IPv6 node. Port 0 = the IPv4
  // node's port number when it is free on IPv6 too, else any.
  loop::SocketAddress bindV6 = loop::SocketAddress::anyV6(0);
};

class DualStackDht {
 public:
  using LookupId = std::uint64_t;  // 0 = none (no node could start it)
  using PeersCallback = DhtNode::PeersCallback;
  using DoneCallback = DhtNode::DoneCallback;

  // resolver: the loop's, for bootstrap names; nullptr = one of our own, shared by the nodes.
  DualStackDht(loop::EventLoop& loop, DualStackDhtOptions options,
               loop::Resolver* resolver = nullptr);
  ~DualStackDht();
  DualStackDht(const DualStackDht&) = delete;
  DualStackDht& operator=(const DualStackDht&) = delete;

  // Starts the nodes; an error only when neither could bind.
  Result<void> start();
  void stop();
  bool running() const { return v4_ || v6_; }

  // On every running node; onPeers gets both families' peers, onDone runs
  // once, after the last node's lookup, with the total found.
  LookupId getPeers(const InfoHash& infoHash, PeersCallback onPeers, DoneCallback onDone);
  // Announces on every running node (each to its own family's closest nodes).
  LookupId announce(const InfoHash& infoHash, std::uint16_t port, bool impliedPort,
                    PeersCallback onPeers, DoneCallback onDone);
  void cancel(LookupId id);

  // To the node of its family (an IPv4-mapped IPv6 address counts as IPv4).
  void addNode(const loop::SocketAddress& address);
  // To every node: each uses the addresses of its own family.
  void addBootstrapNode(std::string_view hostPort);

  std::size_t nodeCount() const;  // both tables
  // Both tables and our id, for DhtNodeOptions::savedState next time.
  std::string saveState() const;
  const NodeId& id() const { return id_; }
  // The IPv4 node's UDP port (what PORT messages say), else the IPv6 one's; 0 if none runs.
  std::uint16_t port() const;
  // Null when that family's node is not running.
  DhtNode* v4() const { return v4_.get(); }
  DhtNode* v6() const { return v6_.get(); }

 private:
  using Part = std::pair<DhtNode*, DhtNode::LookupId>;
  template <class StartFn>
  LookupId fanOut(PeersCallback onPeers, DoneCallback onDone, StartFn startOne);
  std::unique_ptr<DhtNode> bindNode(const loop::SocketAddress& address, Error& failure);
  void linkSiblings();

  loop::EventLoop& loop_;
  DualStackDhtOptions options_;
  NodeId id_;
  loop::Resolver* resolver_;
  std::unique_ptr<loop::Resolver> ownResolver_;
  std::unique_ptr<DhtNode> v4_;
  std::unique_ptr<DhtNode> v6_;
  std::unordered_map<LookupId, std::vector<Part>> lookups_;
  LookupId nextLookupId_ = 1;
};

}  // namespace tributary::dht
