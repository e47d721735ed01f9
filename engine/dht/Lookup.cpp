#include "engine/dht/Lookup.h"

#include <algorithm>

#include "engine/dht/CompactAddress.h"

namespace tributary::dht {

Lookup::Lookup(Kind kind, NodeId target, NodeId self, loop::SocketAddress::Family family,
               SendFn send, LookupOptions options)
    : kind_(kind),
      target_(target),
      self_(self),
      family_(family),
      send_(std::move(send)),
      options_(options) {}

void Lookup::addCandidates(const std::vector<NodeEntry>& nodes) {
  for (const NodeEntry& n : nodes) {
    if (n.address.family() != family_ || n.id == self_ || n.address.port() == 0 ||
        seen_.count(n.address) != 0) {
      continue;
    }
    // seen_ is bounded by what can arrive: maxQueries replies of bounded size.
    seen_.insert(n.address);
    const auto at = std::upper_bound(
        candidates_.begin(), candidates_.end(), n.id,
        [&](const NodeId& id, const Candidate& c) { return closerTo(target_, id, c.node.id); });
    candidates_.insert(at, Candidate{n, State::Fresh, {}});
    // Too many: forget the farthest one not waiting for an answer.
    if (candidates_.size() > options_.maxCandidates) {
      for (auto it = candidates_.end(); it != candidates_.begin();) {
        --it;
        if (it->state != State::InFlight) {
          candidates_.erase(it);
          break;
        }
      }
    }
  }
}

void Lookup::step() {
  if (finished_) {
    return;
  }
  while (inFlight_ < options_.alpha && queries_ < options_.maxQueries) {
    Candidate* pick = nullptr;
    std::size_t live = 0;
    for (Candidate& c : candidates_) {
      if (c.state == State::Failed) {
        continue;
      }
      if (live++ >= options_.k) {
        break;
      }
      if (c.state == State::Fresh) {
        pick = &c;
        break;
      }
    }
    if (!pick) {
      break;
    }
    pick->state = State::InFlight;
    ++inFlight_;
    ++queries_;
    if (!send_(pick->node)) {
      pick->state = State::Failed;
      --inFlight_;
    }
  }
  if (inFlight_ == 0) {
    finished_ = true;
  }
}

Lookup::Candidate* Lookup::findInFlight(const loop::SocketAddress& from) {
  for (Candidate& c : candidates_) {
    if (c.state == State::InFlight && c.node.address == from) {
      return &c;
    }
  }
  return nullptr;
}

std::vector<loop::SocketAddress> Lookup::onReply(const loop::SocketAddress& from,
                                                 const KrpcResponse& response) {
  std::vector<loop::SocketAddress> fresh;
  Candidate* c = findInFlight(from);
  if (!c) {
    return fresh;
  }
  c->state = State::Responded;
  c->token = response.token;
  --inFlight_;
  if (c->node.id != response.id) {
    // It is not the node we were told about (it changed its id): place it by its real one.
    c->node.id = response.id;
    std::stable_sort(candidates_.begin(), candidates_.end(),
                     [&](const Candidate& a, const Candidate& b) {
                       return closerTo(target_, a.node.id, b.node.id);
                     });
  }
  if (kind_ == Kind::GetPeers) {
    // Peers of the other family are kept: a torrent may reach them on its own sockets.
    for (const loop::SocketAddress& value : response.values) {
      const auto peer = usablePeer(value);
      if (peer && peersSeen_.size() < options_.maxPeers && peersSeen_.insert(*peer).second) {
        fresh.push_back(*peer);
      }
    }
  }
  addCandidates(response.nodes);
  step();
  return fresh;
}

void Lookup::onFailure(const loop::SocketAddress& from) {
  if (Candidate* c = findInFlight(from)) {
    c->state = State::Failed;
    --inFlight_;
    step();
  }
}

std::vector<Lookup::Responder> Lookup::closestResponders() const {
  std::vector<Responder> out;
  for (const Candidate& c : candidates_) {
    if (c.state == State::Responded) {
      out.push_back({c.node, c.token});
      if (out.size() >= options_.k) {
        break;
      }
    }
  }
  return out;
}

}  // namespace tributary::dht
