// BEP 14 announces on any bytes: no crash, within the limits; what parses
// re-encodes (hashes trimmed to what one announce carries) and parses back the same.
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>

#include "engine/bt/LsdMessage.h"

using namespace tributary;
using namespace tributary::bt;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  const Result<LsdAnnounce> parsed = parseLsdAnnounce(bytes);
  if (!parsed.ok()) {
    return 0;
  }
  const LsdAnnounce& a = parsed.value();
  if (size > kLsdMaxDatagram || a.port == 0 || a.infoHashes.empty() ||
      a.infoHashes.size() > LsdLimits{}.maxInfoHashes || a.host.size() > kLsdMaxHost ||
      a.cookie.size() > kLsdMaxCookie) {
    __builtin_trap();
  }
  const std::string encoded = encodeLsdAnnounce(a.host, a.port, a.infoHashes, a.cookie);
  if (encoded.size() > kLsdMaxDatagram) {
    __builtin_trap();
  }
  const Result<LsdAnnounce> back = parseLsdAnnounce(std::as_bytes(std::span(encoded)));
  LsdAnnounce expected = a;
  expected.infoHashes.resize(std::min(a.infoHashes.size(), kLsdMaxInfoHashesPerAnnounce));
  if (!back.ok() || back.value() != expected) {
    __builtin_trap();
  }
  return 0;
}
