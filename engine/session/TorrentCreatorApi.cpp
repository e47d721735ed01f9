// engine/api/TorrentCreator.h, backed by engine/bt. It lives in the session
// library because that is what app/ and ui/ link (engine/api is header-only).
#include "engine/api/TorrentCreator.h"

#include "engine/bt/TorrentCreator.h"

namespace tributary {

Result<CreatedTorrent> createTorrent(const CreateTorrentParams& params,
                                     const CreateTorrentProgress& progress) {
  return bt::makeTorrent(params, progress);
}

std::uint64_t automaticPieceSize(std::uint64_t totalBytes) {
  return bt::automaticPieceLength(totalBytes);
}

}  // namespace tributary
