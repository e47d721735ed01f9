// Internal: one iterative Kademlia lookup (find_node or get_peers) toward a
// target. It keeps the candidates nearest the target, queries the closest
// ones not yet asked with at most `alpha` queries in flight, and ends when
// the k closest live candidates have all answered (the set no longer
// improves), or its query budget is spent. The DhtNode does the I/O: it
// calls send() for each query and reports back with onReply()/onFailure();
// it also enforces the time bound with finish().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "engine/dht/Krpc.h"
#include "engine/dht/NodeId.h"
#include "engine/loop/SocketAddress.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::dht {

struct LookupOptions {
  std::size_t alpha = 4;
  std::size_t k = 8;
  std::size_t maxQueries = 160;
  std::size_t maxCandidates = 64;
  std::size_t maxPeers = 2000;  // distinct peers reported, per lookup
};

class Lookup {
 public:
  enum class Kind : std::uint8_t { FindNode, GetPeers };
  // Sends one query to `node`; false if it could not go (the node then counts as failed).
  using SendFn = util::UniqueFunction<bool(const NodeEntry& node)>;

  struct Responder {
    NodeEntry node;
    std::string token;  // get_peers: what announce_peer must present
  };

  Lookup(Kind kind, NodeId target, NodeId self, loop::SocketAddress::Family family, SendFn send,
         LookupOptions options = {});

  // Seeds or later additions (a bootstrap reply); nodes of another family,
  // our own id, and addresses already seen are skipped.
  void addCandidates(const std::vector<NodeEntry>& nodes);
  // Sends what the rules allow; marks the lookup finished when nothing is left.
  void step();
  // A response from `from`: its nodes become candidates; returns peers not reported before.
  std::vector<loop::SocketAddress> onReply(const loop::SocketAddress& from,
                                           const KrpcResponse& response);
  void onFailure(const loop::SocketAddress& from);
  void finish() { finished_ = true; }

  bool finished() const { return finished_; }
  Kind kind() const { return kind_; }
  const NodeId& target() const { return target_; }
  std::size_t queriesSent() const { return queries_; }
  std::size_t inFlight() const { return inFlight_; }
  std::size_t peersFound() const { return peersSeen_.size(); }
  // The k closest nodes that answered, nearest first.
  std::vector<Responder> closestResponders() const;

 private:
  enum class State : std::uint8_t { Fresh, InFlight, Responded, Failed };
  struct Candidate {
    NodeEntry node;
    State state = State::Fresh;
    std::string token;
  };
  Candidate* findInFlight(const loop::SocketAddress& from);

  Kind kind_;
  NodeId target_;
  NodeId self_;
  loop::SocketAddress::Family family_;
  SendFn send_;
  LookupOptions options_;
  std::vector<Candidate> candidates_;  // nearest first
  std::unordered_set<loop::SocketAddress> seen_;
  std::unordered_set<loop::SocketAddress> peersSeen_;
  std::size_t queries_ = 0;
  std::size_t inFlight_ = 0;
  bool finished_ = false;
};

}  // namespace tributary::dht
