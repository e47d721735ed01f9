#include "engine/bt/ExtensionHandshake.h"

#include <algorithm>

#include "engine/bt/PeerId.h"
#include "engine/codec/Bencode.h"
#include "engine/codec/Utf8.h"

namespace tributary::bt {

namespace {

// The handshake is a flat dictionary with one nested one; anything deeper or
// bigger is not a handshake.
constexpr codec::BencodeLimits kDecodeLimits{.maxDepth = 8, .maxTokens = 4096};

// Printable UTF-8 of at most maxBytes: control characters dropped, invalid
// sequences replaced, cut at a character boundary.
std::string sanitiseText(std::string_view text, std::size_t maxBytes) {
  return codec::printableUtf8(text, maxBytes);
}

}  // namespace

std::optional<std::uint8_t> ExtensionHandshake::extensionId(std::string_view name) const noexcept {
  for (const ExtensionEntry& entry : extensions) {
    if (entry.name == name) {
      return entry.id == 0 ? std::nullopt : std::optional<std::uint8_t>(entry.id);
    }
  }
  return std::nullopt;
}

ExtensionHandshake makeOurExtensionHandshake(std::uint16_t listenPort, std::uint64_t metadataSize,
                                             std::span<const std::byte> peerAddress,
                                             bool pexEnabled) {
  ExtensionHandshake h;
  h.extensions.push_back({std::string(kUtMetadata), kOurUtMetadataId});
  if (pexEnabled) {
    h.extensions.push_back({std::string(kUtPex), kOurUtPexId});
  }
  h.clientName = std::string(kClientName);
  h.listenPort = listenPort;
  h.requestQueue = kOurRequestQueue;
  h.metadataSize = metadataSize;
  if (peerAddress.size() == 4 || peerAddress.size() == 16) {
    h.yourIp.assign(peerAddress.begin(), peerAddress.end());
  }
  return h;
}

std::string encodeExtensionHandshake(const ExtensionHandshake& h) {
  codec::BencodeNode root = codec::BencodeNode::makeDict();
  codec::BencodeNode m = codec::BencodeNode::makeDict();
  for (const ExtensionEntry& entry : h.extensions) {
    m.set(entry.name, entry.id);
  }
  root.set("m", std::move(m));
  if (h.listenPort != 0) {
    root.set("p", h.listenPort);
  }
  if (h.requestQueue != 0) {
    root.set("reqq", h.requestQueue);
  }
  if (h.metadataSize != 0) {
    root.set("metadata_size", h.metadataSize);
  }
  if (!h.clientName.empty()) {
    root.set("v", h.clientName);
  }
  if (!h.yourIp.empty()) {
    root.set("yourip",
             std::string(reinterpret_cast<const char*>(h.yourIp.data()), h.yourIp.size()));
  }
  return root.encode();
}

ExtensionHandshakeParse parseExtensionHandshake(std::span<const std::byte> payload,
                                                const ExtensionHandshakeLimits& limits) {
  ExtensionHandshakeParse result;
  const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
  codec::BencodeParseError bencodeError;
  const auto document = codec::decodeBencode(text, bencodeError, kDecodeLimits);
  if (!document || !document->root().isDict()) {
    result.error = PeerWireError::BadExtensionHandshake;
    result.detail = document ? "not a dictionary" : bencodeError.message();
    return result;
  }
  const codec::BencodeValue root = document->root();
  ExtensionHandshake h;

  for (const codec::BencodeEntry& entry : root.findDict("m").entries()) {
    if (h.extensions.size() >= limits.maxExtensions) {
      break;
    }
    const auto id = entry.value.asInteger();
    if (!id || *id < 0 || *id > 255 || entry.key.empty() ||
        entry.key.size() > limits.maxNameLength) {
      continue;
    }
    h.extensions.push_back(
        {sanitiseText(entry.key, limits.maxNameLength), static_cast<std::uint8_t>(*id)});
  }
  if (const auto v = root.findString("v")) {
    h.clientName = sanitiseText(*v, limits.maxClientNameBytes);
  }
  if (const auto p = root.findInteger("p"); p && *p > 0 && *p <= 65535) {
    h.listenPort = static_cast<std::uint16_t>(*p);
  }
  if (const auto reqq = root.findInteger("reqq"); reqq && *reqq > 0) {
    h.requestQueue =
        static_cast<std::uint32_t>(std::min<std::int64_t>(*reqq, limits.maxRequestQueue));
  }
  if (const auto size = root.findInteger("metadata_size");
      size && *size > 0 && static_cast<std::uint64_t>(*size) <= limits.maxMetadataSize) {
    h.metadataSize = static_cast<std::uint64_t>(*size);
  }
  if (const auto ip = root.findString("yourip"); ip && (ip->size() == 4 || ip->size() == 16)) {
    const auto* bytes = reinterpret_cast<const std::byte*>(ip->data());
    h.yourIp.assign(bytes, bytes + ip->size());
  }
  result.handshake = std::move(h);
  return result;
}

}  // namespace tributary::bt
