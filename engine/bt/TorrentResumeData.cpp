#include "engine/bt/TorrentResumeData.h"

#include <algorithm>

#include "engine/codec/Bencode.h"
#include "engine/storage/SealedFile.h"

namespace tributary::bt {
namespace {

constexpr std::string_view kKind = "tributary-torrent-resume";

Error refused(std::string detail) {
  return Error{ErrorCode::InvalidArgument, "resume data: " + std::move(detail)};
}

bool sameStat(const std::optional<storage::FileStat>& a,
              const std::optional<storage::FileStat>& b) {
  if (a.has_value() != b.has_value()) {
    return false;
  }
  return !a || (a->size == b->size && a->modifiedUnixNs == b->modifiedUnixNs);
}

}  // namespace

std::string encodeTorrentResume(const TorrentResumeData& data) {
  codec::BencodeNode root = codec::BencodeNode::makeDict();
  root.set("info-hash", std::string_view(reinterpret_cast<const char*>(data.infoHash.data()),
                                         data.infoHash.size()));
  root.set("pieces", static_cast<std::int64_t>(data.have.size()));
  const std::vector<std::byte> wire = data.have.toWire();
  root.set("have", std::string_view(reinterpret_cast<const char*>(wire.data()), wire.size()));
  codec::BencodeNode files = codec::BencodeNode::makeList();
  for (const std::optional<storage::FileStat>& file : data.files) {
    codec::BencodeNode entry = codec::BencodeNode::makeList();
    if (file) {  // absent: an empty list
      entry.push(static_cast<std::int64_t>(file->size));
      entry.push(file->modifiedUnixNs);
    }
    files.push(std::move(entry));
  }
  root.set("files", std::move(files));
  return storage::seal(kKind, kTorrentResumeVersion, root.encode());
}

Result<TorrentResumeData> decodeTorrentResume(std::string_view bytes,
                                              const util::Sha1::Digest& infoHash,
                                              std::size_t pieceCount, std::size_t fileCount) {
  Result<storage::Unsealed> unsealed = storage::unseal(bytes, kKind, kTorrentResumeVersion);
  if (!unsealed) {
    return unsealed.error();
  }
  codec::BencodeLimits limits;
  limits.maxDepth = 4;
  Result<codec::BencodeDocument> document = codec::decodeBencode(unsealed.value().body, limits);
  if (!document) {
    return refused(document.error().detail);
  }
  const codec::BencodeValue root = document.value().root();
  const std::optional<std::string_view> hash = root.findString("info-hash");
  if (!hash || hash->size() != infoHash.size() ||
      !std::equal(hash->begin(), hash->end(), reinterpret_cast<const char*>(infoHash.data()))) {
    return refused("another torrent's");
  }
  if (root.findInteger("pieces") != static_cast<std::int64_t>(pieceCount)) {
    return refused("another piece count");
  }
  const std::optional<std::string_view> have = root.findString("have");
  TorrentResumeData data;
  data.infoHash = infoHash;
  if (!have || data.have.assignFromWire(std::as_bytes(std::span(have->data(), have->size())),
                                        pieceCount) != util::Bitfield::WireError::None) {
    return refused("a bad piece map");
  }
  const codec::BencodeValue files = root.findList("files");
  if (!files || files.size() != fileCount) {
    return refused("another file count");
  }
  data.files.reserve(fileCount);
  for (const codec::BencodeValue entry : files.items()) {
    if (!entry.isList() || (entry.size() != 0 && entry.size() != 2)) {
      return refused("a bad file entry");
    }
    if (entry.size() == 0) {
      data.files.emplace_back();
      continue;
    }
    const std::optional<std::int64_t> size = entry.item(0).asInteger();
    const std::optional<std::int64_t> time = entry.item(1).asInteger();
    if (!size || *size < 0 || !time) {
      return refused("a bad file entry");
    }
    data.files.push_back(storage::FileStat{static_cast<std::uint64_t>(*size), *time});
  }
  return data;
}

void dropUnwrittenPieces(TorrentResumeData& data, const storage::TorrentLayout& layout) {
  if (data.files.size() != layout.files().size()) {
    data.have.resetAll();
    return;
  }
  std::vector<storage::FileSpan> spans;
  std::vector<std::size_t> drop;
  data.have.forEachSet([&](std::size_t piece) {
    spans.clear();
    layout.spans(layout.pieceOffset(static_cast<std::uint32_t>(piece)),
                 layout.pieceSize(static_cast<std::uint32_t>(piece)), spans);
    for (const storage::FileSpan& span : spans) {
      const auto& stat = data.files[span.file];
      if (!layout.files()[span.file].padding &&
          (!stat || stat->size < span.fileOffset + span.length)) {
        drop.push_back(piece);
        return;
      }
    }
  });
  for (std::size_t piece : drop) {
    data.have.reset(piece);
  }
}

std::vector<std::size_t> vanishedFiles(const TorrentResumeData& saved,
                                       const std::vector<std::optional<storage::FileStat>>& now,
                                       const storage::TorrentLayout& layout) {
  const auto& files = layout.files();
  std::vector<std::size_t> vanished;
  if (saved.files.size() != files.size() || now.size() != files.size()) {
    return vanished;
  }
  std::vector<bool> heldData(files.size(), false);
  std::vector<storage::FileSpan> spans;
  saved.have.forEachSet([&](std::size_t piece) {
    spans.clear();
    layout.spans(layout.pieceOffset(static_cast<std::uint32_t>(piece)),
                 layout.pieceSize(static_cast<std::uint32_t>(piece)), spans);
    for (const storage::FileSpan& span : spans) {
      heldData[span.file] = true;
    }
  });
  for (std::size_t f = 0; f < files.size(); ++f) {
    if (heldData[f] && !files[f].padding && saved.files[f].has_value() && !now[f].has_value()) {
      vanished.push_back(f);
    }
  }
  return vanished;
}

ResumePlan planFromResume(const TorrentResumeData& saved,
                          const std::vector<std::optional<storage::FileStat>>& now,
                          const storage::TorrentLayout& layout) {
  const std::size_t pieceCount = saved.have.size();
  ResumePlan plan{util::Bitfield(pieceCount), util::Bitfield(pieceCount)};
  const auto& files = layout.files();
  if (saved.files.size() != files.size() || now.size() != files.size()) {
    return plan;  // nothing settled: everything is hashed
  }
  std::vector<bool> unchanged(files.size());
  for (std::size_t f = 0; f < files.size(); ++f) {
    unchanged[f] = files[f].padding || sameStat(saved.files[f], now[f]);
  }
  std::vector<storage::FileSpan> spans;
  for (std::uint32_t piece = 0; piece < pieceCount; ++piece) {
    spans.clear();
    layout.spans(layout.pieceOffset(piece), layout.pieceSize(piece), spans);
    if (std::all_of(spans.begin(), spans.end(),
                    [&](const storage::FileSpan& span) { return unchanged[span.file]; })) {
      plan.settled.set(piece);
      if (saved.have.test(piece)) {
        plan.have.set(piece);
      }
    }
  }
  return plan;
}

}  // namespace tributary::bt
