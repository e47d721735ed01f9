// Internal: the name a finished download takes when its own is already taken,
// as browsers do it: "report.pdf" -> "report (1).pdf", "data.tar.gz" ->
// "data (1).tar.gz", "README" -> "README (1)", ".bashrc" -> ".bashrc (1)".
// Pure; the caller checks which candidate is free.
#pragma once

#include <string>
#include <string_view>

namespace tributary::storage {

// The n-th alternative to `fileName` (n >= 1); n == 0 gives the name itself.
std::string collisionName(std::string_view fileName, unsigned n);

}  // namespace tributary::storage
