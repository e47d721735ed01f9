#include "engine/bt/UtMetadataMessage.h"

#include <optional>
#include <string_view>

#include "engine/codec/Bencode.h"

namespace tributary::bt {

namespace {

// The dictionary has three integers; a few unknown keys (some clients add
// their own) are tolerated, deep or large structures are not.
constexpr codec::BencodeLimits kDecodeLimits{
    .maxDepth = 4, .maxTokens = 64, .allowTrailingData = true};

UtMetadataParse failWith(PeerWireError error) {
  UtMetadataParse result;
  result.status = UtMetadataParse::Status::Error;
  result.error = error;
  return result;
}

std::string dictionaryPrefix(UtMetadataMessage::Type type, std::uint32_t piece,
                             std::optional<std::uint64_t> totalSize) {
  // Keys in canonical (sorted) order: msg_type, piece, total_size.
  std::string out = "d";
  codec::appendBencodeString(out, "msg_type");
  codec::appendBencodeInteger(out, static_cast<std::int64_t>(type));
  codec::appendBencodeString(out, "piece");
  codec::appendBencodeInteger(out, piece);
  if (totalSize) {
    codec::appendBencodeString(out, "total_size");
    codec::appendBencodeInteger(out, static_cast<std::int64_t>(*totalSize));
  }
  out += 'e';
  return out;
}

}  // namespace

UtMetadataParse parseUtMetadata(std::span<const std::byte> payload,
                                const UtMetadataLimits& limits) {
  const std::string_view input(reinterpret_cast<const char*>(payload.data()), payload.size());
  codec::BencodeParseError decodeError;
  const std::optional<codec::BencodeDocument> document =
      codec::decodeBencode(input, decodeError, kDecodeLimits);
  if (!document || !document->root().isDict()) {
    return failWith(PeerWireError::BadMetadataMessage);
  }
  const codec::BencodeValue root = document->root();
  const std::optional<std::int64_t> msgType = root.findInteger("msg_type");
  if (!msgType) {
    return failWith(PeerWireError::BadMetadataMessage);
  }
  if (*msgType < 0 || *msgType > static_cast<std::int64_t>(UtMetadataMessage::Type::Reject)) {
    UtMetadataParse result;
    result.status = UtMetadataParse::Status::Unknown;
    return result;
  }
  const std::optional<std::int64_t> piece = root.findInteger("piece");
  if (!piece) {
    return failWith(PeerWireError::BadMetadataMessage);
  }
  if (*piece < 0 || *piece > kMaxMetadataPieceIndex) {
    return failWith(PeerWireError::MetadataPieceOutOfRange);
  }

  UtMetadataParse result;
  result.status = UtMetadataParse::Status::Ok;
  result.message.type = static_cast<UtMetadataMessage::Type>(*msgType);
  result.message.piece = static_cast<std::uint32_t>(*piece);
  if (result.message.type != UtMetadataMessage::Type::Data) {
    // Bytes after a request or reject carry nothing: ignored, as other clients do.
    return result;
  }

  const std::optional<std::int64_t> totalSize = root.findInteger("total_size");
  if (!totalSize) {
    return failWith(PeerWireError::BadMetadataMessage);
  }
  if (*totalSize <= 0 || static_cast<std::uint64_t>(*totalSize) > limits.maxTotalSize) {
    return failWith(PeerWireError::MetadataTooLarge);
  }
  const std::size_t dictEnd = root.raw().size();  // the root starts at offset 0
  if (payload.size() - dictEnd > kMetadataPieceSize) {
    return failWith(PeerWireError::MetadataPieceTooLarge);
  }
  result.message.totalSize = static_cast<std::uint64_t>(*totalSize);
  result.message.data = payload.subspan(dictEnd);
  return result;
}

std::string encodeUtMetadataRequest(std::uint32_t piece) {
  return dictionaryPrefix(UtMetadataMessage::Type::Request, piece, std::nullopt);
}

std::string encodeUtMetadataReject(std::uint32_t piece) {
  return dictionaryPrefix(UtMetadataMessage::Type::Reject, piece, std::nullopt);
}

std::string encodeUtMetadataData(std::uint32_t piece, std::uint64_t totalSize,
                                 std::span<const std::byte> data) {
  std::string out = dictionaryPrefix(UtMetadataMessage::Type::Data, piece, totalSize);
  out.append(reinterpret_cast<const char*>(data.data()), data.size());
  return out;
}

}  // namespace tributary::bt
