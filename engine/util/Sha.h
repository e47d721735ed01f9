// Internal: SHA-1 and SHA-256 over OpenSSL's EVP, for the HTTP --checksum
// check and BitTorrent piece hashes. A download hashes every byte it gets, so
// update() never allocates: each object owns one EVP context for its whole
// life, and the message digests are fetched once per process.
//
// No OpenSSL type appears here (the layering test keeps OpenSSL to the files
// named Sha*/Hash*/Digest*/Crypto*): the context is an opaque pointer.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace tributary::util {

namespace detail {

// One EVP_MD_CTX, shared by Sha1 and Sha256. Not thread-safe: one per thread.
class EvpDigest {
 public:
  enum class Kind : unsigned char { Sha1, Sha256 };

  explicit EvpDigest(Kind kind);
  ~EvpDigest();
  EvpDigest(EvpDigest&& other) noexcept;
  EvpDigest& operator=(EvpDigest&& other) noexcept;
  EvpDigest(const EvpDigest&) = delete;
  EvpDigest& operator=(const EvpDigest&) = delete;

  void update(std::span<const std::byte> data);
  // Writes out.size() (the digest size) bytes and starts a new message.
  void finishInto(std::span<std::byte> out);

 private:
  void* ctx_ = nullptr;  // EVP_MD_CTX*; null only once moved from
  Kind kind_;
};

}  // namespace detail

// Incremental digest. finish() returns the digest and resets the object for a
// new message, so one hasher serves many pieces. A moved-from hasher may only
// be assigned to or destroyed.
template <detail::EvpDigest::Kind kKind, std::size_t kSize>
class IncrementalDigest {
 public:
  static constexpr std::size_t kDigestSize = kSize;
  using Digest = std::array<std::byte, kDigestSize>;

  IncrementalDigest() : digest_(kKind) {}

  void update(std::span<const std::byte> data) { digest_.update(data); }
  void update(std::string_view text) { update(std::as_bytes(std::span(text))); }
  Digest finish() {
    Digest out;
    digest_.finishInto(out);
    return out;
  }

 private:
  detail::EvpDigest digest_;
};

using Sha1 = IncrementalDigest<detail::EvpDigest::Kind::Sha1, 20>;
using Sha256 = IncrementalDigest<detail::EvpDigest::Kind::Sha256, 32>;

// One-shot digests. They reuse a per-thread context, so they allocate nothing
// after a thread's first call.
Sha1::Digest sha1(std::span<const std::byte> data);
Sha256::Digest sha256(std::span<const std::byte> data);
inline Sha1::Digest sha1(std::string_view text) {
  return sha1(std::as_bytes(std::span(text)));
}
inline Sha256::Digest sha256(std::string_view text) {
  return sha256(std::as_bytes(std::span(text)));
}

// Lower-case hex, the form tributary::Checksum::hex uses.
std::string toHex(std::span<const std::byte> digest);

}  // namespace tributary::util
