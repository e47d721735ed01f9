#include "engine/session/PeerListener.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "engine/net/TcpByteStream.h"
#include "engine/util/Log.h"

namespace tributary::session {
namespace {

// Held by an incoming connection until it closes, on whatever loop: counts
// the live ones for the engine-wide limit.
struct IncomingSlot {
  explicit IncomingSlot(std::shared_ptr<std::atomic<std::size_t>> live) : live(std::move(live)) {
    ++*this->live;
  }
  IncomingSlot(const IncomingSlot&) = delete;
  IncomingSlot& operator=(const IncomingSlot&) = delete;
  ~IncomingSlot() { --*live; }
  std::shared_ptr<std::atomic<std::size_t>> live;
};

}  // namespace

PeerListener::PeerListener(loop::EventLoop& loop, std::shared_ptr<bt::BtShared> shared,
                           PeerListenerOptions options)
    : loop_(loop),
      shared_(std::move(shared)),
      options_(options),
      live_(std::make_shared<std::atomic<std::size_t>>(0)) {}

PeerListener::~PeerListener() {
  // stop() ran on the loop, or the loop closed our handles at its shutdown:
  // either way what is left is harmless to destroy on this thread.
  pending_.clear();
  v4_.reset();
  v6_.reset();
  timer_.reset();
}

Result<void> PeerListener::listenOn(std::unique_ptr<loop::TcpListener>& slot,
                                    const loop::SocketAddress& address, bool ipv6Only) {
  auto listener = std::make_unique<loop::TcpListener>(loop_);
  loop::ListenOptions listenOptions;
  listenOptions.ipv6Only = ipv6Only;
  Result<void> ok = listener->listen(
      address,
      [this](std::unique_ptr<loop::TcpSocket> socket) {
        onAccept(std::make_unique<net::TcpByteStream>(std::move(socket)));
      },
      listenOptions);
  if (ok) {
    slot = std::move(listener);
  }
  return ok;
}

Result<std::uint16_t> PeerListener::start() {
  loop_.assertInLoopThread();
  if (started_) {
    return Error{ErrorCode::InvalidArgument, "the peer listener was already started"};
  }
  started_ = true;
  const auto v4 = options_.loopbackOnly ? loop::SocketAddress::loopbackV4(options_.port)
                                        : loop::SocketAddress::anyV4(options_.port);
  if (auto ok = listenOn(v4_, v4, false); !ok) {
    return ok.error();
  }
  port_ = v4_->port();
  // The same port on IPv6 where there is IPv6; IPv6-only, so the two sockets
  // do not fight over IPv4-mapped peers. Without it, IPv4 peers still work.
  const auto v6 = options_.loopbackOnly ? loop::SocketAddress::loopbackV6(port_)
                                        : loop::SocketAddress::anyV6(port_);
  if (auto ok = listenOn(v6_, v6, true); !ok) {
    TLOG(Info, "bt") << "no IPv6 listening socket: " << ok.error().detail;
  }
  timer_ = std::make_unique<loop::Timer>(loop_);
  shared_->listenPort.store(port_);
  TLOG(Info, "bt") << "listening for peers on port " << port_ << (v6_ ? " (IPv4 and IPv6)" : "");
  return port_;
}

void PeerListener::stop() {
  if (!v4_ && !v6_ && !timer_ && pending_.empty()) {
    return;
  }
  loop_.assertInLoopThread();
  if (shared_->listenPort.load() == port_) {
    shared_->listenPort.store(0);
  }
  v4_.reset();
  v6_.reset();
  timer_.reset();
  PendingMap dropped = std::move(pending_);
  pending_.clear();
}

void PeerListener::onAccept(std::unique_ptr<net::ByteStream> socket) {
  if (pending_.size() >= options_.maxPending || live_->load() >= options_.maxIncoming) {
    ++refused_;
    TLOG(Debug, "bt") << "incoming peer " << socket->remoteAddress().toString()
                      << " refused: too many connections";
    return;  // dropping the socket closes it
  }
  socket->attachUntilClosed(std::make_shared<IncomingSlot>(live_));
  const std::uint64_t id = nextId_++;
  Pending& pending = pending_[id];
  pending.socket = std::move(socket);
  pending.deadlineMs =
      loop_.nowMs() + static_cast<std::uint64_t>(options_.handshakeTimeout.count());
  pending.socket->setOnData([this, id](util::Buffer& in) { onData(id, in); });
  pending.socket->setOnClosed([this, id](Result<void>) {
    if (auto it = pending_.find(id); it != pending_.end()) {
      pending_.erase(it);  // the peer gave up before its handshake was in
    }
  });
  if (pending_.size() == 1) {
    armTimer();
  }
}

void PeerListener::onData(std::uint64_t id, util::Buffer& in) {
  auto it = pending_.find(id);
  if (it == pending_.end()) {
    return;
  }
  Pending& pending = it->second;
  if (!pending.routed && !route(it, in)) {
    return;
  }
  if (pending.mse) {
    if (!feedMse(it, in)) {
      return;
    }
  } else if (pending.cipher) {
    bt::mseDecryptFresh(*pending.cipher, in, pending.rawSeen, pending.socket->bytesRead());
  }
  const bt::HandshakeReader::Step step = pending.reader.feed(in.readable());
  in.retrieve(step.consumed);
  if (step.status == bt::HandshakeReader::Status::Error) {
    refuse(it, bt::peerWireErrorReason(step.error));
    return;
  }
  // Known as soon as the info-hash is in: no need to wait for the peer id
  // of a torrent we do not have.
  if (!pending.infoHashChecked && pending.reader.infoHashReady()) {
    pending.infoHashChecked = true;
    if (!shared_->registry.contains(pending.reader.handshake().infoHash)) {
      refuse(it, "an info-hash we do not serve");
      return;
    }
    if (pending.mseInfoHash && *pending.mseInfoHash != pending.reader.handshake().infoHash) {
      refuse(it, "the MSE and BitTorrent handshakes name different torrents");
      return;
    }
  }
  if (step.status == bt::HandshakeReader::Status::Complete) {
    handOff(it);
  }
}

bool PeerListener::route(PendingMap::iterator it, util::Buffer& in) {
  static constexpr std::string_view kProtocol =
      "\x13"
      "BitTorrent protocol";
  const std::string_view head = in.view().substr(0, kProtocol.size());
  const bool plain = head == kProtocol.substr(0, head.size());
  if (plain && head.size() < kProtocol.size()) {
    return false;  // a prefix of the plain header so far: wait
  }
  Pending& pending = it->second;
  pending.routed = true;
  const EncryptionMode mode = shared_->switches.encryption;
  if (plain) {
    if (mode == EncryptionMode::Required) {
      refuse(it, "a plaintext handshake, and encryption is required");
      return false;
    }
    return true;
  }
  if (mode == EncryptionMode::Disabled) {
    refuse(it, "not a BitTorrent handshake (encryption is off)");
    return false;
  }
  const std::uint32_t accept =
      mode == EncryptionMode::Required ? bt::kMseRc4 : (bt::kMseRc4 | bt::kMsePlaintext);
  pending.mse = bt::MseHandshake::responder(
      [shared = shared_](const util::Sha1::Digest& req2) {
        return shared->registry.findByReq2Hash(req2);
      },
      accept);
  return true;
}

bool PeerListener::feedMse(PendingMap::iterator it, util::Buffer& in) {
  Pending& pending = it->second;
  std::vector<std::byte> reply = pending.mse->feed(in.readable());
  in.retrieveAll();
  pending.rawSeen = pending.socket->bytesRead();
  if (!reply.empty()) {
    pending.socket->write(std::move(reply));
  }
  if (pending.mse->state() == bt::MseHandshake::State::Failed) {
    refuse(it, bt::mseErrorReason(pending.mse->error()));
    return false;
  }
  if (pending.mse->state() != bt::MseHandshake::State::Done) {
    return false;
  }
  bt::MseResult& result = pending.mse->result();
  pending.mseInfoHash = result.infoHash;
  pending.cipher = std::move(result.streams);
  in.append(std::span<const std::byte>(result.payload));  // IA: their BT handshake, decrypted
  pending.mse.reset();
  return true;
}

void PeerListener::handOff(PendingMap::iterator it) {
  bt::Handshake theirs = it->second.reader.handshake();
  theirs.encryption = it->second.cipher;  // null for plaintext
  if (theirs.peerId == shared_->peerId) {
    refuse(it, "we connected to ourselves");
    return;
  }
  const std::optional<bt::TorrentRegistry::Entry> entry = shared_->registry.find(theirs.infoHash);
  if (!entry || entry->loop == nullptr || !entry->accept) {
    refuse(it, "the torrent went away");
    return;
  }
  // Only a TCP connection can move to another loop (its OS socket does).
  auto* tcp = dynamic_cast<net::TcpByteStream*>(it->second.socket.get());
  if (entry->loop != &loop_ && tcp == nullptr) {
    refuse(it, "its transport cannot move to the torrent's loop");
    return;
  }
  std::unique_ptr<net::ByteStream> stream = std::move(it->second.socket);
  pending_.erase(it);
  ++handedOver_;
  // We run inside this socket's data callback: a no-op (not an empty
  // callback) stops the socket from putting ours back when it returns.
  stream->pauseReading();
  stream->setOnData([](util::Buffer&) {});
  stream->setOnClosed(nullptr);
  if (entry->loop == &loop_) {
    (*entry->accept)(std::move(stream), theirs);
    return;
  }
  std::unique_ptr<loop::TcpSocket> socket = tcp->release();
  std::string rest = socket->readBuffer().retrieveAllAsString();
  Result<loop::DetachedSocket> detached = socket->detach();
  if (!detached) {
    TLOG(Warning, "bt") << "incoming peer " << socket->remoteAddress().toString()
                        << " dropped: " << detached.error().detail;
    return;
  }
  // If the target loop is stopping, the closure dies unrun and the
  // DetachedSocket closes the connection.
  entry->loop->post([target = entry->loop, accept = entry->accept, theirs,
                     moved = std::move(detached.value()), rest = std::move(rest)]() mutable {
    Result<std::unique_ptr<loop::TcpSocket>> adopted =
        loop::TcpSocket::adopt(*target, std::move(moved));
    if (!adopted) {
      TLOG(Warning, "bt") << "incoming peer dropped: " << adopted.error().detail;
      return;
    }
    adopted.value()->readBuffer().append(rest);
    (*accept)(std::make_unique<net::TcpByteStream>(std::move(adopted.value())), theirs);
  });
}

void PeerListener::refuse(PendingMap::iterator it, std::string_view why) {
  ++refused_;
  TLOG(Debug, "bt") << "incoming peer " << it->second.socket->remoteAddress().toString()
                    << " closed: " << why;
  pending_.erase(it);  // may be inside the socket's own callback: it allows that
}

void PeerListener::armTimer() {
  if (!timer_ || pending_.empty()) {
    return;
  }
  const std::uint64_t now = loop_.nowMs();
  const std::uint64_t due = pending_.begin()->second.deadlineMs;
  timer_->start(std::chrono::milliseconds(due > now ? due - now : 0), std::chrono::milliseconds{0},
                [this] { onTimer(); });
}

void PeerListener::onTimer() {
  const std::uint64_t now = loop_.nowMs();
  // Everyone waits the same time, so the expired ones are at the front.
  while (!pending_.empty() && pending_.begin()->second.deadlineMs <= now) {
    refuse(pending_.begin(), "no handshake in time");
  }
  armTimer();
}

}  // namespace tributary::session
