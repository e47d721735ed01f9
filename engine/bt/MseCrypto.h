// Internal: the cryptography of BitTorrent Message Stream Encryption (MSE/PE,
// the "Vuze" spec that libtorrent, Transmission and qBittorrent speak): a
// 768-bit Diffie-Hellman exchange, RC4 with its first 1024 bytes dropped, and
// the SHA-1 key and request hashes. MseHandshake drives them; PeerConnection
// keeps the two RC4 streams for the life of an encrypted connection.
//
// No OpenSSL type appears here: the bignum work hides in MseCrypto.cpp (the
// layering test lets only files named Mse* in engine/bt include OpenSSL).
// RC4 is ours, not OpenSSL's: OpenSSL 3 moved it to the legacy provider,
// which a default install does not load.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "engine/util/Buffer.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

inline constexpr std::size_t kMseKeySize = 96;  // a 768-bit DH value, big-endian
using MseDhValue = std::array<std::byte, kMseKeySize>;

// Fills `out` from OpenSSL's CSPRNG (pads, private keys).
void mseRandomBytes(std::span<std::byte> out);
// A uniform value in [0, bound] from the CSPRNG.
std::size_t mseRandomUpTo(std::size_t bound);

// One side's ephemeral DH key: a random 160-bit private exponent X, and
// Y = 2^X mod P with the spec's prime P.
class MseKeyPair {
 public:
  MseKeyPair();  // draws a fresh private key
  const MseDhValue& publicKey() const { return public_; }
  // S = Y'^X mod P; nullopt when the peer's value is out of range (0, 1,
  // P-1 or >= P would make S guessable).
  std::optional<MseDhValue> sharedSecret(std::span<const std::byte, kMseKeySize> theirs) const;

 private:
  std::array<std::byte, 20> private_{};
  MseDhValue public_{};
};

// RC4 (ARCFOUR). The state is a plain value: copying it gives an independent
// stream, which the initiator uses to precompute the encrypted VC it syncs on.
class Rc4 {
 public:
  explicit Rc4(std::span<const std::byte> key);
  // Turns plaintext into ciphertext or back, in place.
  void apply(std::span<std::byte> bytes);
  void discard(std::size_t count);

 private:
  std::array<std::uint8_t, 256> s_{};
  std::uint8_t i_ = 0;
  std::uint8_t j_ = 0;
};

// The two directions of one encrypted connection: `out` encrypts what we
// send, `in` decrypts what we receive. Both already past the 1024 dropped bytes.
struct MseStreams {
  Rc4 out;
  Rc4 in;
};

// Decrypts, in place, what a socket read into `buffer` since the last call:
// the buffer's last (bytesRead - seen) readable bytes; what is before them
// was decrypted by an earlier call and left for want of a whole message.
void mseDecryptFresh(MseStreams& streams, util::Buffer& buffer, std::uint64_t& seen,
                     std::uint64_t bytesRead);

// HASH(tag, a[, b]) as the spec writes it: SHA-1 over the concatenation.
util::Sha1::Digest mseHash(std::string_view tag, std::span<const std::byte> a,
                           std::span<const std::byte> b = {});
// HASH('req2', SKEY): what an incoming handshake names its torrent by (xored
// with HASH('req3', S)); the registry keeps it per info-hash.
util::Sha1::Digest mseReq2Hash(const util::Sha1::Digest& infoHash);
// keyA for the initiator's sending stream, keyB for the responder's.
MseStreams mseStreams(bool initiator, const MseDhValue& secret, const util::Sha1::Digest& skey);

}  // namespace tributary::bt
