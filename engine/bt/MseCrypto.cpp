#include "engine/bt/MseCrypto.h"

#include <openssl/bn.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

namespace tributary::bt {
namespace {

// The spec's 768-bit safe prime (the Oakley group 1 prime); the generator is 2.
constexpr std::string_view kPrimeHex =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563";
constexpr std::size_t kDiscard = 1024;

struct BnFree {
  void operator()(BIGNUM* bn) const { BN_clear_free(bn); }
};
struct BnCtxFree {
  void operator()(BN_CTX* ctx) const { BN_CTX_free(ctx); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using BnCtx = std::unique_ptr<BN_CTX, BnCtxFree>;

const BIGNUM* prime() {
  // Built once per process; never freed (as OpenSSL's own constants are not).
  static BIGNUM* const p = [] {
    BIGNUM* bn = nullptr;
    BN_hex2bn(&bn, std::string(kPrimeHex).c_str());
    return bn;
  }();
  return p;
}

Bn fromBytes(std::span<const std::byte> bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()), nullptr));
}

// base^exponent mod P, as 96 big-endian bytes.
std::optional<MseDhValue> modExp(const BIGNUM* base, std::span<const std::byte> exponent) {
  BnCtx ctx(BN_CTX_new());
  Bn x = fromBytes(exponent);
  Bn result(BN_new());
  if (!ctx || !x || !result || BN_mod_exp(result.get(), base, x.get(), prime(), ctx.get()) != 1) {
    return std::nullopt;
  }
  MseDhValue out{};
  if (BN_bn2binpad(result.get(), reinterpret_cast<unsigned char*>(out.data()),
                   static_cast<int>(out.size())) != static_cast<int>(out.size())) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

void mseRandomBytes(std::span<std::byte> out) {
  if (out.empty()) {
    return;
  }
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size())) != 1) {
    // No entropy means no secret keys: never go on with predictable ones.
    std::abort();
  }
}

std::size_t mseRandomUpTo(std::size_t bound) {
  std::array<std::byte, 4> raw{};
  mseRandomBytes(raw);
  std::uint32_t value = 0;
  for (std::byte b : raw) {
    value = (value << 8) | static_cast<std::uint8_t>(b);
  }
  // The modulo bias over 2^32 is irrelevant for pad lengths.
  return static_cast<std::size_t>(value % (static_cast<std::uint64_t>(bound) + 1));
}

MseKeyPair::MseKeyPair() {
  mseRandomBytes(private_);
  Bn two(BN_new());
  std::optional<MseDhValue> y;
  if (two && BN_set_word(two.get(), 2) == 1) {
    y = modExp(two.get(), private_);
  }
  if (!y) {
    std::abort();  // out of memory inside OpenSSL
  }
  public_ = *y;
}

std::optional<MseDhValue> MseKeyPair::sharedSecret(
    std::span<const std::byte, kMseKeySize> theirs) const {
  Bn y = fromBytes(theirs);
  Bn limit(BN_dup(prime()));
  if (!y || !limit || BN_sub_word(limit.get(), 1) != 1) {
    return std::nullopt;
  }
  if (BN_cmp(y.get(), BN_value_one()) <= 0 || BN_cmp(y.get(), limit.get()) >= 0) {
    return std::nullopt;
  }
  return modExp(y.get(), private_);
}

Rc4::Rc4(std::span<const std::byte> key) {
  for (std::size_t n = 0; n < s_.size(); ++n) {
    s_[n] = static_cast<std::uint8_t>(n);
  }
  if (key.empty()) {
    return;
  }
  std::uint8_t j = 0;
  for (std::size_t n = 0; n < s_.size(); ++n) {
    j = static_cast<std::uint8_t>(j + s_[n] + static_cast<std::uint8_t>(key[n % key.size()]));
    std::swap(s_[n], s_[j]);
  }
}

void Rc4::apply(std::span<std::byte> bytes) {
  std::uint8_t i = i_;
  std::uint8_t j = j_;
  for (std::byte& b : bytes) {
    i = static_cast<std::uint8_t>(i + 1);
    j = static_cast<std::uint8_t>(j + s_[i]);
    std::swap(s_[i], s_[j]);
    b ^= static_cast<std::byte>(s_[static_cast<std::uint8_t>(s_[i] + s_[j])]);
  }
  i_ = i;
  j_ = j;
}

void Rc4::discard(std::size_t count) {
  std::array<std::byte, 256> scratch{};
  while (count > 0) {
    const std::size_t n = std::min(count, scratch.size());
    apply(std::span(scratch).first(n));
    count -= n;
  }
}

void mseDecryptFresh(MseStreams& streams, util::Buffer& buffer, std::uint64_t& seen,
                     std::uint64_t bytesRead) {
  const auto fresh =
      static_cast<std::size_t>(std::min<std::uint64_t>(bytesRead - seen, buffer.readableBytes()));
  seen = bytesRead;
  auto* end = reinterpret_cast<std::byte*>(buffer.beginWrite());
  streams.in.apply(std::span(end - fresh, fresh));
}

util::Sha1::Digest mseHash(std::string_view tag, std::span<const std::byte> a,
                           std::span<const std::byte> b) {
  util::Sha1 sha;
  sha.update(tag);
  sha.update(a);
  sha.update(b);
  return sha.finish();
}

util::Sha1::Digest mseReq2Hash(const util::Sha1::Digest& infoHash) {
  return mseHash("req2", infoHash);
}

MseStreams mseStreams(bool initiator, const MseDhValue& secret, const util::Sha1::Digest& skey) {
  const util::Sha1::Digest keyA = mseHash("keyA", secret, skey);
  const util::Sha1::Digest keyB = mseHash("keyB", secret, skey);
  MseStreams streams{Rc4(initiator ? keyA : keyB), Rc4(initiator ? keyB : keyA)};
  streams.out.discard(kDiscard);
  streams.in.discard(kDiscard);
  return streams;
}

}  // namespace tributary::bt
