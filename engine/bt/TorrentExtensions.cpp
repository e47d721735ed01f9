// A torrent's BEP 10 extension messages: serving our info dictionary to
// peers that came from a magnet (BEP 9), and peer exchange (BEP 11).
#include "engine/bt/ExtensionHandshake.h"
#include "engine/bt/PexMessage.h"
#include "engine/bt/TorrentTask.h"
#include "engine/bt/UtMetadataMessage.h"
#include "engine/util/Log.h"

namespace tributary::bt {

void TorrentTask::onExtendedMessage(Peer& peer, const PeerMessage& message) {
  if (message.extendedId == kOurUtMetadataId) {
    serveMetadata(peer, message);
  } else if (message.extendedId == kOurUtPexId) {
    onPexMessage(peer, message);
  }
  // 0 is the extension handshake, which PeerConnection keeps; other ids
  // are extensions we did not offer and are ignored (BEP 10).
}

void TorrentTask::serveMetadata(Peer& peer, const PeerMessage& message) {
  PeerConnection& c = *peer.connection;
  const std::optional<std::uint8_t> theirId =
      c.extensions() ? c.extensions()->extensionId(kUtMetadata) : std::nullopt;
  const UtMetadataParse parsed = parseUtMetadata(message.payload);
  if (parsed.status == UtMetadataParse::Status::Error) {
    c.close({ErrorCode::ProtocolError, std::string("a bad ut_metadata message: ") +
                                           std::string(peerWireErrorName(parsed.error))});
    return;
  }
  // Data or rejects sent to us, now that we have the dictionary, and
  // requests from a peer that gave us no id to answer under, are ignored.
  if (parsed.status != UtMetadataParse::Status::Ok || !theirId ||
      parsed.message.type != UtMetadataMessage::Type::Request) {
    return;
  }
  if (meta_->isPrivate) {
    // Not offered (no metadata_size in our handshake): refused, not served.
    const std::string reject = encodeUtMetadataReject(parsed.message.piece);
    c.sendExtended(*theirId, std::as_bytes(std::span(reject.data(), reject.size())));
    return;
  }
  if (!metadataServer_) {
    // Shares the metainfo's copy of the dictionary rather than holding another.
    metadataServer_.emplace(std::shared_ptr<const std::string>(meta_, &meta_->infoBytes));
  }
  const std::string reply =
      metadataServer_->answer(peer.key, parsed.message, context_.loop->nowMs());
  if (!reply.empty()) {
    c.sendExtended(*theirId, std::as_bytes(std::span(reply.data(), reply.size())));
  }
}

void TorrentTask::onPexMessage(Peer& peer, const PeerMessage& message) {
  if (!pexAllowed()) {
    return;  // never offered: a peer sending it anyway is ignored
  }
  const std::uint64_t now = context_.loop->nowMs();
  if (peer.pexReceivedMs != 0 && now - peer.pexReceivedMs < kPexMinReceiveIntervalMs) {
    return;  // BEP 11: once a minute; a flood gains the sender nothing
  }
  peer.pexReceivedMs = now;
  auto parsed = parsePexMessage(message.payload);
  if (!parsed) {
    peer.connection->close(
        {ErrorCode::ProtocolError, "a bad ut_pex message: " + parsed.error().detail});
    return;
  }
  TLOG(Debug, "bt") << peer.connection->address().toString()
                    << ": ut_pex: " << parsed.value().added.size() << " added, "
                    << parsed.value().dropped.size() << " dropped";
  std::vector<loop::SocketAddress> added;
  added.reserve(parsed.value().added.size());
  for (const PexPeer& entry : parsed.value().added) {
    added.push_back(entry.address);
  }
  // Dropped peers are not forgotten: another peer may still know them, and
  // a dead one fails its connect and backs off like any candidate.
  addPeers(added, PeerOrigin::Pex);
}

void TorrentTask::sendPex(std::uint64_t now) {
  if (!pexAllowed()) {
    return;
  }
  std::vector<PexPeer> connected;
  for (const auto& [key, peer] : peers_) {
    const PeerConnection& c = *peer.connection;
    if (!c.ready() || c.closed()) {
      continue;
    }
    PexPeer entry;
    entry.address = c.address();
    if (c.incoming()) {
      // Its listen port, if it told us; the port it came from is not one.
      const std::uint16_t port = c.extensions() ? c.extensions()->listenPort : 0;
      if (port == 0) {
        continue;
      }
      entry.address = entry.address.withPort(port);
    } else {
      entry.flags |= kPexReachable;
    }
    if (peer.seed) {
      entry.flags |= kPexSeed;
    }
    connected.push_back(entry);
  }
  for (auto& [key, peer] : peers_) {
    PeerConnection& c = *peer.connection;
    if (!c.ready() || c.closed() ||
        (peer.pexSentMs != 0 && now - peer.pexSentMs < kPexIntervalMs)) {
      continue;
    }
    const std::optional<std::uint8_t> theirId =
        c.extensions() ? c.extensions()->extensionId(kUtPex) : std::nullopt;
    if (!theirId) {
      continue;
    }
    if (!peer.pex) {
      loop::SocketAddress self = c.address();
      if (c.incoming()) {
        const std::uint16_t port = c.extensions() ? c.extensions()->listenPort : 0;
        self = port != 0 ? self.withPort(port) : loop::SocketAddress{};
      }
      peer.pex = std::make_unique<PexTracker>(self);
    }
    peer.pexSentMs = now;
    const PexMessage message = peer.pex->nextMessage(connected);
    if (!message.empty()) {
      const std::string payload = encodePexMessage(message);
      c.sendExtended(*theirId, std::as_bytes(std::span(payload.data(), payload.size())));
    }
  }
}

}  // namespace tributary::bt
