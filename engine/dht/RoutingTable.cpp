#include "engine/dht/RoutingTable.h"

#include <algorithm>

namespace tributary::dht {

RoutingTable::RoutingTable(NodeId self, std::size_t bucketSize)
    : self_(self), bucketSize_(std::max<std::size_t>(bucketSize, 1)), buckets_(1) {}

std::size_t RoutingTable::bucketIndex(const NodeId& id) const {
  const auto shared = static_cast<std::size_t>(self_.commonPrefixBits(id));
  return std::min(shared, buckets_.size() - 1);
}

bool RoutingTable::canSplit(std::size_t index) const {
  // Only the last bucket holds our own id; 160 buckets is as far as ids go.
  return index + 1 == buckets_.size() && buckets_.size() < static_cast<std::size_t>(NodeId::kBits);
}

void RoutingTable::split() {
  const std::size_t from = buckets_.size() - 1;
  buckets_.emplace_back();
  Bucket& old = buckets_[from];
  Bucket& next = buckets_.back();
  next.lastChangedMs = old.lastChangedMs;
  const auto moves = [&](const RoutingNode& n) {
    return static_cast<std::size_t>(self_.commonPrefixBits(n.entry.id)) > from;
  };
  for (auto* list : {&old.nodes, &old.replacements}) {
    auto& target = list == &old.nodes ? next.nodes : next.replacements;
    for (const RoutingNode& n : *list) {
      if (moves(n)) {
        target.push_back(n);
      }
    }
    std::erase_if(*list, moves);
  }
  // Replacements that now fit a bucket with room move up into it.
  for (Bucket* b : {&old, &next}) {
    while (b->nodes.size() < bucketSize_ && !b->replacements.empty()) {
      b->nodes.push_back(b->replacements.back());
      b->replacements.pop_back();
    }
  }
}

void RoutingTable::addReplacement(Bucket& bucket, const RoutingNode& node) {
  std::erase_if(bucket.replacements,
                [&](const RoutingNode& r) { return r.entry.id == node.entry.id; });
  bucket.replacements.push_back(node);
  if (bucket.replacements.size() > bucketSize_) {
    bucket.replacements.erase(bucket.replacements.begin());  // forget the oldest
  }
}

void RoutingTable::dropAddressConflict(const NodeEntry& node) {
  // A node that restarted with a new id answers from its old address: the old
  // entry is dead. Only replies prove the address, so only they get here.
  for (Bucket& b : buckets_) {
    std::erase_if(b.nodes, [&](const RoutingNode& n) {
      return n.entry.address == node.address && n.entry.id != node.id;
    });
    std::erase_if(b.replacements, [&](const RoutingNode& n) {
      return n.entry.address == node.address && n.entry.id != node.id;
    });
  }
}

void RoutingTable::insert(const NodeEntry& node, std::uint64_t nowMs, bool replied) {
  if (node.id == self_ || !node.address.isValid() || node.address.port() == 0) {
    return;
  }
  if (replied) {
    dropAddressConflict(node);
  }
  for (std::size_t guard = 0; guard <= static_cast<std::size_t>(NodeId::kBits); ++guard) {
    const std::size_t index = bucketIndex(node.id);
    Bucket& bucket = buckets_[index];
    auto it = std::find_if(bucket.nodes.begin(), bucket.nodes.end(),
                           [&](const RoutingNode& n) { return n.entry.id == node.id; });
    if (it != bucket.nodes.end()) {
      if (it->entry.address != node.address && !replied) {
        return;  // an unproven claim on a known id from elsewhere
      }
      it->entry.address = node.address;
      it->lastSeenMs = nowMs;
      if (replied) {
        it->lastReplyMs = nowMs;
        it->failures = 0;
        it->confirmed = true;
      }
      bucket.lastChangedMs = nowMs;
      return;
    }
    RoutingNode fresh{node, nowMs, nowMs, 0, 0, replied, false};
    if (bucket.nodes.size() < bucketSize_) {
      std::erase_if(bucket.replacements,
                    [&](const RoutingNode& r) { return r.entry.id == node.id; });
      bucket.nodes.push_back(fresh);
      bucket.lastChangedMs = nowMs;
      return;
    }
    auto bad = std::find_if(bucket.nodes.begin(), bucket.nodes.end(), [&](const RoutingNode& n) {
      return status(n, nowMs) == NodeStatus::Bad;
    });
    if (bad != bucket.nodes.end()) {
      *bad = fresh;
      bucket.lastChangedMs = nowMs;
      return;
    }
    if (canSplit(index)) {
      split();
      continue;
    }
    addReplacement(bucket, fresh);
    return;
  }
}

void RoutingTable::onReply(const NodeEntry& node, std::uint64_t nowMs) {
  insert(node, nowMs, true);
}

void RoutingTable::onQuery(const NodeEntry& node, std::uint64_t nowMs) {
  insert(node, nowMs, false);
}

void RoutingTable::onTimeout(const loop::SocketAddress& address, std::uint64_t nowMs) {
  for (Bucket& b : buckets_) {
    std::erase_if(b.replacements, [&](const RoutingNode& r) { return r.entry.address == address; });
    for (auto it = b.nodes.begin(); it != b.nodes.end(); ++it) {
      if (it->entry.address != address) {
        continue;
      }
      ++it->failures;
      if (status(*it, nowMs) == NodeStatus::Bad && !b.replacements.empty()) {
        *it = b.replacements.back();
        b.replacements.pop_back();
        b.lastChangedMs = nowMs;
      }
      return;
    }
  }
}

NodeStatus RoutingTable::status(const RoutingNode& node, std::uint64_t nowMs) const {
  if (node.failures >= kMaxFailures) {
    return NodeStatus::Bad;
  }
  if (node.confirmed && nowMs - node.lastSeenMs < kFreshMs) {
    return NodeStatus::Good;
  }
  return NodeStatus::Questionable;
}

std::vector<NodeEntry> RoutingTable::closest(const NodeId& target, std::size_t count,
                                             bool confirmedOnly) const {
  std::vector<NodeEntry> all;
  for (const Bucket& b : buckets_) {
    for (const RoutingNode& n : b.nodes) {
      if (n.failures < kMaxFailures && (!confirmedOnly || n.confirmed)) {
        all.push_back(n.entry);
      }
    }
  }
  const auto nearer = [&](const NodeEntry& a, const NodeEntry& b) {
    return closerTo(target, a.id, b.id);
  };
  if (all.size() > count) {
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count), all.end(),
                      nearer);
    all.resize(count);
  } else {
    std::sort(all.begin(), all.end(), nearer);
  }
  return all;
}

