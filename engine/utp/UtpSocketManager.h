// Internal: uTP on one loop::UdpSocket: demultiplexes datagrams by (sender,
// connection id) to UtpConnections, creates streams for incoming SYNs through
// the accept callback, dials out, and drives the connections' timers from
// one loop::Timer that ticks only those whose next deadline is due. Datagrams that are not uTP (the
// DHT's bencoded 'd...' ones) go to the fallback callback, so the DHT can share the port.
//
// Construct, use and destroy it on the socket's loop thread, never from
// inside one of its streams' callbacks (checked in debug builds). It does not
// own the socket, which must outlive it; it takes the socket's receive
// callback. A stream closed by its owner lingers here until its FIN is
// acknowledged and the peer's FIN arrived (or a linger timer or its retries
// ran out); an accepted connection never confirmed is reset and forgotten
// after the connect timeout; destroying the manager resets what is left, detaches live streams
// (their callbacks are dropped unrun; they report closed) and frees all.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
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
  // Accepted connections whose initiator has not confirmed them yet (each
  // times out after connection.connectTimeoutUs): beyond this many, SYNs are
  // answered with a RESET, so spoofed SYNs cannot take every slot.
  std::size_t maxHalfOpen = 64;
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
  void setOnAccept(AcceptCallback cb) {
    onAccept_ = std::move(cb);
    ++onAcceptGeneration_;
  }
  void setFallback(FallbackCallback cb) { fallback_ = std::move(cb); }

  // An unconnected stream of this manager: call connect() on it.
  std::unique_ptr<UtpStream> createStream();

  loop::EventLoop& loop() const { return socket_.loop(); }
  const loop::SocketAddress& localAddress() const { return socket_.localAddress(); }
  std::size_t connectionCount() const { return entries_.size(); }
  // Accepted connections not confirmed by their initiator yet.
  std::size_t halfOpenCount() const;
  std::uint64_t malformedDatagrams() const { return malformed_; }
  std::uint64_t resetsSent() const { return resetsSent_; }
  // Connection ticks run by the timer (only connections with a deadline due).
  std::uint64_t connectionTicks() const { return connectionTicks_; }

 private:
  friend class UtpStream;
  struct Entry {
    loop::SocketAddress peer;
    std::uint16_t recvId = 0;  // with peer, its key in entries_
    std::unique_ptr<UtpConnection> conn;
    UtpStream* stream = nullptr;  // null once its stream closed: lingering until finished
    std::uint64_t scheduledUs = UINT64_MAX;  // its key in schedule_, UINT64_MAX: none
  };
  using Key = std::pair<loop::SocketAddress, std::uint16_t>;

  // For UtpStream.
  Entry* dial(UtpStream* stream, const loop::SocketAddress& to, std::uint64_t timeoutUs);
  void detach(Entry* entry);
  void dispatch(Entry& entry);
  // After any call into an entry's connection: when the timer should next tick it.
  void reschedule(Entry& entry);
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
  // Entries by their next deadline: a tick visits only those due, not all.
  std::set<std::pair<std::uint64_t, Entry*>> schedule_;
  AcceptCallback onAccept_;
  std::uint64_t onAcceptGeneration_ = 0;
  // Depth of calls out to streams and the accept callback: the manager must
  // not be destroyed inside them (checked in debug builds).
  unsigned callingOut_ = 0;
  FallbackCallback fallback_;
  std::mt19937 rng_;
  std::chrono::steady_clock::time_point epoch_;
  std::uint64_t malformed_ = 0;
  std::uint64_t resetsSent_ = 0;
  std::uint64_t connectionTicks_ = 0;
  bool ticking_ = false;
};

}  // namespace tributary::utp
