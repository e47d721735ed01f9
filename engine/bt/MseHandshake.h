// Internal: the MSE/PE handshake as a pure, byte-driven state machine, for
// either role. It owns no socket and no timer: the caller feeds what arrived,
// sends what feed() returns, and gives up after its own timeout.
//
//   1 A->B  Ya, PadA
//   2 B->A  Yb, PadB
//   3 A->B  HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S),
//           ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA)), ENCRYPT(IA)
//   4 B->A  ENCRYPT(VC, crypto_select, len(PadD), PadD), then the payload stream
//
// Limits, from the spec: pads are at most 512 bytes; the responder looks for
// HASH('req1', S) no further than 512 bytes past Ya (it must end within 628
// bytes of the stream's start), the initiator for ENCRYPT(VC) no further than
// 512 bytes past Yb (ending within 616). The initial payload (IA) is at most
// what its 2-byte length allows. Anything else fails the handshake.
//
// Once Done, result() holds the chosen method, the torrent (SKEY), the RC4
// streams when RC4 was chosen, and the payload bytes that came after the
// handshake, already decrypted (for the responder, IA first).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/bt/MseCrypto.h"
#include "engine/util/Sha.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::bt {

// crypto_provide / crypto_select bits.
inline constexpr std::uint32_t kMsePlaintext = 0x01;
inline constexpr std::uint32_t kMseRc4 = 0x02;
inline constexpr std::size_t kMseMaxPad = 512;

enum class MseError : std::uint8_t {
  None,
  BadPublicKey,    // the peer's DH value is out of range
  NoSync,          // no HASH('req1', S) / ENCRYPT(VC) where the spec puts it
  UnknownTorrent,  // the obfuscated info-hash names none of ours
  BadVc,           // the verification constant is not 8 zero bytes
  PadTooLong,      // a pad length over 512
  NoCommonMethod,  // nothing in crypto_provide that we accept
  BadSelect,       // crypto_select is not one method we offered
};
std::string_view mseErrorReason(MseError error);

struct MseResult {
  std::uint32_t method = 0;  // kMsePlaintext or kMseRc4
  util::Sha1::Digest infoHash{};
  std::unique_ptr<MseStreams> streams;  // null with plaintext
  std::vector<std::byte> payload;       // plaintext bytes after the handshake
};

class MseHandshake {
 public:
  enum class State : std::uint8_t { Running, Done, Failed };
  // HASH('req2', SKEY) -> SKEY (an info-hash we serve), or nullopt.
  using Lookup = util::UniqueFunction<std::optional<util::Sha1::Digest>(const util::Sha1::Digest&)>;

  // `provide`: the methods we offer (kMsePlaintext | kMseRc4 or kMseRc4).
  // `initialPayload` (IA): sent encrypted with step 3, at most 65535 bytes.
  static std::unique_ptr<MseHandshake> initiator(const util::Sha1::Digest& infoHash,
                                                 std::uint32_t provide,
                                                 std::vector<std::byte> initialPayload);
  // `accept`: the methods we take; RC4 is chosen whenever both sides allow it.
  static std::unique_ptr<MseHandshake> responder(Lookup lookup, std::uint32_t accept);

  // The initiator's first bytes (Ya, PadA); empty for the responder.
  std::vector<std::byte> start();
  // Takes every byte given (bytes past the handshake go to the result's
  // payload) and returns what to send now. No-op after Done or Failed.
  std::vector<std::byte> feed(std::span<const std::byte> bytes);

  State state() const { return state_; }
  MseError error() const { return error_; }
  // Valid once Done; the caller moves out what it needs.
  MseResult& result() { return result_; }

 private:
  enum class Step : std::uint8_t {
    Key,             // both: the peer's 96-byte DH value
    SyncReq1,        // responder: HASH('req1', S)
    Req2,            // responder: the obfuscated SKEY
    Provide,         // responder: VC, crypto_provide, len(PadC)
    PadCAndLength,   // responder: PadC, len(IA)
    InitialPayload,  // responder: IA
    SyncVc,          // initiator: ENCRYPT(VC)
    Select,          // initiator: crypto_select, len(PadD)
    PadD,            // initiator
  };

  MseHandshake(bool initiator, std::uint32_t methods);
  // Runs steps while enough input is buffered; appends output to `out`.
  void advance(std::vector<std::byte>& out);
  bool onKey(std::vector<std::byte>& out);
  bool onSyncReq1();
  bool onReq2();
  bool onProvide();
  bool onPadCAndLength();
  bool onInitialPayload(std::vector<std::byte>& out);
  bool onSyncVc();
  bool onSelect();
  bool onPadD();
  void finish();
  void fail(MseError error);
  // The next n buffered bytes, decrypted in place with the peer's stream.
  std::span<std::byte> take(std::size_t n);
  std::size_t available() const { return in_.size() - pos_; }

  bool initiator_;
  std::uint32_t methods_;  // offered (initiator) or accepted (responder)
  State state_ = State::Running;
  MseError error_ = MseError::None;
  Step step_ = Step::Key;
  MseKeyPair keys_;
  MseDhValue secret_{};
  util::Sha1::Digest infoHash_{};
  std::vector<std::byte> initialPayload_;
  Lookup lookup_;
  std::vector<std::byte> in_;  // everything received, until Done
  std::size_t pos_ = 0;        // in_[0, pos_) is used up
  std::optional<MseStreams> streams_;
  std::vector<std::byte> syncTarget_;  // req1 hash or the encrypted VC
  std::size_t need_ = 0;               // a pad or IA length just read
  std::uint32_t peerProvide_ = 0;
  MseResult result_;
};

}  // namespace tributary::bt
