#include "engine/bt/PexMessage.h"

#include <algorithm>
#include <string_view>

#include "engine/bt/TrackerCompactPeers.h"
#include "engine/codec/Bencode.h"

namespace tributary::bt {

namespace {

using Family = loop::SocketAddress::Family;

// A flat dictionary of six strings; a little room for keys other clients add.
constexpr codec::BencodeLimits kDecodeLimits{.maxDepth = 4, .maxTokens = 1024};

Error protocolError(std::string detail) {
  return Error{ErrorCode::ProtocolError, "ut_pex: " + std::move(detail)};
}

std::span<const std::byte> asBytes(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

void appendCompact(std::string& out, const loop::SocketAddress& address) {
  for (const std::byte b : encodeCompactPeer(address)) {
    out.push_back(static_cast<char>(b));
  }
}

struct ListKeys {
  std::string_view list;
  std::string_view flags;  // empty for the dropped lists
  Family family;
};

constexpr ListKeys kAdded{"added", "added.f", Family::V4};
constexpr ListKeys kAdded6{"added6", "added6.f", Family::V6};
constexpr ListKeys kDropped{"dropped", "", Family::V4};
constexpr ListKeys kDropped6{"dropped6", "", Family::V6};

// Decodes one compact list of `root` into `out` (with its flags when the list
// has them), keeping the first kMaxPexEntriesPerList usable, distinct entries.
Result<void> readList(const codec::BencodeValue& root, const ListKeys& keys,
                      std::vector<PexPeer>& out) {
  const codec::BencodeValue value = root.find(keys.list);
  if (!value) {
    return {};
  }
  const std::optional<std::string_view> bytes = value.asString();
  if (!bytes) {
    return protocolError("'" + std::string(keys.list) + "' is not a byte string");
  }
  const std::size_t stride = keys.family == Family::V6 ? kCompactPeerV6Bytes : kCompactPeerV4Bytes;
  if (bytes->size() % stride != 0) {
    return protocolError("'" + std::string(keys.list) + "' is not a whole number of " +
                         std::to_string(stride) + "-byte entries");
  }
  const std::size_t count = bytes->size() / stride;
  std::string_view flags;
  if (!keys.flags.empty()) {
    // Flags that do not line up with the entries cannot be trusted for any of them.
    flags = root.findString(keys.flags).value_or(std::string_view());
    if (flags.size() != count) {
      flags = {};
    }
  }
  const std::size_t start = out.size();
  std::vector<TrackerPeer> decoded;
  for (std::size_t i = 0; i < count && out.size() - start < kMaxPexEntriesPerList; ++i) {
    decoded.clear();
    // One entry at a time, so an entry the decoder skips cannot shift the flags.
    if (!appendCompactPeers(asBytes(bytes->substr(i * stride, stride)), keys.family, decoded) ||
        decoded.empty() || !isUsablePexAddress(decoded.front().address)) {
      continue;
    }
    const loop::SocketAddress& address = decoded.front().address;
    const bool seen = std::any_of(out.begin() + static_cast<std::ptrdiff_t>(start), out.end(),
                                  [&](const PexPeer& p) { return p.address == address; });
    if (!seen) {
      const auto f = flags.empty() ? std::uint8_t{0} : static_cast<std::uint8_t>(flags[i]);
      out.push_back(PexPeer{address, f});
    }
  }
  return {};
}

Result<void> readDropped(const codec::BencodeValue& root, const ListKeys& keys,
                         std::vector<loop::SocketAddress>& out) {
  std::vector<PexPeer> peers;
  if (Result<void> read = readList(root, keys, peers); !read) {
    return read;
  }
  for (const PexPeer& peer : peers) {
    out.push_back(peer.address);
  }
  return {};
}

}  // namespace

bool isUsablePexAddress(const loop::SocketAddress& address) {
  if (!address.isValid() || address.port() == 0 || address.isUnspecified()) {
    return false;
  }
  const std::uint8_t first = address.bytes().front();
  if (address.isV4()) {
    // 0/8 is "this network"; 224/4 multicast and 240/4 reserved, with the broadcast address.
    return first != 0 && first < 224;
  }
  return first != 0xFF;  // ff00::/8 multicast
}

std::string encodePexMessage(const PexMessage& message) {
  std::string added;
  std::string addedFlags;
  std::string added6;
  std::string added6Flags;
  std::size_t addedCount = 0;
  for (const PexPeer& peer : message.added) {
    if (addedCount == kMaxPexAddedPerMessage) {
      break;
    }
    if (!isUsablePexAddress(peer.address)) {
      continue;
    }
    const bool v6 = peer.address.isV6();
    appendCompact(v6 ? added6 : added, peer.address);
    (v6 ? added6Flags : addedFlags).push_back(static_cast<char>(peer.flags));
    ++addedCount;
  }
  std::string dropped;
  std::string dropped6;
  std::size_t droppedCount = 0;
  for (const loop::SocketAddress& address : message.dropped) {
    if (droppedCount == kMaxPexDroppedPerMessage) {
      break;
    }
    if (!isUsablePexAddress(address)) {
      continue;
    }
    appendCompact(address.isV6() ? dropped6 : dropped, address);
    ++droppedCount;
  }
  codec::BencodeNode root;
  root.set(kAdded.list, std::move(added));
  root.set(kAdded.flags, std::move(addedFlags));
  root.set(kAdded6.list, std::move(added6));
  root.set(kAdded6.flags, std::move(added6Flags));
  root.set(kDropped.list, std::move(dropped));
  root.set(kDropped6.list, std::move(dropped6));
  return root.encode();
}

Result<PexMessage> parsePexMessage(std::span<const std::byte> payload) {
  const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
  codec::BencodeParseError error;
  const std::optional<codec::BencodeDocument> document =
      codec::decodeBencode(text, error, kDecodeLimits);
  if (!document) {
    return protocolError(error.message());
  }
  const codec::BencodeValue root = document->root();
  if (!root.isDict()) {
    return protocolError("the message is not a dictionary");
  }
  PexMessage message;
  for (const ListKeys* keys : {&kAdded, &kAdded6}) {
    if (Result<void> read = readList(root, *keys, message.added); !read) {
      return read.error();
    }
  }
  for (const ListKeys* keys : {&kDropped, &kDropped6}) {
    if (Result<void> read = readDropped(root, *keys, message.dropped); !read) {
      return read.error();
    }
  }
  return message;
}

}  // namespace tributary::bt
