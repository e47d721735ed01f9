#include "engine/util/Sha.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>

namespace tributary::util::detail {
namespace {

// These fail only when memory runs out or the provider is missing; a hash that
// silently went wrong would accept corrupt data, so stop instead.
[[noreturn]] void fatal(const char* what) {
  std::fprintf(stderr, "tributary: OpenSSL %s failed\n", what);
  std::abort();
}

struct MdFree {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};

// Fetched once: EVP_MD_fetch looks the algorithm up in the provider tables
// under a lock, which must not happen per piece. Freed at exit, before
// OpenSSL's own atexit cleanup (registered during the first fetch).
const EVP_MD* fetchedMd(EvpDigest::Kind kind) {
  static const std::unique_ptr<EVP_MD, MdFree> sha1(EVP_MD_fetch(nullptr, "SHA1", nullptr));
  static const std::unique_ptr<EVP_MD, MdFree> sha256(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  const EVP_MD* md = kind == EvpDigest::Kind::Sha1 ? sha1.get() : sha256.get();
  if (md == nullptr) {
    fatal("EVP_MD_fetch");
  }
  return md;
}

EVP_MD_CTX* asCtx(void* ctx) {
  return static_cast<EVP_MD_CTX*>(ctx);
}

void init(void* ctx, EvpDigest::Kind kind) {
  if (EVP_DigestInit_ex2(asCtx(ctx), fetchedMd(kind), nullptr) != 1) {
    fatal("EVP_DigestInit_ex2");
  }
}

}  // namespace

EvpDigest::EvpDigest(Kind kind) : ctx_(EVP_MD_CTX_new()), kind_(kind) {
  if (ctx_ == nullptr) {
    fatal("EVP_MD_CTX_new");
  }
  init(ctx_, kind_);
}

EvpDigest::~EvpDigest() {
  EVP_MD_CTX_free(asCtx(ctx_));
}

EvpDigest::EvpDigest(EvpDigest&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)), kind_(other.kind_) {}

EvpDigest& EvpDigest::operator=(EvpDigest&& other) noexcept {
  if (this != &other) {
    EVP_MD_CTX_free(asCtx(ctx_));
    ctx_ = std::exchange(other.ctx_, nullptr);
    kind_ = other.kind_;
  }
  return *this;
}

void EvpDigest::update(std::span<const std::byte> data) {
  if (data.empty()) {
    return;
  }
  if (EVP_DigestUpdate(asCtx(ctx_), data.data(), data.size()) != 1) {
    fatal("EVP_DigestUpdate");
  }
}

void EvpDigest::finishInto(std::span<std::byte> out) {
  unsigned int size = 0;
  if (static_cast<std::size_t>(EVP_MD_CTX_get_size(asCtx(ctx_))) != out.size() ||
      EVP_DigestFinal_ex(asCtx(ctx_), reinterpret_cast<unsigned char*>(out.data()), &size) != 1 ||
      size != out.size()) {
    fatal("EVP_DigestFinal_ex");
  }
  init(ctx_, kind_);
}

}  // namespace tributary::util::detail

namespace tributary::util {

Sha1::Digest sha1(std::span<const std::byte> data) {
  thread_local Sha1 hasher;
  hasher.update(data);
  return hasher.finish();
}

Sha256::Digest sha256(std::span<const std::byte> data) {
  thread_local Sha256 hasher;
  hasher.update(data);
  return hasher.finish();
}

std::string toHex(std::span<const std::byte> digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(digest.size() * 2, '\0');
  for (std::size_t i = 0; i < digest.size(); ++i) {
    const auto b = static_cast<unsigned char>(digest[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 0x0f];
  }
  return out;
}

}  // namespace tributary::util
