// Internal: which kind of task a source string asks for, by syntax alone (no I/O).
#pragma once

#include <string_view>

#include "engine/api/Error.h"
#include "engine/api/Types.h"

namespace tributary::session {

// An http(s) URL, a magnet: URI, or (anything else that names a file) a .torrent path.
Result<TaskKind> classifySource(std::string_view source);

}  // namespace tributary::session
