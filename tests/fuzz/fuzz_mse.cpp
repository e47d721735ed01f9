// The MSE responder on any bytes: no crash, no unbounded buffering. The first
// byte picks the mode: odd = raw bytes from the first byte on (the DH value,
// the req1 sync); even = a genuine initiator's DH exchange and req1/req2, then
// the fuzz bytes as the encrypted rest (VC, crypto_provide, pads, IA).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/bt/MseCrypto.h"
#include "engine/bt/MseHandshake.h"

using namespace tributary;
using namespace tributary::bt;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::span<const std::byte> input(reinterpret_cast<const std::byte*>(data), size);
  util::Sha1::Digest infoHash{};
  infoHash.fill(std::byte{0x42});
  const util::Sha1::Digest known = mseReq2Hash(infoHash);
  auto responder = MseHandshake::responder(
      [known, infoHash](const util::Sha1::Digest& req2) -> std::optional<util::Sha1::Digest> {
        if (req2 == known) {
          return infoHash;
        }
        return std::nullopt;
      },
      (data[0] & 2) != 0 ? kMseRc4 : (kMseRc4 | kMsePlaintext));
  std::size_t fed = 0;
  if ((data[0] & 1) == 0) {
    auto initiator = MseHandshake::initiator(infoHash, kMseRc4 | kMsePlaintext, {});
    const std::vector<std::byte> step2 = responder->feed(initiator->start());
    const std::vector<std::byte> step3 = initiator->feed(step2);
    if (step3.size() < 40) {
      __builtin_trap();
    }
    responder->feed(std::span(step3).first(40));  // req1 and the obfuscated SKEY
    fed = 40;
  }
  // Chunks of varying size, as a socket delivers them.
  std::size_t at = 1;
  while (at < size && responder->state() == MseHandshake::State::Running) {
    const std::size_t chunk = 1 + (static_cast<std::size_t>(data[at]) % 97);
    const std::size_t n = chunk < size - at ? chunk : size - at;
    const std::vector<std::byte> out = responder->feed(input.subspan(at, n));
    if (out.size() > kMseKeySize + kMseMaxPad + 8 + 4 + 2 + kMseMaxPad) {
      __builtin_trap();
    }
    at += n;
    fed += n;
  }
  switch (responder->state()) {
    case MseHandshake::State::Failed:
      if (responder->error() == MseError::None) {
        __builtin_trap();
      }
      break;
    case MseHandshake::State::Done: {
      const MseResult& result = responder->result();
      if (result.payload.size() > fed || result.infoHash != infoHash ||
          (result.method == kMseRc4) != (result.streams != nullptr)) {
        __builtin_trap();
      }
      break;
    }
    case MseHandshake::State::Running:
      break;
  }
  return 0;
}
