// Internal: uTP on one loop::UdpSocket: demultiplexes datagrams by (sender,
// connection id) to UtpConnections, creates streams for incoming SYNs through
// the accept callback, dials out, and drives every connection's timers from
// one loop::Timer. Datagrams that are not uTP (the DHT's bencoded 'd...'
// ones) go to the fallback callback, so the DHT can share the port.
//
// Construct, use and destroy it on the socket's loop thread, never from
// inside one of its streams' callbacks. It does not own the socket, which
// must outlive it; it takes the socket's receive callback. A stream closed by
// its owner lingers here until its FIN is acknowledged (or its retries run
// out); destroying the manager resets what is left, detaches live streams
// (their callbacks are dropped unrun; they report closed) and frees all.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <span>
#include <utility>

#include "engine/loop/SocketAddress.h"
#include "engine/loop/Timer.h"
#include "engine/loop/UdpSocket.h"
#include "engine/util/UniqueFunction.h"
#include "engine/utp/UtpConnection.h"

namespace tributary::utp {

class UtpStream;

struct UtpManagerConfig {
  UtpConfig connection;
  // Connections (live and lingering) beyond which SYNs are answered with a RESET.
  std::size_t maxConnections = 1024;
  std::chrono::milliseconds tickInterval{10};
};

class UtpSocketManager {
 public:
  // An incoming connection, Connected. Drop it to refuse (it is reset).
  using AcceptCallback = util::UniqueFunction<void(std::unique_ptr<UtpStream> stream)>;
  using FallbackCallback = loop::UdpSocket::ReceiveCallback;

  explicit UtpSocketManager(loop::UdpSocket& socket, UtpManagerConfig config = {});
  ~UtpSocketManager();
  UtpSocketManager(const UtpSocketManager&) = delete;
  UtpSocketManager& operator=(const UtpSocketManager&) = delete;

  // nullptr (the default): incoming SYNs are refused with a RESET.
  void setOnAccept(AcceptCallback cb) { onAccept_ = std::move(cb); }
  void setFallback(FallbackCallback cb) { fallback_ = std::move(cb); }

  // An unconnected stream of this manager: call connect() on it.
  std::unique_ptr<UtpStream> createStream();

  loop::EventLoop& loop() const { return socket_.loop(); }
  const loop::SocketAddress& localAddress() const { return socket_.localAddress(); }
  std::size_t connectionCount() const { return entries_.size(); }
  std::uint64_t malformedDatagrams() const { return malformed_; }
  std::uint64_t resetsSent() const { return resetsSent_; }

 private:
  friend class UtpStream;
  struct Entry {
    loop::SocketAddress peer;
    std::unique_ptr<UtpConnection> conn;
    UtpStream* stream = nullptr;  // null once its stream closed: lingering until finished
  };
  using Key = std::pair<loop::SocketAddress, std::uint16_t>;

  // For UtpStream.
  Entry* dial(UtpStream* stream, const loop::SocketAddress& to, std::uint64_t timeoutUs);
  void detach(Entry* entry);
  void dispatch(Entry& entry);
  std::uint64_t nowUs() const;

  void onDatagram(const loop::SocketAddress& from, std::span<const std::byte> bytes);
  void onSyn(const loop::SocketAddress& from, const Packet& packet);
  Entry* find(const loop::SocketAddress& from, const PacketHeader& header);
  void sendReset(const loop::SocketAddress& to, const PacketHeader& answering);
  Entry& addEntry(const loop::SocketAddress& peer, std::uint16_t recvId);
  void onTick();
  void armTimer();

  loop::UdpSocket& socket_;
  UtpManagerConfig config_;
  loop::Timer timer_;
  std::map<Key, std::unique_ptr<Entry>> entries_;
  AcceptCallback onAccept_;
  FallbackCallback fallback_;
  std::mt19937 rng_;
  std::chrono::steady_clock::time_point epoch_;
  std::uint64_t malformed_ = 0;
  std::uint64_t resetsSent_ = 0;
  bool ticking_ = false;
};

}  // namespace tributary::utp
