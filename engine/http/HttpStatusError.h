// Internal: the error a user can act on for an HTTP status we cannot use
// (404 -> HttpNotFound "404 Not Found from URL", ...), for every HTTP client
// of the engine. The URL is shown without its user:password part.
#pragma once

#include "engine/api/Error.h"
#include "engine/codec/Url.h"

namespace tributary::http {

Error httpStatusError(int status, const codec::Url& url);

}  // namespace tributary::http
