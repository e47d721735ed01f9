// Internal: what the downloader asks of a response head before it trusts the
// body: is it the file at all (not a login page), and is it the same version
// of the file as the bytes already on disk. Pure functions on parsed heads.
#pragma once

#include <optional>
#include <string>

#include "engine/http/HeaderValues.h"
#include "engine/http/ResponseHead.h"

namespace tributary::http {

bool isRedirect(int status);

// The tag of a strong ETag, "" when there is none or it is weak (a weak tag
// never proves two bodies are byte-identical).
std::string strongEtag(const ResourceValidators& validators);

// An HTML page where a file of another kind was asked for: a captive portal,
// a login wall or an error page served with 200. `expectedName`'s extension
// is what the user expects; a page is only suspicious when that is not a page.
bool looksHijacked(const ResponseHead& head, const std::string& expectedName);

// Whether validators present on both sides differ (a strong ETag, or
// Last-Modified): then the bytes would come from another version of the file.
bool changedSince(const ResourceValidators& before, const ResourceValidators& now);

// Whether a mirror serves another version of the file than the origin, and
// what differs. ETags are server-specific (many servers put the inode or a
// config hash in them), so two honest servers with the same file disagree on
// them: Last-Modified, which mirroring tools copy, decides when both sides
// give it; strong ETags only when Last-Modified is missing on either side.
std::optional<std::string> mirrorMismatch(const ResourceValidators& origin,
                                          const ResourceValidators& mirror);

}  // namespace tributary::http
