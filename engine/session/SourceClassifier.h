// Internal: which kind of task a source string asks for, by syntax alone (no I/O).
#pragma once

#include <string_view>

#include "engine/api/Error.h"
#include "engine/api/Types.h"

namespace tributary::session {

// An http(s) URL, a magnet: URI, or (anything else that names a file) a .torrent path.
Result<TaskKind> classifySource(std::string_view source);

// AddParams::alsoFrom put in order: the torrent or magnet in `source`, the
// http(s) URL in `alsoFrom`, whichever way round they were given. An error
// when the two cannot be one task (two URLs, two torrents, a bad scheme).
// Params without alsoFrom come back as they are.
Result<AddParams> pairSources(const AddParams& params);

}  // namespace tributary::session
