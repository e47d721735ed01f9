// Internal: one lookup made of several, one per DhtNode of a dual-stack
// session (BEP 32). Peers pass through as each part reports them; the done
// callback runs once, after the last part is done and the caller said no
// more parts come (seal()), with the total of what the parts found.
// Loop thread only; the parts' callbacks hold it by shared_ptr.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "engine/loop/SocketAddress.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::dht {

class LookupFanIn {
 public:
  using PeersCallback = util::UniqueFunction<void(const std::vector<loop::SocketAddress>& peers)>;
  using DoneCallback = util::UniqueFunction<void(std::size_t peersFound)>;

  LookupFanIn(PeersCallback onPeers, DoneCallback onDone);

  // One more part will report (call before starting it).
  void addPart() { ++pending_; }
  // A part that was added but could not start: it will never report.
  void dropPart();
  // Every part is added: from now on the last partDone() finishes (or this
  // call does, when every part is done already).
  void seal();

  void partPeers(const std::vector<loop::SocketAddress>& peers);
  void partDone(std::size_t peersFound);

  bool done() const { return done_; }
  std::size_t pending() const { return pending_; }
  std::size_t total() const { return total_; }

 private:
  void finishIfDone();

  PeersCallback onPeers_;
  DoneCallback onDone_;
  std::size_t pending_ = 0;
  std::size_t total_ = 0;
  bool sealed_ = false;
  bool done_ = false;
};

}  // namespace tributary::dht
