// parseMagnetUri on any bytes: no crash, what it keeps stays within its caps,
// and a parsed magnet written out by makeMagnetUri parses back to itself.
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/bt/MagnetUri.h"
#include "engine/codec/Utf8.h"

using namespace tributary;
using namespace tributary::bt;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Result<MagnetUri> parsed = parseMagnetUri(input);
  if (!parsed.ok()) {
    return 0;
  }
  const MagnetUri& m = parsed.value();
  if (m.displayName.size() > kMaxMagnetNameBytes || !codec::isValidUtf8(m.displayName) ||
      m.trackers.size() > kMaxMagnetListEntries || m.webSeeds.size() > kMaxMagnetListEntries ||
      m.peers.size() > kMaxMagnetListEntries) {
    __builtin_trap();
  }
  for (const auto& [first, last] : m.selectOnly) {
    if (last < first) {
      __builtin_trap();
    }
  }
  // Percent-encoding can triple a value, so a long magnet may not fit twice.
  const std::string again = makeMagnetUri(m);
  if (again.size() <= kMaxMagnetUriBytes) {
    const Result<MagnetUri> back = parseMagnetUri(again);
    if (!back.ok() || !(back.value() == m)) {
      __builtin_trap();
    }
  }
  return 0;
}
