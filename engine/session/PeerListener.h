// Internal: the engine's one BitTorrent listening port (issue 4 item 6, the
// GlobalListener design). It lives on one loop, reads each incoming peer's
// whole handshake (68 bytes) there, finds the torrent it names in
// BtShared::registry and hands the connection to the loop that owns that
// torrent: directly on the same loop, else by TcpSocket::detach()/adopt().
// The torrent's accept function gets the socket with reading paused and the
// bytes after the handshake in its read buffer; it sends our handshake.
//
// Closed without a word: a bad handshake, an unknown info-hash, our own peer
// id, no handshake within the timeout, more than maxPending handshakes at
// once, more than maxIncoming incoming connections alive engine-wide.
//
// Encryption (BtShared::switches.encryption): a connection whose first 20
// bytes are not <19>"BitTorrent protocol" is taken for an MSE handshake; we
// run the responder side here (the torrent found by its HASH('req2', SKEY)),
// then read the BT handshake from the decrypted stream and hand the RC4
// streams over with it (Handshake::encryption). Disabled refuses MSE,
// Required refuses plaintext; Enabled takes both.
//
// Construct and destroy it anywhere; start() and stop() on its loop's thread.
// After stop() (or the loop's shutdown) it owns no handle.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"
#include "engine/bt/BtShared.h"
#include "engine/bt/Handshake.h"
#include "engine/bt/MseHandshake.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/TcpListener.h"
#include "engine/loop/TcpSocket.h"
#include "engine/loop/Timer.h"
#include "engine/net/ByteStream.h"

namespace tributary::session {

struct PeerListenerOptions {
  std::uint16_t port = 0;         // 0 = any free port
  bool loopbackOnly = false;      // 127.0.0.1 and ::1 instead of every interface (tests)
  std::size_t maxPending = 64;    // connections still sending their handshake
  std::size_t maxIncoming = 500;  // incoming connections alive engine-wide, pending included
  std::chrono::milliseconds handshakeTimeout{10000};  // from accept to the 68th byte
};

class PeerListener {
 public:
  PeerListener(loop::EventLoop& loop, std::shared_ptr<bt::BtShared> shared,
               PeerListenerOptions options = {});
  ~PeerListener();
  PeerListener(const PeerListener&) = delete;
  PeerListener& operator=(const PeerListener&) = delete;

  // Loop thread. Listens on 0.0.0.0:port, and on [::]:port (IPv6 only) where
  // the system allows; the IPv4 socket must work. Publishes the port in
  // BtShared::listenPort. Once only.
  Result<std::uint16_t> start();
  // Loop thread; idempotent. Stops listening and closes the connections
  // still in their handshake; those already handed over are the torrents'.
  void stop();
  // Loop thread: an incoming connection that came another way (uTP), with
  // the same handshake, MSE and routing as a TCP one. The stream must be of
  // this loop, and its torrent's too: only TCP moves between loops.
  void acceptStream(std::unique_ptr<net::ByteStream> stream) { onAccept(std::move(stream)); }

  std::uint16_t port() const { return port_; }
  bool listeningV6() const { return v6_ != nullptr; }
  // Loop thread.
  std::size_t pendingCount() const { return pending_.size(); }
  // Any thread: incoming connections alive, pending or handed over.
  std::size_t incomingCount() const { return live_->load(); }
  std::uint64_t handedOverCount() const { return handedOver_.load(); }
  std::uint64_t refusedCount() const { return refused_.load(); }

 private:
  struct Pending {
    std::unique_ptr<net::ByteStream> socket;
    bt::HandshakeReader reader;
    bool infoHashChecked = false;
    std::uint64_t deadlineMs = 0;
    bool routed = false;                            // plain or MSE: decided on the first bytes
    std::unique_ptr<bt::MseHandshake> mse;          // while its MSE handshake runs
    std::optional<util::Sha1::Digest> mseInfoHash;  // the torrent MSE named
    std::shared_ptr<bt::MseStreams> cipher;         // RC4 chosen
    std::uint64_t rawSeen = 0;                      // socket bytes decrypted or used by MSE
  };
  using PendingMap = std::map<std::uint64_t, Pending>;  // ids grow with time: oldest first

  Result<void> listenOn(std::unique_ptr<loop::TcpListener>& slot,
                        const loop::SocketAddress& address, bool ipv6Only);
  void onAccept(std::unique_ptr<net::ByteStream> socket);
  void onData(std::uint64_t id, util::Buffer& in);
  // False when the connection was refused or must wait for more bytes.
  bool route(PendingMap::iterator it, util::Buffer& in);
  // True once the MSE handshake is through (`in` then holds its plaintext payload).
  bool feedMse(PendingMap::iterator it, util::Buffer& in);
  void handOff(PendingMap::iterator it);
  void refuse(PendingMap::iterator it, std::string_view why);
  void armTimer();
  void onTimer();

  loop::EventLoop& loop_;
  std::shared_ptr<bt::BtShared> shared_;
  PeerListenerOptions options_;
  std::unique_ptr<loop::TcpListener> v4_;
  std::unique_ptr<loop::TcpListener> v6_;
  std::unique_ptr<loop::Timer> timer_;  // the oldest pending handshake's deadline
  PendingMap pending_;
  std::uint64_t nextId_ = 1;
  std::uint16_t port_ = 0;
  bool started_ = false;
  // Shared with each connection's token, which may die on any loop after us.
  std::shared_ptr<std::atomic<std::size_t>> live_;
  std::atomic<std::uint64_t> handedOver_{0};
  std::atomic<std::uint64_t> refused_{0};
};

}  // namespace tributary::session
