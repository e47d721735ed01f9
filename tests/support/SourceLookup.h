// Finding one source in a task's snapshot, for the tests that check what a
// web seed, mirror or origin URL did. engine/api only: no library to link.
#pragma once

#include <string>

#include "engine/api/Types.h"

namespace tributary::test {

// The source with exactly this URL, or nullptr; it points into `s`.
inline const SourceSnapshot* sourceFor(const TaskSnapshot& s, const std::string& url) {
  for (const SourceSnapshot& source : s.sources) {
    if (source.url == url) {
      return &source;
    }
  }
  return nullptr;
}

}  // namespace tributary::test
