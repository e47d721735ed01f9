#include "engine/utp/UtpSocketManager.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "engine/util/Log.h"
#include "engine/utp/UtpStream.h"

namespace tributary::utp {

UtpSocketManager::UtpSocketManager(loop::UdpSocket& socket, UtpManagerConfig config)
    : socket_(socket),
      config_(config),
      timer_(socket.loop()),
      rng_(std::random_device{}()),
      epoch_(std::chrono::steady_clock::now()) {
  socket_.setOnReceive([this](const loop::SocketAddress& from, std::span<const std::byte> bytes) {
    onDatagram(from, bytes);
  });
}

UtpSocketManager::~UtpSocketManager() {
#if TRIBUTARY_DEBUG_CHECKS
  if (callingOut_ != 0) {
    std::fprintf(stderr, "tributary: UtpSocketManager destroyed inside its own callback\n");
    std::abort();
  }
#endif
  if (!loop().isClosed()) {
    loop().assertInLoopThread();
  }
  socket_.setOnReceive(nullptr);
  timer_.stop();
  const std::uint64_t now = nowUs();
  for (auto& [key, entry] : entries_) {
    if (entry->stream != nullptr) {
      entry->stream->onManagerGone();
    }
    // Tell live peers at once rather than leaving them to time out.
    entry->conn->abort(now);
  }
  schedule_.clear();
  entries_.clear();
}

std::uint64_t UtpSocketManager::nowUs() const {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now() - epoch_)
                                        .count()) +
         1;  // never 0: the connections use 0 for "unset"
}

std::size_t UtpSocketManager::halfOpenCount() const {
  std::size_t n = 0;
  for (const auto& [key, entry] : entries_) {
    n += entry->conn->state() == UtpConnection::State::SynRecv ? 1 : 0;
  }
  return n;
}

std::unique_ptr<UtpStream> UtpSocketManager::createStream() {
  loop().assertInLoopThread();
  return std::unique_ptr<UtpStream>(new UtpStream(*this));
}

UtpSocketManager::Entry& UtpSocketManager::addEntry(const loop::SocketAddress& peer,
                                                    std::uint16_t recvId) {
  auto entry = std::make_unique<Entry>();
  entry->peer = peer;
  entry->recvId = recvId;
  Entry* raw = entry.get();
  entry->conn = std::make_unique<UtpConnection>(config_.connection,
                                                [this, raw](std::span<const std::byte> datagram) {
                                                  // A full queue or an unreachable peer loses the
                                                  // datagram: uTP retransmits.
                                                  (void)socket_.send(raw->peer, datagram);
                                                });
  Entry& ref = *entry;
  entries_.emplace(Key{peer, recvId}, std::move(entry));
  armTimer();
  return ref;
}

UtpSocketManager::Entry* UtpSocketManager::dial(UtpStream* stream, const loop::SocketAddress& to,
                                                std::uint64_t timeoutUs) {
  if (entries_.size() >= config_.maxConnections) {
    return nullptr;
  }
  std::uint16_t recvId = 0;
  for (int tries = 0;; ++tries) {
    recvId = static_cast<std::uint16_t>(rng_());
    // Our recv id must be free for this peer, and so must the id an
    // incoming connection of theirs would use, or the two would mix.
    if (!entries_.contains(Key{to, recvId}) &&
        !entries_.contains(Key{to, static_cast<std::uint16_t>(recvId + 1)})) {
      break;
    }
    if (tries > 64) {
      return nullptr;
    }
  }
  Entry& entry = addEntry(to, recvId);
  entry.stream = stream;
  entry.conn->connect(recvId, static_cast<std::uint16_t>(rng_()), nowUs(), timeoutUs);
  reschedule(entry);
  return &entry;
}

void UtpSocketManager::detach(Entry* entry) {
  entry->stream = nullptr;
  // Nobody reads any more: what arrives is dropped, the window stays open.
  entry->conn->received().retrieveAll();
  reschedule(*entry);
}

void UtpSocketManager::reschedule(Entry& entry) {
  std::uint64_t at = entry.conn->nextDeadlineUs();
  if (entry.conn->finished()) {
    // Forgotten at the next tick once its stream is gone; until then nothing to do.
    at = entry.stream == nullptr ? 0 : UINT64_MAX;
  }
  if (at == entry.scheduledUs) {
    return;
  }
  if (entry.scheduledUs != UINT64_MAX) {
    schedule_.erase({entry.scheduledUs, &entry});
  }
  entry.scheduledUs = at;
  if (at != UINT64_MAX) {
    schedule_.emplace(at, &entry);
  }
}

void UtpSocketManager::dispatch(Entry& entry) {
  if (entry.stream == nullptr) {
    entry.conn->takeEvents();
    if (entry.conn->received().readableBytes() > 0) {
      entry.conn->received().retrieveAll();
      entry.conn->onConsumed(nowUs());
    }
  } else {
    ++callingOut_;
    entry.stream->onEvents(entry.conn->takeEvents());
    --callingOut_;
  }
  // Entries are erased only in onTick, so entry is still there.
  reschedule(entry);
}

