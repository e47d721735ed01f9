// Internal: our outstanding KRPC queries, by transaction id. A reply is
// matched only when it comes from the address the query went to, so a third
// party cannot answer for a node. Bounded in size; ids are 2 bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/dht/Krpc.h"
#include "engine/loop/SocketAddress.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::dht {

class TransactionTable {
 public:
  // The reply (a response or an error), or nullptr when the query timed out
  // or was dropped.
  using Callback = util::UniqueFunction<void(const KrpcMessage* reply)>;

  struct Expired {
    loop::SocketAddress to;
    Callback callback;
  };

  explicit TransactionTable(std::size_t maxPending = 1024);

  // A fresh transaction id, or nullopt when maxPending queries are out.
  std::optional<std::string> add(const loop::SocketAddress& to, std::uint64_t deadlineMs,
                                 Callback callback);
  // The callback of the query `tid` sent to `from` (removed), or an empty one.
  Callback take(std::string_view tid, const loop::SocketAddress& from);
  std::vector<Expired> takeExpired(std::uint64_t nowMs);
  // Drops everything without running the callbacks.
  void clear() { pending_.clear(); }
  std::size_t size() const { return pending_.size(); }

 private:
  struct Pending {
    loop::SocketAddress to;
    std::uint64_t deadlineMs = 0;
    Callback callback;
  };

  std::size_t maxPending_;
  std::uint16_t next_;
  std::unordered_map<std::uint16_t, Pending> pending_;
};

}  // namespace tributary::dht
