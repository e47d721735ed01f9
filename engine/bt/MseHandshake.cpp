#include "engine/bt/MseHandshake.h"

#include <algorithm>
#include <utility>

namespace tributary::bt {
namespace {

constexpr std::size_t kVcSize = 8;
constexpr std::size_t kHashSize = 20;
constexpr std::size_t kMaxInitialPayload = 0xFFFF;
// The spec's sync windows: pad up to 512 bytes after the DH value, then the marker.
constexpr std::size_t kReq1SearchEnd = kMseKeySize + kMseMaxPad + kHashSize;  // 628
constexpr std::size_t kVcSearchEnd = kMseKeySize + kMseMaxPad + kVcSize;      // 616

std::uint32_t readBe(std::span<const std::byte> bytes) {
  std::uint32_t value = 0;
  for (std::byte b : bytes) {
    value = (value << 8) | static_cast<std::uint8_t>(b);
  }
  return value;
}

void appendBe(std::vector<std::byte>& out, std::uint32_t value, std::size_t size) {
  for (std::size_t n = size; n > 0; --n) {
    out.push_back(static_cast<std::byte>((value >> (8 * (n - 1))) & 0xFF));
  }
}

void appendRandomPad(std::vector<std::byte>& out) {
  const std::size_t start = out.size();
  out.resize(start + mseRandomUpTo(kMseMaxPad));
  mseRandomBytes(std::span(out).subspan(start));
}

bool singleMethod(std::uint32_t bits) {
  return bits == kMsePlaintext || bits == kMseRc4;
}

}  // namespace

std::string_view mseErrorReason(MseError error) {
  switch (error) {
    case MseError::None:
      return "no error";
    case MseError::BadPublicKey:
      return "MSE: an invalid Diffie-Hellman key";
    case MseError::NoSync:
      return "MSE: no handshake marker where the spec puts it";
    case MseError::UnknownTorrent:
      return "MSE: a torrent we do not serve";
    case MseError::BadVc:
      return "MSE: a bad verification constant";
    case MseError::PadTooLong:
      return "MSE: a pad longer than 512 bytes";
    case MseError::NoCommonMethod:
      return "MSE: no encryption method in common";
    case MseError::BadSelect:
      return "MSE: the peer selected a method we did not offer";
  }
  return "MSE: unknown error";
}

MseHandshake::MseHandshake(bool initiator, std::uint32_t methods)
    : initiator_(initiator), methods_(methods & (kMsePlaintext | kMseRc4)) {}

std::unique_ptr<MseHandshake> MseHandshake::initiator(const util::Sha1::Digest& infoHash,
                                                      std::uint32_t provide,
                                                      std::vector<std::byte> initialPayload) {
  std::unique_ptr<MseHandshake> handshake(new MseHandshake(true, provide));
  handshake->infoHash_ = infoHash;
  if (initialPayload.size() > kMaxInitialPayload) {
    initialPayload.resize(kMaxInitialPayload);  // a caller bug; never sent as a wrong length
  }
  handshake->initialPayload_ = std::move(initialPayload);
  return handshake;
}

std::unique_ptr<MseHandshake> MseHandshake::responder(Lookup lookup, std::uint32_t accept) {
  std::unique_ptr<MseHandshake> handshake(new MseHandshake(false, accept));
  handshake->lookup_ = std::move(lookup);
  return handshake;
}

std::vector<std::byte> MseHandshake::start() {
  std::vector<std::byte> out;
  if (initiator_ && step_ == Step::Key && state_ == State::Running) {
    const MseDhValue& ya = keys_.publicKey();
    out.assign(ya.begin(), ya.end());
    appendRandomPad(out);
  }
  return out;
}

std::vector<std::byte> MseHandshake::feed(std::span<const std::byte> bytes) {
  std::vector<std::byte> out;
  if (state_ != State::Running) {
    return out;
  }
  in_.insert(in_.end(), bytes.begin(), bytes.end());
  advance(out);
  return out;
}

void MseHandshake::advance(std::vector<std::byte>& out) {
  bool progressed = true;
  while (progressed && state_ == State::Running) {
    switch (step_) {
      case Step::Key:
        progressed = onKey(out);
        break;
      case Step::SyncReq1:
        progressed = onSyncReq1();
        break;
      case Step::Req2:
        progressed = onReq2();
        break;
      case Step::Provide:
        progressed = onProvide();
        break;
      case Step::PadCAndLength:
        progressed = onPadCAndLength();
        break;
      case Step::InitialPayload:
        progressed = onInitialPayload(out);
        break;
      case Step::SyncVc:
        progressed = onSyncVc();
        break;
      case Step::Select:
        progressed = onSelect();
        break;
      case Step::PadD:
        progressed = onPadD();
        break;
    }
  }
}

std::span<std::byte> MseHandshake::take(std::size_t n) {
  std::span<std::byte> bytes = std::span(in_).subspan(pos_, n);
  pos_ += n;
  if (streams_) {
    streams_->in.apply(bytes);
  }
  return bytes;
}

bool MseHandshake::onKey(std::vector<std::byte>& out) {
  if (available() < kMseKeySize) {
    return false;
  }
  const std::span<const std::byte, kMseKeySize> theirs(in_.data(), kMseKeySize);
  std::optional<MseDhValue> secret = keys_.sharedSecret(theirs);
  if (!secret) {
    fail(MseError::BadPublicKey);
    return false;
  }
  secret_ = *secret;
  pos_ = kMseKeySize;
  if (!initiator_) {
    const MseDhValue& yb = keys_.publicKey();
    out.insert(out.end(), yb.begin(), yb.end());
    appendRandomPad(out);
    const util::Sha1::Digest req1 = mseHash("req1", secret_);
    syncTarget_.assign(req1.begin(), req1.end());
    step_ = Step::SyncReq1;
    return true;
  }
  // Step 3: we know S now, and SKEY all along.
  const util::Sha1::Digest req1 = mseHash("req1", secret_);
  util::Sha1::Digest req2 = mseReq2Hash(infoHash_);
  const util::Sha1::Digest req3 = mseHash("req3", secret_);
  for (std::size_t n = 0; n < req2.size(); ++n) {
    req2[n] ^= req3[n];
  }
  out.insert(out.end(), req1.begin(), req1.end());
  out.insert(out.end(), req2.begin(), req2.end());
  streams_.emplace(mseStreams(true, secret_, infoHash_));
  const std::size_t encryptedStart = out.size();
  out.resize(out.size() + kVcSize);  // VC: zeros
  appendBe(out, methods_, 4);
  std::vector<std::byte> pad;
  appendRandomPad(pad);
  appendBe(out, static_cast<std::uint32_t>(pad.size()), 2);
  out.insert(out.end(), pad.begin(), pad.end());
  appendBe(out, static_cast<std::uint32_t>(initialPayload_.size()), 2);
  out.insert(out.end(), initialPayload_.begin(), initialPayload_.end());
  streams_->out.apply(std::span(out).subspan(encryptedStart));
  initialPayload_.clear();
  // B's reply starts with ENCRYPT(VC) on its own stream: what we sync on.
  Rc4 probe = streams_->in;
  syncTarget_.assign(kVcSize, std::byte{0});
  probe.apply(syncTarget_);
  step_ = Step::SyncVc;
  return true;
}

bool MseHandshake::onSyncReq1() {
  const std::size_t end = std::min(in_.size(), kReq1SearchEnd);
  const auto first = in_.begin() + static_cast<std::ptrdiff_t>(pos_);
  const auto last = in_.begin() + static_cast<std::ptrdiff_t>(end);
  const auto found = std::search(first, last, syncTarget_.begin(), syncTarget_.end());
  if (found == last) {
    if (in_.size() >= kReq1SearchEnd) {
      fail(MseError::NoSync);
    }
    return false;
  }
  pos_ = static_cast<std::size_t>(found - in_.begin()) + kHashSize;
  step_ = Step::Req2;
  return true;
}

bool MseHandshake::onReq2() {
  if (available() < kHashSize) {
    return false;
  }
  const std::span<const std::byte> obfuscated = take(kHashSize);  // not encrypted: no streams yet
  util::Sha1::Digest req2 = mseHash("req3", secret_);
  for (std::size_t n = 0; n < req2.size(); ++n) {
    req2[n] ^= obfuscated[n];
  }
  std::optional<util::Sha1::Digest> skey = lookup_ ? lookup_(req2) : std::nullopt;
  if (!skey) {
    fail(MseError::UnknownTorrent);
    return false;
  }
  infoHash_ = *skey;
  streams_.emplace(mseStreams(false, secret_, infoHash_));
  step_ = Step::Provide;
  return true;
}

bool MseHandshake::onProvide() {
  if (available() < kVcSize + 4 + 2) {
    return false;
  }
  const std::span<const std::byte> bytes = take(kVcSize + 4 + 2);
  if (std::any_of(bytes.begin(), bytes.begin() + kVcSize,
                  [](std::byte b) { return b != std::byte{0}; })) {
    fail(MseError::BadVc);
    return false;
  }
  peerProvide_ = readBe(bytes.subspan(kVcSize, 4));
  need_ = readBe(bytes.subspan(kVcSize + 4, 2));
  if (need_ > kMseMaxPad) {
    fail(MseError::PadTooLong);
    return false;
  }
  step_ = Step::PadCAndLength;
  return true;
}

bool MseHandshake::onPadCAndLength() {
  if (available() < need_ + 2) {
    return false;
  }
  const std::span<const std::byte> bytes = take(need_ + 2);
  need_ = readBe(bytes.last(2));
  step_ = Step::InitialPayload;
  return true;
}

bool MseHandshake::onInitialPayload(std::vector<std::byte>& out) {
  if (available() < need_) {
    return false;
  }
  const std::span<const std::byte> initialPayload = take(need_);
  const std::uint32_t common = peerProvide_ & methods_;
  const std::uint32_t select =
      (common & kMseRc4) != 0 ? kMseRc4 : ((common & kMsePlaintext) != 0 ? kMsePlaintext : 0);
  if (select == 0) {
    fail(MseError::NoCommonMethod);
    return false;
  }
  result_.method = select;
  result_.payload.assign(initialPayload.begin(), initialPayload.end());
  const std::size_t encryptedStart = out.size();
  out.resize(out.size() + kVcSize);
  appendBe(out, select, 4);
  std::vector<std::byte> pad;
  appendRandomPad(pad);
  appendBe(out, static_cast<std::uint32_t>(pad.size()), 2);
  out.insert(out.end(), pad.begin(), pad.end());
  streams_->out.apply(std::span(out).subspan(encryptedStart));
  finish();
  return false;
}

bool MseHandshake::onSyncVc() {
  const std::size_t end = std::min(in_.size(), kVcSearchEnd);
  const auto first = in_.begin() + static_cast<std::ptrdiff_t>(pos_);
  const auto last = in_.begin() + static_cast<std::ptrdiff_t>(end);
  const auto found = std::search(first, last, syncTarget_.begin(), syncTarget_.end());
  if (found == last) {
    if (in_.size() >= kVcSearchEnd) {
      fail(MseError::NoSync);
    }
    return false;
  }
  pos_ = static_cast<std::size_t>(found - in_.begin());
  take(kVcSize);  // moves our copy of B's stream past the VC
  step_ = Step::Select;
  return true;
}

bool MseHandshake::onSelect() {
  if (available() < 4 + 2) {
    return false;
  }
  const std::span<const std::byte> bytes = take(4 + 2);
  const std::uint32_t select = readBe(bytes.first(4));
  if (!singleMethod(select) || (select & methods_) == 0) {
    fail(MseError::BadSelect);
    return false;
  }
  result_.method = select;
  need_ = readBe(bytes.last(2));
  if (need_ > kMseMaxPad) {
    fail(MseError::PadTooLong);
    return false;
  }
  step_ = Step::PadD;
  return true;
}

bool MseHandshake::onPadD() {
  if (available() < need_) {
    return false;
  }
  take(need_);
  finish();
  return false;
}

void MseHandshake::finish() {
  // What follows is the payload stream: RC4 goes on, plaintext is as sent.
  if (result_.method != kMseRc4) {
    streams_.reset();
  }
  const std::span<const std::byte> rest = take(available());
  result_.payload.insert(result_.payload.end(), rest.begin(), rest.end());
  result_.infoHash = infoHash_;
  if (streams_) {
    result_.streams = std::make_unique<MseStreams>(std::move(*streams_));
    streams_.reset();
  }
  in_ = {};
  pos_ = 0;
  state_ = State::Done;
}

void MseHandshake::fail(MseError error) {
  state_ = State::Failed;
  error_ = error;
  in_ = {};
  pos_ = 0;
  streams_.reset();
}

}  // namespace tributary::bt
