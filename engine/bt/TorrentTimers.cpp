// Peer timeouts on the torrent's timing wheel: one entry per peer, armed for
// its earliest deadline (handshake, a request unanswered, keep-alive due,
// inactivity). Receiving and sending only move deadlines later, so they touch
// nothing: the entry fires, the peer's deadlines are looked at again, and the
// entry is re-armed for the next one. Only a deadline that comes earlier (the
// first request into an empty queue, the handshake done) arms a new entry;
// the old one then fires stale and is ignored.
#include <algorithm>

#include "engine/bt/TorrentTask.h"

namespace tributary::bt {

std::uint64_t TorrentTask::peerDeadline(const Peer& peer) const {
  const PeerConnection& c = *peer.connection;
  if (!c.ready()) {
    // connectedAtMs is when the dial started and, once TCP is up, when it
    // connected: from then on the handshake has 10 s. (The connect itself
    // has its own timeout; until it is through the entry fires, finds TCP
    // not up yet, and looks again a second later.)
    const std::uint64_t handshakeBy = c.connectedAtMs() + kHandshakeTimeoutMs;
    return c.tcpConnected() ? handshakeBy : std::max(handshakeBy, context_.loop->nowMs() + 1000);
  }
  std::uint64_t deadline =
      std::min(c.lastReceiveMs() + kInactivityTimeoutMs, c.lastSendMs() + kKeepAliveMs);
  if (waitsOnSilentPeer(peer)) {
    deadline = std::min(deadline, silentSinceMs(peer) + kSilentPeerTimeoutMs);
  }
  if (!peer.requests.empty()) {
    deadline = std::min(deadline, peer.requests.front().sentMs + kRequestTimeoutMs);
    if (peer.lastBlockMs != 0 && !peer.snubbed) {
      deadline = std::min(deadline, peer.lastBlockMs + kRequestTimeoutMs);
    }
  }
  return deadline;
}

bool TorrentTask::waitsOnSilentPeer(const Peer& peer) const {
  // Not while our own rate limit keeps us from reading what it sends.
  return !downThrottled_ && peer.weInterested && (!peer.requests.empty() || peer.snubbed);
}

std::uint64_t TorrentTask::silentSinceMs(const Peer& peer) const {
  // Its last byte, or when we began waiting on it (requestMore sets
  // lastBlockMs when our requests go out to an idle queue): a peer we asked
  // nothing of for minutes is not silent the moment we ask.
  return std::max(peer.connection->lastReceiveMs(), peer.lastBlockMs);
}

void TorrentTask::armPeer(Peer& peer) {
  if (peer.connection->closed()) {
    return;
  }
  const std::uint64_t deadline = peerDeadline(peer);
  if (peer.armedMs == 0 || deadline < peer.armedMs) {
    peer.armedMs = deadline;
    timers_.schedule(peer.key, deadline);
  }
}

void TorrentTask::runPeerTimers() {
  const std::uint64_t now = context_.loop->nowMs();
  for (const util::TimingWheel::Entry& due : timers_.advance(now)) {
    auto it = peers_.find(due.key);
    if (it == peers_.end() || it->second.armedMs != due.deadlineMs) {
      continue;  // the peer is gone, or re-armed for an earlier deadline
    }
    Peer& peer = it->second;
    peer.armedMs = 0;
    checkPeerTimeouts(peer, now);
    armPeer(peer);
  }
}

void TorrentTask::checkPeerTimeouts(Peer& peer, std::uint64_t now) {
  PeerConnection& c = *peer.connection;
  if (c.closed()) {
    return;
  }
  if (!c.ready()) {
    if (c.tcpConnected() && now - c.connectedAtMs() >= kHandshakeTimeoutMs) {
      c.close({ErrorCode::Timeout, "no handshake within 10 s"});
    }
    return;
  }
  if (now - c.lastReceiveMs() >= kInactivityTimeoutMs) {
    c.close({ErrorCode::Timeout, "nothing received for 120 s"});
    return;
  }
  // We want its blocks and it has sent not a byte for 30 s. After a network
  // outage such a TCP connection may wait as long again for its next
  // retransmission (the timer doubles with every loss: 51 s after a drop of
  // 30 s), while a new connection gets through at once: close it, and the
  // peer is dialled again (soon: it worked before).
  if (waitsOnSilentPeer(peer) && now - silentSinceMs(peer) >= kSilentPeerTimeoutMs) {
    c.close({ErrorCode::Timeout, "nothing received for 30 s with requests out"});
    return;
  }
  bool expired = false;
  while (!peer.requests.empty() && now - peer.requests.front().sentMs >= kRequestTimeoutMs) {
    const Outstanding& o = peer.requests.front();
    picker_.abortRequest(peer.key, o.block.piece, o.block.offset);
    peer.requests.pop_front();
    expired = true;
  }
  // Snubbed: it holds our requests and sends nothing for a minute. Its
  // expired blocks went back to the picker for the others.
  if (expired || (!peer.requests.empty() && peer.lastBlockMs != 0 &&
                  now - peer.lastBlockMs >= kRequestTimeoutMs)) {
    peer.snubbed = true;
  }
  if (now - c.lastSendMs() >= kKeepAliveMs) {
    c.sendKeepAlive();
  }
}

}  // namespace tributary::bt
