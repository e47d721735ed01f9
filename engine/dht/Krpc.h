// Internal: KRPC, the bencoded messages of the DHT (BEP 5, BEP 32 for IPv6).
// A message is a dictionary with a transaction id "t", a type "y" and then a
// query ("q" + arguments "a"), a response ("r") or an error ("e").
//
// decodeKrpc() is a pure, bounded parser of untrusted datagrams (fuzzed by
// tests/fuzz/fuzz_krpc.cpp): every length is checked, lists are capped, and a
// failure says why and, when the datagram got that far, which transaction to
// answer with error 203. A response's type is only known from the query it
// answers, so every response field is optional here; the caller checks what
// its query needs. Unknown queries decode fine (method Unknown): the node
// answers them with error 204.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dht/NodeId.h"
#include "engine/loop/SocketAddress.h"

namespace tributary::dht {

struct KrpcLimits {
  // Datagrams are rarely above 1500 bytes; libuv hands us at most 64 KiB.
  std::size_t maxMessageSize = 64 * 1024;
  std::size_t maxTransactionId = 16;
  std::size_t maxValues = 200;
  std::size_t maxToken = 64;
  std::size_t maxQueryName = 32;
  std::size_t maxErrorMessage = 256;  // longer texts are cut, not refused
  std::size_t maxDepth = 8;           // root dict, "a"/"r" dict, a list, and room to spare
  std::size_t maxTokens = 4096;
};

enum class KrpcMethod : std::uint8_t { Ping, FindNode, GetPeers, AnnouncePeer, Unknown };
enum class KrpcKind : std::uint8_t { Query, Response, Error };

// BEP 5 error codes.
inline constexpr std::int64_t kKrpcGenericError = 201;
inline constexpr std::int64_t kKrpcServerError = 202;
inline constexpr std::int64_t kKrpcProtocolError = 203;
inline constexpr std::int64_t kKrpcMethodUnknown = 204;

std::string_view krpcMethodName(KrpcMethod method);  // "find_node"; "" for Unknown

struct KrpcQuery {
  KrpcMethod method = KrpcMethod::Ping;
  std::string name;          // "q" as sent (meaningful for Unknown)
  NodeId id;                 // the querying node
  NodeId target;             // find_node
  InfoHash infoHash;         // get_peers, announce_peer
  std::uint16_t port = 0;    // announce_peer
  bool impliedPort = false;  // announce_peer: use the datagram's source port
  std::string token;         // announce_peer
  // BEP 32 "want": which families of nodes the querier asks for. Neither set
  // means "the family of the socket the query came in on".
  bool wantV4 = false;
  bool wantV6 = false;
  bool readOnly = false;  // BEP 43 "ro": do not add the querier to routing tables
};

struct KrpcResponse {
  NodeId id;
  std::vector<NodeEntry> nodes;             // "nodes" (IPv4) and "nodes6" (IPv6)
  std::vector<loop::SocketAddress> values;  // get_peers: the peers
  std::string token;                        // get_peers
};

struct KrpcErrorReply {
  std::int64_t code = kKrpcGenericError;
  std::string message;
};

struct KrpcMessage {
  KrpcKind kind = KrpcKind::Query;
  std::string transactionId;
  std::string version;  // "v", the client's short tag; empty if absent
  // "ip" (BEP 42): the address the responder sees us at. Unspecified if absent.
  loop::SocketAddress externalAddress;
  KrpcQuery query;        // kind == Query
  KrpcResponse response;  // kind == Response
  KrpcErrorReply error;   // kind == Error
};

enum class KrpcError : std::uint8_t {
  Ok = 0,
  TooLarge,
  Bencode,  // not valid bencode
  NotADict,
  BadTransactionId,  // missing, not a string, or longer than the limit
  BadType,           // "y" missing or not q/r/e
  BadQueryName,
  MissingArguments,  // "a" or "r" missing or not a dictionary
  BadNodeId,
  BadTarget,
  BadInfoHash,
  BadPort,
  BadToken,
  BadNodes,   // not a string, or a length that is not a multiple of 26 (38 for nodes6)
  BadValues,  // not a list of strings
  TooManyValues,
  BadErrorList,
};

std::string_view krpcErrorName(KrpcError code);

struct KrpcDecodeFailure {
  KrpcError code = KrpcError::Ok;
  // Set when "t" was read and the message claimed to be a query: the node
  // then answers with error 203 (protocol error) on that transaction.
  std::string transactionId;
  bool wasQuery = false;
};

std::optional<KrpcMessage> decodeKrpc(std::string_view datagram, KrpcDecodeFailure& failure,
                                      const KrpcLimits& limits = {});

// Canonical bencode of a message. Queries carry the arguments their method
// needs; responses carry "nodes"/"nodes6"/"values"/"token" when non-empty.
std::string encodeKrpc(const KrpcMessage& message);

}  // namespace tributary::dht
