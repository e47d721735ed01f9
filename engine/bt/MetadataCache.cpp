#include "engine/bt/MetadataCache.h"

#include <span>

#include "engine/codec/Bencode.h"
#include "engine/codec/HexBase32.h"
#include "engine/loop/WorkerPool.h"
#include "engine/storage/AtomicFile.h"
#include "engine/util/Log.h"

namespace tributary::bt {
namespace {

// The metadata limit of a magnet (MetadataAssembler) plus room for the wrapping.
constexpr std::size_t kMaxCachedBytes = (16u << 20) + (64u << 10);

}  // namespace

std::string metadataCachePath(const std::string& dir, const util::Sha1::Digest& infoHash) {
  return dir + "/" +
         codec::hexEncode(
             std::span(reinterpret_cast<const std::uint8_t*>(infoHash.data()), infoHash.size())) +
         ".torrent";
}

std::string loadCachedMetadata(storage::FileIo& io, const std::string& dir,
                               const util::Sha1::Digest& infoHash) {
  if (dir.empty()) {
    return {};
  }
  const std::string path = metadataCachePath(dir, infoHash);
  Result<std::string> bytes = storage::readSmallFile(io, path, kMaxCachedBytes);
  if (!bytes) {
    return {};
  }
  Result<codec::BencodeDocument> document = codec::decodeBencode(bytes.value());
  if (!document) {
    TLOG(Warning, "bt") << path << " is damaged: " << document.error().detail;
    return {};
  }
  const codec::BencodeValue info = document.value().root().findDict("info");
  if (!info || util::sha1(info.raw()) != infoHash) {
    TLOG(Warning, "bt") << path << " does not hold that torrent's metadata";
    return {};
  }
  return std::string(info.raw());
}

void saveCachedMetadata(const core::TaskContext& context, const std::string& dir,
                        const util::Sha1::Digest& infoHash, std::string torrentBytes) {
  if (dir.empty() || context.workers == nullptr || !context.fileIo) {
    return;
  }
  std::string path = metadataCachePath(dir, infoHash);
  const bool queued = context.workers->submit(
      *context.loop,
      [io = context.fileIo, dir, path, bytes = std::move(torrentBytes)]() -> Result<void> {
        if (Result<void> made = io->makeDirectories(dir); !made) {
          return made;
        }
        return storage::replaceFileAtomically(*io, path,
                                              std::as_bytes(std::span(bytes.data(), bytes.size())));
      },
      [path](Result<void> written) {
        if (!written) {
          TLOG(Warning, "bt") << "cannot keep the metadata in " << path << ": "
                              << written.error().toString();
        }
      });
  if (!queued) {
    TLOG(Warning, "bt") << "cannot keep the metadata in " << path
                        << ": the disk queue is full; it is fetched again after a restart";
  }
}

}  // namespace tributary::bt
