// Internal: one BitTorrent peer connection on a task's loop: the byte stream
// (TCP or uTP: a net::ByteStream), the handshake, framing and validation of
// every message (PeerMessageDecoder, PeerProtocolState), batching of what we
// send, and the per-peer counters the peer list shows. What the messages mean
// (pieces, choking) is the torrent's business: it gets them through Listener
// after they passed every check.
//
// A message that breaks a rule closes the connection with the rule's reason
// (logged and kept in closeReason()). Timers are the torrent's too: it scans
// its peers once a second (lastReceiveMs(), handshake deadline), which costs
// less than a timer per connection and keeps one clock for all of them.
//
// Listener callbacks may close the connection; the torrent destroys it only
// from onPeerClosed() onward, by posting, never inside a callback of its own.
//
// Encryption (MSE/PE) sits under the peer wire: an outgoing connection with
// encryption on runs MseHandshake first (our BT handshake rides in it as the
// initial payload); an incoming one gets its RC4 streams from the listener,
// which ran the responder side. With RC4, every read is decrypted in place in
// the socket's buffer before the decoder sees it, and every batch is
// encrypted as it goes out; a piece block is then copied into its own
// encrypted buffer (shared piece bytes can't carry one connection's cipher).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "engine/api/Engine.h"
#include "engine/bt/ExtensionHandshake.h"
#include "engine/bt/Handshake.h"
#include "engine/bt/MseHandshake.h"
#include "engine/bt/PeerMessage.h"
#include "engine/bt/PeerMessageEncoder.h"
#include "engine/bt/PeerProtocolState.h"
#include "engine/core/RateMeter.h"
#include "engine/net/ByteStream.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

// How we learned of a peer (the peer list's "source" column and H/X/L/I flags).
enum class PeerOrigin : std::uint8_t { Tracker, Dht, Pex, Lsd, Incoming, Manual };

struct PeerConnectionConfig {
  util::Sha1::Digest infoHash{};
  PeerId ourId{};
  ReservedBits reserved = ReservedBits::ours(false);
  std::optional<TorrentGeometry> geometry;
  std::uint32_t ourRequestQueue = 500;  // BEP 10 "reqq" we advertise
  std::uint16_t listenPort = 0;
  bool pexEnabled = false;
  std::uint64_t metadataSize = 0;
  // Outgoing only (incoming is the listener's call): Enabled tries MSE and
  // falls back to plaintext once if the peer hangs up; Required is RC4 or nothing.
  EncryptionMode encryption = EncryptionMode::Disabled;
};

// The mode to dial a peer with after `failures` failed connections: with
// encryption merely allowed, every other retry goes out in plaintext, so a
// peer that takes the connection but never answers our DH key (nothing to
// fall back on in the same connection) is still reached.
inline EncryptionMode dialEncryption(EncryptionMode mode, unsigned failures) {
  return mode == EncryptionMode::Enabled && failures % 2 == 1 ? EncryptionMode::Disabled : mode;
}

