#include "engine/bt/PeerConnection.h"

#include <string_view>
#include <utility>

#include "engine/bt/ClientName.h"
#include "engine/bt/PeerMessageDecoder.h"
#include "engine/net/TcpByteStream.h"
#include "engine/util/Log.h"

namespace tributary::bt {
namespace {

Error protocolError(PeerWireError error) {
  return Error{ErrorCode::ProtocolError, std::string(peerWireErrorReason(error))};
}

}  // namespace

PeerConnection::PeerConnection(loop::EventLoop& loop, Listener& listener,
                               PeerConnectionConfig config, loop::SocketAddress address,
                               PeerOrigin origin)
    : loop_(loop),
      listener_(listener),
      config_(std::move(config)),
      address_(std::move(address)),
      origin_(origin),
      handshakeReader_(config_.infoHash) {}

PeerConnection::PeerConnection(loop::EventLoop& loop, Listener& listener,
                               PeerConnectionConfig config, std::unique_ptr<net::ByteStream> socket,
                               const Handshake& theirs)
    : loop_(loop),
      listener_(listener),
      config_(std::move(config)),
      address_(socket->remoteAddress()),
      origin_(PeerOrigin::Incoming),
      socket_(std::move(socket)),
      transport_(socket_->transport()),
      cipher_(theirs.encryption),
      theirs_(theirs) {
  // The caller has checked the info-hash; the rest of their handshake is in
  // (decrypted already when it came over MSE).
  theirs_.encryption.reset();
  rawSeen_ = socket_->bytesRead();
  connectedAtMs_ = lastReceiveMs_ = loop_.nowMs();
  std::weak_ptr<char> alive = life_;
  loop_.post([this, alive] {
    if (!alive.expired() && !closed_) {
      start();
      if (!alive.expired() && !closed_) {
        afterHandshake(true);
      }
    }
  });
}

PeerConnection::~PeerConnection() {
  if (socket_) {
    socket_->close();
  }
}

void PeerConnection::connect(std::chrono::milliseconds timeout) {
  connect(timeout, nullptr);
}

void PeerConnection::connect(std::chrono::milliseconds timeout, StreamFactory factory) {
  connectTimeout_ = timeout;
  if (factory) {
    makeStream_ = std::move(factory);
  }
  socket_ = makeStream_ ? makeStream_() : nullptr;
  if (!socket_) {
    socket_ = std::make_unique<net::TcpByteStream>(loop_);
  }
  transport_ = socket_->transport();
  connectedAtMs_ = lastReceiveMs_ = loop_.nowMs();
  socket_->connect(address_, timeout, [this](Result<void> result) {
    if (!result) {
      fail(result.error());
      return;
    }
    start();
  });
}

void PeerConnection::start() {
  tcpUp_ = true;
  connectedAtMs_ = lastReceiveMs_ = loop_.nowMs();
  socket_->setOnData([this](util::Buffer& buffer) { onSocketData(buffer); });
  socket_->resumeReading();  // an adopted socket comes paused
  socket_->setOnClosed([this](Result<void> result) { onSocketClosed(std::move(result)); });
  Handshake ours;
  ours.reserved = config_.reserved;
  ours.infoHash = config_.infoHash;
  ours.peerId = config_.ourId;
  if (!incoming() && config_.encryption != EncryptionMode::Disabled && !triedPlain_) {
    const std::uint32_t provide =
        config_.encryption == EncryptionMode::Required ? kMseRc4 : (kMseRc4 | kMsePlaintext);
    std::vector<std::byte> initialPayload;
    appendHandshake(initialPayload, ours);
    mse_ = MseHandshake::initiator(config_.infoHash, provide, std::move(initialPayload));
    lastSendMs_ = loop_.nowMs();
    socket_->write(mse_->start());
    return;
  }
  appendHandshake(out_, ours);
  ourHandshakeSent_ = true;
  flush();
  // An incoming connection's buffer may already hold messages after the
  // handshake; the caller runs afterHandshake() for it.
}

void PeerConnection::onSocketData(util::Buffer& buffer) {
  if (mse_) {
    lastReceiveMs_ = loop_.nowMs();
    if (!feedMse(buffer)) {
      return;
    }
  } else if (cipher_) {
    mseDecryptFresh(*cipher_, buffer, rawSeen_, socket_->bytesRead());
  }
  onData(buffer);
}

bool PeerConnection::feedMse(util::Buffer& buffer) {
  if (!mseAnswered_) {
    // A peer that answers our DH key with a plain BT handshake does not
    // speak MSE (it skipped over our bytes); no need to wait for it to hang up.
    static constexpr std::string_view kProtocol =
        "\x13"
        "BitTorrent protocol";
    const std::string_view head = buffer.view().substr(0, kProtocol.size());
    if (head == kProtocol.substr(0, head.size())) {
      if (head.size() == kProtocol.size() && !retryInPlaintext()) {
        fail(Error{ErrorCode::ProtocolError, "a plaintext peer, and encryption is required"});
      }
      return false;
    }
    mseAnswered_ = true;
  }
  std::vector<std::byte> reply = mse_->feed(buffer.readable());
  buffer.retrieveAll();
  rawSeen_ = socket_->bytesRead();
  if (!reply.empty()) {
    lastSendMs_ = loop_.nowMs();
    socket_->write(std::move(reply));
  }
  if (mse_->state() == MseHandshake::State::Failed) {
    if (!retryInPlaintext()) {
      fail(Error{ErrorCode::ProtocolError, std::string(mseErrorReason(mse_->error()))});
    }
    return false;
  }
  if (mse_->state() != MseHandshake::State::Done) {
    return false;
  }
  MseResult& result = mse_->result();
  cipher_ = std::move(result.streams);
  // The peer's first payload bytes came with its last handshake bytes, already decrypted.
  buffer.append(std::span<const std::byte>(result.payload));
  mse_.reset();
  ourHandshakeSent_ = true;  // it went as the initial payload
  flush();
  return true;
}

bool PeerConnection::retryInPlaintext() {
  if (!mse_ || config_.encryption != EncryptionMode::Enabled || triedPlain_ || closed_) {
    return false;
  }
  // As libtorrent does: a peer that fails or hangs up on an MSE handshake may
  // speak only plaintext, so dial it once more without encryption.
  TLOG(Debug, "bt") << address_.toString() << ": no MSE; retrying in plaintext";
  triedPlain_ = true;
  tcpUp_ = false;
  mse_.reset();
  connect(connectTimeout_, nullptr);  // a socket may be destroyed inside its own callback
  return true;
}

void PeerConnection::onSocketClosed(Result<void> result) {
  if (retryInPlaintext()) {
    return;
  }
  fail(result ? Error{ErrorCode::ConnectionReset, "the peer closed the connection"}
              : result.error());
}

void PeerConnection::onData(util::Buffer& buffer) {
  std::weak_ptr<char> alive = life_;
  lastReceiveMs_ = loop_.nowMs();
  if (!ready_) {
    if (!feedHandshake(buffer) || alive.expired() || closed_ || !ready_) {
      return;
    }
  }
  dispatching_ = true;
  while (!closed_) {
    const auto readable = buffer.readable();
    DecodeResult decoded = decodePeerMessage(readable);
    if (decoded.status == DecodeStatus::NeedMore) {
      break;
    }
    if (decoded.status == DecodeStatus::Error) {
      dispatching_ = false;
      fail(protocolError(decoded.error));
      return;
    }
    if (PeerWireError broken = protocol_->onMessage(decoded.message);
        broken != PeerWireError::None) {
      dispatching_ = false;
      fail(protocolError(broken));
      return;
    }
    dispatch(decoded.message);
    if (alive.expired()) {
      return;
    }
    // The payload pointed into the buffer: retrieve only after it was used.
    buffer.retrieve(decoded.consumed);
  }
  dispatching_ = false;
  if (!closed_) {
    flush();
  }
}

bool PeerConnection::feedHandshake(util::Buffer& buffer) {
  const HandshakeReader::Step step = handshakeReader_.feed(buffer.readable());
  buffer.retrieve(step.consumed);
  if (step.status == HandshakeReader::Status::Error) {
    fail(protocolError(step.error));
    return false;
  }
  if (step.status == HandshakeReader::Status::NeedMore) {
    return false;
  }
  theirs_ = handshakeReader_.handshake();
  if (theirs_.peerId == config_.ourId) {
    fail(Error{ErrorCode::ProtocolError, "connected to ourselves"});
    return false;
  }
  afterHandshake(false);  // onData goes on with the bytes after it
  return true;
}

void PeerConnection::afterHandshake(bool drainBuffer) {
  ProtocolOptions options;
  options.fastExtension = config_.reserved.fastExtension() && theirs_.reserved.fastExtension();
  options.extensionProtocol =
      config_.reserved.extensionProtocol() && theirs_.reserved.extensionProtocol();
  options.maxRequestsWhileChoked = config_.ourRequestQueue;
  protocol_.emplace(options, config_.geometry);
  if (options.extensionProtocol) {
    const ExtensionHandshake ours =
        makeOurExtensionHandshake(config_.listenPort, config_.metadataSize, {}, config_.pexEnabled);
    const std::string payload = encodeExtensionHandshake(ours);
    appendExtended(out_, 0, std::as_bytes(std::span(payload.data(), payload.size())));
  }
  ready_ = true;
  std::weak_ptr<char> alive = life_;
  dispatching_ = true;
  listener_.onPeerReady(*this);
  if (alive.expired()) {
    return;
  }
  dispatching_ = false;
  if (!closed_) {
    flush();
    // Messages that came with an incoming peer's handshake.
    if (drainBuffer && socket_ && socket_->readBuffer().readableBytes() > 0) {
      onData(socket_->readBuffer());
    }
  }
}

void PeerConnection::dispatch(const PeerMessage& message) {
  if (message.kind == MessageKind::Extended && message.extendedId == 0) {
    onExtended(message);
    return;
  }
  listener_.onPeerMessage(*this, message);
}

void PeerConnection::onExtended(const PeerMessage& message) {
  ExtensionHandshakeParse parsed = parseExtensionHandshake(message.payload);
  if (!parsed.handshake) {
    fail(Error{ErrorCode::ProtocolError, "a bad extension handshake: " + parsed.detail});
    return;
  }
  extensions_ = std::move(parsed.handshake);
  listener_.onPeerMessage(*this, message);
}

std::string PeerConnection::clientName() const {
  if (extensions_ && !extensions_->clientName.empty()) {
    return extensions_->clientName;
  }
  return ready_ ? clientNameFromPeerId(theirs_.peerId) : std::string();
}

void PeerConnection::fail(Error why) {
  if (closed_) {
    return;
  }
  closed_ = true;
  closeReason_ = why.detail;
  if (why.code == ErrorCode::ProtocolError) {
    TLOG(Info, "bt") << address_.toString() << ": closing: " << why.detail;
  }
  if (socket_) {
    socket_->close();
  }
  // Never inside the caller's own call: the torrent may be iterating its peers.
  std::weak_ptr<char> alive = life_;
  loop_.post([this, alive, why = std::move(why)] {
    if (!alive.expired()) {
      listener_.onPeerClosed(*this, why);
    }
  });
}

void PeerConnection::close(Error why) {
  fail(std::move(why));
}

void PeerConnection::batch() {
  if (!dispatching_) {
    flush();
  }
}

void PeerConnection::flush() {
  if (out_.empty() || closed_ || !socket_ || !ourHandshakeSent_) {
    return;
  }
  lastSendMs_ = loop_.nowMs();
  if (cipher_) {
    cipher_->out.apply(out_);
  }
  socket_->write(std::exchange(out_, {}));
}

void PeerConnection::sendBitfield(const util::Bitfield& have) {
  appendBitfield(out_, have);
  batch();
}
void PeerConnection::sendHaveAll() {
  appendHaveAll(out_);
  batch();
}
void PeerConnection::sendHaveNone() {
  appendHaveNone(out_);
  batch();
}
void PeerConnection::sendHave(std::uint32_t piece) {
  appendHave(out_, piece);
  batch();
}
void PeerConnection::sendChoke() {
  appendChoke(out_);
  if (protocol_) {
    protocol_->weChoked();
  }
  batch();
}
void PeerConnection::sendUnchoke() {
  appendUnchoke(out_);
  if (protocol_) {
    protocol_->weUnchoked();
  }
  batch();
}
void PeerConnection::sendInterested() {
  appendInterested(out_);
  batch();
}
void PeerConnection::sendNotInterested() {
  appendNotInterested(out_);
  batch();
}
void PeerConnection::sendRequest(std::uint32_t piece, std::uint32_t begin, std::uint32_t length) {
  appendRequest(out_, piece, begin, length);
  batch();
}
void PeerConnection::sendCancel(std::uint32_t piece, std::uint32_t begin, std::uint32_t length) {
  appendCancel(out_, piece, begin, length);
  batch();
}
void PeerConnection::sendReject(std::uint32_t piece, std::uint32_t begin, std::uint32_t length) {
  appendReject(out_, piece, begin, length);
  batch();
}
void PeerConnection::sendAllowedFast(std::uint32_t piece) {
  appendAllowedFast(out_, piece);
  if (protocol_) {
    protocol_->weAllowedFast(piece);
  }
  batch();
}
void PeerConnection::sendKeepAlive() {
  appendKeepAlive(out_);
  batch();
}
void PeerConnection::sendPort(std::uint16_t dhtPort) {
  appendPort(out_, dhtPort);
  batch();
}
void PeerConnection::sendExtended(std::uint8_t theirId, std::span<const std::byte> payload) {
  appendExtended(out_, theirId, payload);
  batch();
}

void PeerConnection::sendPiece(std::uint32_t piece, std::uint32_t begin,
                               util::SendQueue::SharedBytes data, std::size_t offset,
                               std::size_t length) {
  if (closed_ || !socket_) {
    return;
  }
  appendPieceHeader(out_, piece, begin, static_cast<std::uint32_t>(length));
  flush();
  std::weak_ptr<char> alive = life_;
  util::SendQueue::Progress progress = [this, alive](std::size_t sent, bool done) {
    if (alive.expired()) {
      return;
    }
    upRate_.add(sent, loop_.nowMs());
    if (done) {
      // The write's progress may run inside write(): never re-enter the
      // torrent from there.
      loop_.post([this, alive] {
        if (!alive.expired() && !closed_) {
          listener_.onPeerBlockSent(*this);
        }
      });
    }
  };
  if (cipher_) {
    const auto first = data->begin() + static_cast<std::ptrdiff_t>(offset);
    util::SendQueue::Bytes sealed(first, first + static_cast<std::ptrdiff_t>(length));
    cipher_->out.apply(sealed);
    socket_->write(std::move(sealed), std::move(progress));
    return;
  }
  socket_->write(std::move(data), offset, length, std::move(progress));
}

void PeerConnection::pauseReading() {
  if (socket_) {
    socket_->pauseReading();
  }
}

void PeerConnection::resumeReading() {
  if (socket_) {
    socket_->resumeReading();
  }
}

}  // namespace tributary::bt
