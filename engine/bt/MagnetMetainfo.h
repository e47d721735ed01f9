// Internal: a magnet task's metainfo, once its info dictionary arrived over
// BEP 9. The dictionary is wrapped into a .torrent (with the magnet's trackers
// and web seeds) and goes through the same parser and path sanitiser as any
// .torrent file: bytes from a peer are no more trusted than a file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"
#include "engine/bt/Metainfo.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

// The .torrent holding `infoBytes` under "info", the trackers (one tier
// each, in order, as BEP 12 reads a magnet's tr= list) and the web seeds.
std::string torrentFromInfo(std::string_view infoBytes, const std::vector<std::string>& trackers,
                            const std::vector<std::string>& webSeeds);

// Parses that .torrent; refuses an info dictionary whose SHA-1 is not `infoHash`
// (the assembler checked it already: this guards against a mix-up).
Result<Metainfo> metainfoFromInfo(std::string_view infoBytes, const util::Sha1::Digest& infoHash,
                                  const std::vector<std::string>& trackers,
                                  const std::vector<std::string>& webSeeds);

}  // namespace tributary::bt
