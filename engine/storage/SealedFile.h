// Internal: the framing of our small state files (the session's task list, a
// torrent's resume data): a header line naming the kind and version, the
// body, and a checksum line over everything before it:
//
//   tributary-session 1
//   <body>
//   crc32 1c291ca3
//
// unseal() treats the bytes as hostile: a wrong kind, a version this build
// does not read, a missing or damaged checksum line, or any damaged byte is
// an error, and the body is only handed out once the checksum matches.
#pragma once

#include <string>
#include <string_view>

#include "engine/api/Error.h"

namespace tributary::storage {

std::string seal(std::string_view kind, unsigned version, std::string_view body);

struct Unsealed {
  unsigned version = 0;
  std::string_view body;  // into the caller's bytes
};
// An error unless the bytes are `kind`, version 1..maxVersion, intact.
Result<Unsealed> unseal(std::string_view bytes, std::string_view kind, unsigned maxVersion);

}  // namespace tributary::storage