class PeerConnection {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // Both handshakes are through (and the extension handshake sent, when the
    // peer supports it): the torrent sends its bitfield now.
    virtual void onPeerReady(PeerConnection& peer) = 0;
    virtual void onPeerMessage(PeerConnection& peer, const PeerMessage& message) = 0;
    // The connection is over (why: the peer's rule break, a socket error, EOF
    // = ok, or close(reason) by the torrent). Called once; the torrent may
    // destroy the object after this returns (by posting).
    virtual void onPeerClosed(PeerConnection& peer, const Error& why) = 0;
    // A block given to sendPiece() went out whole: room for the next one.
    virtual void onPeerBlockSent(PeerConnection& peer) = 0;
  };

  // Outgoing: call connect().
  PeerConnection(loop::EventLoop& loop, Listener& listener, PeerConnectionConfig config,
                 loop::SocketAddress address, PeerOrigin origin);
  // Incoming: the listener read the peer's handshake (it named our torrent);
  // bytes after it are still in the socket's read buffer.
  PeerConnection(loop::EventLoop& loop, Listener& listener, PeerConnectionConfig config,
                 std::unique_ptr<net::ByteStream> socket, const Handshake& theirs);
  ~PeerConnection();
  PeerConnection(const PeerConnection&) = delete;
  PeerConnection& operator=(const PeerConnection&) = delete;

  // Makes the unconnected stream an outgoing connection dials; called again
  // for the plaintext retry after a failed MSE attempt. A null stream from it:
  // TCP after all.
  using StreamFactory = std::function<std::unique_ptr<net::ByteStream>()>;
  void connect(std::chrono::milliseconds timeout);  // over TCP
  void connect(std::chrono::milliseconds timeout, StreamFactory factory);
  // Ends the connection; onPeerClosed runs (on a later tick, never inside).
  void close(Error why);
  bool closed() const { return closed_; }
  bool ready() const { return ready_; }
  // TCP is up (the handshakes, MSE's included, may still be under way).
  bool tcpConnected() const { return tcpUp_; }
  // RC4 on the wire (false for plaintext, also after an MSE handshake that chose it).
  bool encrypted() const { return cipher_ != nullptr; }
  net::Transport transport() const { return transport_; }
  const std::string& closeReason() const { return closeReason_; }

  // Sending: each appends to a batch that goes out when the current message
  // dispatch ends (or at once outside of one).
  void sendBitfield(const util::Bitfield& have);
  void sendHaveAll();
  void sendHaveNone();
  void sendHave(std::uint32_t piece);
  void sendChoke();
  void sendUnchoke();
  void sendInterested();
  void sendNotInterested();
  void sendRequest(std::uint32_t piece, std::uint32_t begin, std::uint32_t length);
  void sendCancel(std::uint32_t piece, std::uint32_t begin, std::uint32_t length);
  void sendReject(std::uint32_t piece, std::uint32_t begin, std::uint32_t length);
  void sendAllowedFast(std::uint32_t piece);
  void sendKeepAlive();
  void sendPort(std::uint16_t dhtPort);  // BEP 5
  // A BEP 10 message (ut_metadata, ut_pex) under the id the peer's extension
  // handshake gave that extension; `payload` follows the id byte.
  void sendExtended(std::uint8_t theirId, std::span<const std::byte> payload);
  // A block read from disk: the header goes with the batch, the bytes after it
  // without a copy. Counted as uploaded as the kernel takes them.
  void sendPiece(std::uint32_t piece, std::uint32_t begin, util::SendQueue::SharedBytes data,
                 std::size_t offset, std::size_t length);
  void flush();

  // Who and what.
  const loop::SocketAddress& address() const { return address_; }
  PeerOrigin origin() const { return origin_; }
  bool incoming() const { return origin_ == PeerOrigin::Incoming; }
  const Handshake& theirHandshake() const { return theirs_; }
  const std::optional<ExtensionHandshake>& extensions() const { return extensions_; }
  const PeerProtocolState& protocol() const { return *protocol_; }
  bool fastExtension() const { return protocol_ && protocol_->options().fastExtension; }
  std::string clientName() const;

  // Counters (payload bytes of piece messages; loop clock milliseconds).
  std::uint64_t downloaded() const { return downRate_.total(); }
  std::uint64_t uploaded() const { return upRate_.total(); }
  std::uint64_t downloadRate(std::uint64_t nowMs) const { return downRate_.rate(nowMs); }
  std::uint64_t uploadRate(std::uint64_t nowMs) const { return upRate_.rate(nowMs); }
  void countDownloaded(std::uint64_t bytes, std::uint64_t nowMs) { downRate_.add(bytes, nowMs); }
  std::uint64_t connectedAtMs() const { return connectedAtMs_; }
  std::uint64_t lastReceiveMs() const { return lastReceiveMs_; }
  std::uint64_t lastSendMs() const { return lastSendMs_; }
  std::size_t pendingWriteBytes() const { return socket_ ? socket_->pendingWriteBytes() : 0; }
  // The transport's smoothed RTT (TCP: the kernel's, where the OS says).
  std::optional<std::chrono::microseconds> networkRtt() const {
    return socket_ ? socket_->smoothedRtt() : std::nullopt;
  }
  // Stop reading (the disk is behind); TCP then slows the peer down.
  void pauseReading();
  void resumeReading();

 private:
  // The socket connected (or was adopted): read, send our side.
  void start();
  // Decrypts, then onData(); runs the outgoing MSE handshake first.
  void onSocketData(util::Buffer& buffer);
  bool feedMse(util::Buffer& buffer);  // true once the MSE handshake is through
  void onSocketClosed(Result<void> result);
  // Enabled and not yet tried: redials without MSE. False when it may not.
  bool retryInPlaintext();
  void onData(util::Buffer& buffer);
  bool feedHandshake(util::Buffer& buffer);
  void afterHandshake(bool drainBuffer);
  void dispatch(const PeerMessage& message);
  void onExtended(const PeerMessage& message);
  void fail(Error why);
  void batch();  // flush now unless inside a dispatch

  loop::EventLoop& loop_;
  Listener& listener_;
  PeerConnectionConfig config_;
  loop::SocketAddress address_;
  PeerOrigin origin_;
  std::unique_ptr<net::ByteStream> socket_;
  StreamFactory makeStream_;  // outgoing; null: TCP
  net::Transport transport_ = net::Transport::Tcp;
  std::unique_ptr<MseHandshake> mse_;   // while the outgoing MSE handshake runs
  std::shared_ptr<MseStreams> cipher_;  // RC4 chosen: out encrypts, in decrypts
  std::uint64_t rawSeen_ = 0;           // socket bytesRead() already decrypted
  std::chrono::milliseconds connectTimeout_{0};
  bool triedPlain_ = false;   // the one plaintext retry after a failed MSE attempt
  bool mseAnswered_ = false;  // the peer's first bytes were no plain BT handshake
  bool tcpUp_ = false;
  HandshakeReader handshakeReader_;
  Handshake theirs_;
  std::optional<PeerProtocolState> protocol_;
  std::optional<ExtensionHandshake> extensions_;
  WireBytes out_;
  bool ourHandshakeSent_ = false;
  bool ready_ = false;
  bool closed_ = false;
  bool dispatching_ = false;
  std::string closeReason_;
  core::RateMeter downRate_;
  core::RateMeter upRate_;
  std::uint64_t connectedAtMs_ = 0;
  std::uint64_t lastReceiveMs_ = 0;
  std::uint64_t lastSendMs_ = 0;
  std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace tributary::bt
