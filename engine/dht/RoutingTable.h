// Internal: the Kademlia routing table of BEP 5. Buckets of k nodes cover
// ranges of the id space by how many leading bits a node shares with our id;
// only the bucket that contains our own id splits when full, so the table
// knows many nodes near us and a few far away.
//
// A node is good while it answered one of our queries in the last 15 minutes
// (or answered once and queried us in that time), bad after kMaxFailures
// queries in a row went unanswered, questionable otherwise. A full bucket
// takes a new node only in place of a bad one; otherwise the newcomer waits
// in the bucket's replacement cache and steps in when a member goes bad.
//
// Time is passed in (ms, any monotonic origin) so tests drive the clock.
// Plain data, one thread (the DhtNode's loop).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dht/NodeId.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::dht {

enum class NodeStatus : std::uint8_t { Good, Questionable, Bad };

struct RoutingNode {
  NodeEntry entry;
  std::uint64_t lastSeenMs = 0;   // its last reply or query
  std::uint64_t lastReplyMs = 0;  // its last reply to us, when confirmed
  std::uint64_t lastPingMs = 0;   // when we last pinged it, when pinged
  int failures = 0;               // our queries it left unanswered, in a row
  bool confirmed = false;         // it has answered one of our queries
  bool pinged = false;
};

// What deserialize() gives back: the id to keep and nodes to ping on start.
struct SavedRoutingTable {
  NodeId self;
  std::vector<NodeEntry> nodes;
};

class RoutingTable {
 public:
  static constexpr std::size_t kBucketSize = 8;
  static constexpr std::uint64_t kFreshMs = 15 * 60 * 1000;
  static constexpr int kMaxFailures = 2;
  static constexpr std::size_t kMaxSavedNodes = 2000;  // read back, per family
  static constexpr std::int64_t kSaveFormat = 2;

  explicit RoutingTable(NodeId self, std::size_t bucketSize = kBucketSize);

  const NodeId& self() const { return self_; }

  // It answered one of our queries: it is good; inserted if there is room.
  void onReply(const NodeEntry& node, std::uint64_t nowMs);
  // It queried us: refreshed if known, else inserted (unconfirmed) where there
  // is room; it becomes good only once it answers us.
  void onQuery(const NodeEntry& node, std::uint64_t nowMs);
  // A query to this address timed out.
  void onTimeout(const loop::SocketAddress& address, std::uint64_t nowMs);

  // Up to `count` non-bad nodes nearest `target`, nearest first. With
  // confirmedOnly, only nodes that have answered us (what we tell others).
  std::vector<NodeEntry> closest(const NodeId& target, std::size_t count,
                                 bool confirmedOnly = false) const;

  NodeStatus status(const RoutingNode& node, std::uint64_t nowMs) const;
  const RoutingNode* find(const NodeId& id) const;
  std::size_t size() const;  // nodes in buckets (not the replacement caches)
  std::size_t goodCount(std::uint64_t nowMs) const;
  std::size_t bucketCount() const { return buckets_.size(); }
  std::size_t replacementCount() const;

  // Questionable nodes not pinged in the last kFreshMs/3, at most `max`;
  // they are marked as pinged.
  std::vector<NodeEntry> takeNodesToPing(std::uint64_t nowMs, std::size_t max);
  // A random target in each bucket untouched for kFreshMs (marked refreshed).
  std::vector<NodeId> takeRefreshTargets(std::uint64_t nowMs);

  // Our id and the confirmed nodes, as bencode ("format", "id", "nodes", "nodes6").
  std::string serialize() const;
  // The same for a dual-stack session: `self` and the confirmed nodes of
  // every table given (null entries are skipped), in one file.
  static std::string serializeTables(const NodeId& self,
                                     std::initializer_list<const RoutingTable*> tables);
  // Either serialization, or a format-1 file of an earlier version; nullopt
  // for damaged bytes or a format newer than ours.
  static std::optional<SavedRoutingTable> deserialize(std::string_view bytes);

 private:
  struct Bucket {
    std::vector<RoutingNode> nodes;
    std::vector<RoutingNode> replacements;  // newest last
    std::uint64_t lastChangedMs = 0;
  };

  std::size_t bucketIndex(const NodeId& id) const;
  void insert(const NodeEntry& node, std::uint64_t nowMs, bool replied);
  bool canSplit(std::size_t index) const;
  void split();
  void addReplacement(Bucket& bucket, const RoutingNode& node);
  void dropAddressConflict(const NodeEntry& node);

  NodeId self_;
  std::size_t bucketSize_;
  std::vector<Bucket> buckets_;
};

}  // namespace tributary::dht
