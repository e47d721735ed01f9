// Internal: how our node answers the four BEP 5 queries (and refuses others
// with error 204), given its tables. No I/O: the DhtNode sends what this
// returns. Answers are kept under kMaxAnswerBytes (peers are dropped first),
// so one small query never buys a large datagram.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/dht/Krpc.h"
#include "engine/dht/PeerStore.h"
#include "engine/dht/RoutingTable.h"
#include "engine/dht/TokenStore.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::dht {

struct QueryResponderContext {
  RoutingTable& table;
  TokenStore& tokens;
  PeerStore& peers;
  loop::SocketAddress::Family socketFamily;
  std::string version;  // "v" in our messages; may be empty
  // BEP 32 dual stack: the table of the session's node of the other family,
  // read only, so a query that wants both families gets both. May be null.
  const RoutingTable* siblingTable = nullptr;
};

inline constexpr std::size_t kMaxAnswerBytes = 1400;
inline constexpr std::size_t kMaxPeersPerAnswer = 100;

// The encoded answer to `query` (kind Query) from `from`.
std::string answerQuery(const KrpcMessage& query, const loop::SocketAddress& from,
                        QueryResponderContext& context, std::uint64_t nowMs);

// An encoded error message for transaction `tid`.
std::string encodeKrpcError(std::string_view tid, std::int64_t code, std::string_view text,
                            std::string_view version);

}  // namespace tributary::dht
