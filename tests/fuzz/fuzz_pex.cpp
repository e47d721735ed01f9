// ut_pex payloads on any bytes: no crash, each list within its cap and only
// usable addresses; what parses re-encodes (trimmed to the sending caps) and
// parses back the same; a PexTracker fed the peers keeps to its caps.
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>

#include "engine/bt/PexMessage.h"
#include "engine/bt/PexTracker.h"

using namespace tributary;
using namespace tributary::bt;

namespace {

template <class T>
std::vector<T> firstOf(const std::vector<T>& items, std::size_t n) {
  return {items.begin(), items.begin() + static_cast<std::ptrdiff_t>(std::min(n, items.size()))};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  const Result<PexMessage> parsed = parsePexMessage(bytes);
  if (!parsed.ok()) {
    return 0;
  }
  const PexMessage& m = parsed.value();
  if (m.added.size() > 2 * kMaxPexEntriesPerList || m.dropped.size() > 2 * kMaxPexEntriesPerList) {
    __builtin_trap();
  }
  for (const PexPeer& peer : m.added) {
    if (!isUsablePexAddress(peer.address)) {
      __builtin_trap();
    }
  }
  for (const loop::SocketAddress& address : m.dropped) {
    if (!isUsablePexAddress(address)) {
      __builtin_trap();
    }
  }

  const std::string encoded = encodePexMessage(m);
  const Result<PexMessage> back =
      parsePexMessage({reinterpret_cast<const std::byte*>(encoded.data()), encoded.size()});
  if (!back.ok() || back.value().added != firstOf(m.added, kMaxPexAddedPerMessage) ||
      back.value().dropped != firstOf(m.dropped, kMaxPexDroppedPerMessage)) {
    __builtin_trap();
  }

  // The dropped list stands in for a recipient and a second connected set.
  PexTracker tracker(m.dropped.empty() ? loop::SocketAddress() : m.dropped.front());
  std::vector<PexPeer> later;
  for (const loop::SocketAddress& address : m.dropped) {
    later.push_back({address, 0});
  }
  const std::vector<PexPeer>& laterView = later;
  for (const std::vector<PexPeer>* connected : {&m.added, &laterView, &m.added}) {
    const PexMessage delta = tracker.nextMessage(*connected);
    if (delta.added.size() > kMaxPexAddedPerMessage ||
        delta.dropped.size() > kMaxPexDroppedPerMessage ||
        tracker.advertisedCount() > m.added.size() + later.size()) {
      __builtin_trap();
    }
  }
  return 0;
}