const RoutingNode* RoutingTable::find(const NodeId& id) const {
  const Bucket& b = buckets_[bucketIndex(id)];
  for (const RoutingNode& n : b.nodes) {
    if (n.entry.id == id) {
      return &n;
    }
  }
  return nullptr;
}

std::size_t RoutingTable::size() const {
  std::size_t total = 0;
  for (const Bucket& b : buckets_) {
    total += b.nodes.size();
  }
  return total;
}

std::size_t RoutingTable::goodCount(std::uint64_t nowMs) const {
  std::size_t total = 0;
  for (const Bucket& b : buckets_) {
    total += static_cast<std::size_t>(
        std::count_if(b.nodes.begin(), b.nodes.end(),
                      [&](const RoutingNode& n) { return status(n, nowMs) == NodeStatus::Good; }));
  }
  return total;
}

std::size_t RoutingTable::replacementCount() const {
  std::size_t total = 0;
  for (const Bucket& b : buckets_) {
    total += b.replacements.size();
  }
  return total;
}

std::vector<NodeEntry> RoutingTable::takeNodesToPing(std::uint64_t nowMs, std::size_t max) {
  std::vector<NodeEntry> out;
  for (Bucket& b : buckets_) {
    for (RoutingNode& n : b.nodes) {
      if (out.size() >= max) {
        return out;
      }
      const bool pingedLately = n.pinged && nowMs - n.lastPingMs < kFreshMs / 3;
      if (status(n, nowMs) == NodeStatus::Questionable && !pingedLately) {
        n.lastPingMs = nowMs;
        n.pinged = true;
        out.push_back(n.entry);
      }
    }
  }
  return out;
}

std::vector<NodeId> RoutingTable::takeRefreshTargets(std::uint64_t nowMs) {
  std::vector<NodeId> out;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    if (nowMs - buckets_[i].lastChangedMs >= kFreshMs) {
      buckets_[i].lastChangedMs = nowMs;
      out.push_back(NodeId::randomWithPrefix(self_, static_cast<int>(i)));
    }
  }
  return out;
}

}  // namespace tributary::dht