void UtpSocketManager::onDatagram(const loop::SocketAddress& from,
                                  std::span<const std::byte> bytes) {
  loop().assertInLoopThread();
  if (!looksLikeUtp(bytes)) {
    if (fallback_) {
      fallback_(from, bytes);
    }
    return;
  }
  const Result<Packet> parsed = parsePacket(bytes);
  if (!parsed.ok()) {
    ++malformed_;
    return;
  }
  const Packet& packet = parsed.value();
  if (packet.header.type == PacketType::Syn) {
    onSyn(from, packet);
    return;
  }
  Entry* entry = find(from, packet.header);
  if (entry == nullptr) {
    // A connection we do not know (forgotten, or never ours): say so, once
    // per packet, never in answer to a RESET.
    if (packet.header.type != PacketType::Reset) {
      sendReset(from, packet.header);
    }
    return;
  }
  entry->conn->onPacket(packet, nowUs());
  dispatch(*entry);
}

UtpSocketManager::Entry* UtpSocketManager::find(const loop::SocketAddress& from,
                                                const PacketHeader& header) {
  auto it = entries_.find(Key{from, header.connectionId});
  if (it != entries_.end()) {
    return it->second.get();
  }
  if (header.type == PacketType::Reset) {
    // Some peers reset with their recv id, our send id: recv = send - 1 on an
    // initiator, send + 1 on an acceptor.
    for (int delta : {-1, 1}) {
      const auto id = static_cast<std::uint16_t>(header.connectionId + delta);
      it = entries_.find(Key{from, id});
      if (it != entries_.end() && it->second->conn->sendId() == header.connectionId) {
        return it->second.get();
      }
    }
  }
  return nullptr;
}

void UtpSocketManager::onSyn(const loop::SocketAddress& from, const Packet& packet) {
  const auto recvId = static_cast<std::uint16_t>(packet.header.connectionId + 1);
  auto it = entries_.find(Key{from, recvId});
  if (it != entries_.end()) {
    it->second->conn->onPacket(packet, nowUs());  // a repeated SYN: answered again
    dispatch(*it->second);
    return;
  }
  if (!onAccept_ || entries_.size() >= config_.maxConnections ||
      halfOpenCount() >= config_.maxHalfOpen) {
    sendReset(from, packet.header);
    return;
  }
  Entry& entry = addEntry(from, recvId);
  entry.conn->accept(packet.header, static_cast<std::uint16_t>(rng_()), nowUs());
  entry.conn->takeEvents();
  reschedule(entry);
  std::unique_ptr<UtpStream> stream(new UtpStream(*this));
  stream->entry_ = &entry;
  stream->state_ = UtpStream::State::Connected;
  stream->remote_ = from;
  entry.stream = stream.get();
  // Run a moved-out copy: the callback may replace or drop its own storage.
  AcceptCallback cb = std::move(onAccept_);
  onAccept_ = nullptr;
  const std::uint64_t generation = onAcceptGeneration_;
  ++callingOut_;
  cb(std::move(stream));
  --callingOut_;
  if (onAcceptGeneration_ == generation) {
    onAccept_ = std::move(cb);
  }
}

void UtpSocketManager::sendReset(const loop::SocketAddress& to, const PacketHeader& answering) {
  PacketHeader h;
  h.type = PacketType::Reset;
  // The id the sender receives on: a SYN's own id, else the one it used.
  h.connectionId = answering.connectionId;
  h.timestampUs = static_cast<std::uint32_t>(nowUs());
  h.seqNr = static_cast<std::uint16_t>(rng_());
  h.ackNr = answering.seqNr;
  std::vector<std::byte> out;
  writePacket(h, {}, {}, out);
  (void)socket_.send(to, out);
  ++resetsSent_;
}

void UtpSocketManager::armTimer() {
  if (ticking_) {
    return;
  }
  ticking_ = true;
  timer_.start(config_.tickInterval, config_.tickInterval, [this] { onTick(); });
}

void UtpSocketManager::onTick() {
  loop().assertInLoopThread();
  const std::uint64_t now = nowUs();
  // Only the connections with a deadline due. Streams may close (never
  // erase entries) from their callbacks; entries go only here, so the due
  // ones are collected first and each is still there when its turn comes.
  std::vector<Entry*> due;
  while (!schedule_.empty() && schedule_.begin()->first <= now) {
    Entry* entry = schedule_.begin()->second;
    schedule_.erase(schedule_.begin());
    entry->scheduledUs = UINT64_MAX;
    due.push_back(entry);
  }
  std::vector<Key> forget;
  for (Entry* entry : due) {
    ++connectionTicks_;
    entry->conn->tick(now);
    dispatch(*entry);
    if (entry->stream == nullptr && entry->conn->finished()) {
      forget.push_back(Key{entry->peer, entry->recvId});
    }
  }
  for (const Key& key : forget) {
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second->stream != nullptr || !it->second->conn->finished()) {
      continue;
    }
    if (it->second->scheduledUs != UINT64_MAX) {
      schedule_.erase({it->second->scheduledUs, it->second.get()});
    }
    entries_.erase(it);
  }
  if (entries_.empty()) {
    timer_.stop();
    ticking_ = false;
  }
}

}  // namespace tributary::utp
