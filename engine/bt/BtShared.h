// Internal: what every torrent of one engine shares, whatever loop it is on:
// our peer id, the listening port, the feature switches, the engine-wide
// connection caps, and the table the listener uses to hand an incoming connection to the torrent it
// names. Thread-safe; made by the session, outlives every torrent.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "engine/api/Engine.h"
#include "engine/bt/ConnectionBudget.h"
#include "engine/bt/PeerId.h"
#include "engine/loop/EventLoop.h"
#include "engine/net/ByteStream.h"
#include "engine/util/Sha.h"
#include "engine/util/ThreadAnnotations.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::bt {

struct Handshake;
class DhtAccess;
class LsdAccess;
class WebSeedFactory;

struct BtSwitches {
  bool dht = false;
  bool pex = true;
  bool lsd = false;
  unsigned maxPeersPerTorrent = 50;
  unsigned maxHalfOpen = 8;  // connects in flight per torrent (the engine's cap: budget)
  unsigned uploadSlots = 4;
  EncryptionMode encryption = EncryptionMode::Disabled;  // MSE/PE; the engine sets its config's
};

class TorrentRegistry {
 public:
  struct Entry {
    loop::EventLoop* loop = nullptr;
    // Runs on `loop`, with a stream of that loop (TCP or uTP); the torrent's
    // weak guard lives inside.
    std::shared_ptr<util::UniqueFunction<void(std::unique_ptr<net::ByteStream>, Handshake)>> accept;
  };
  // False when a torrent with this info-hash is already registered.
  bool add(const util::Sha1::Digest& infoHash, Entry entry) EXCLUDES(mutex_);
  void remove(const util::Sha1::Digest& infoHash) EXCLUDES(mutex_);
  std::optional<Entry> find(const util::Sha1::Digest& infoHash) const EXCLUDES(mutex_);
  bool contains(const util::Sha1::Digest& infoHash) const EXCLUDES(mutex_);
  // An MSE handshake names its torrent by HASH('req2', info-hash) only.
  std::optional<util::Sha1::Digest> findByReq2Hash(const util::Sha1::Digest& req2) const
      EXCLUDES(mutex_);

 private:
  mutable util::Mutex mutex_;
  std::map<util::Sha1::Digest, Entry> entries_ GUARDED_BY(mutex_);
  std::map<util::Sha1::Digest, util::Sha1::Digest> byReq2_ GUARDED_BY(mutex_);
};

struct BtShared {
  PeerId peerId = generatePeerId();
  std::atomic<std::uint16_t> listenPort{0};  // 0 until the listener is up
  BtSwitches switches;
  ConnectionBudget budget;  // engine-wide caps, across loops
  TorrentRegistry registry;
  // The engine's DHT node; null when the DHT is off. Set before the first task.
  std::shared_ptr<DhtAccess> dht;
  // Where magnet tasks keep the metadata they fetched (MetadataCache.h), so
  // a restart does not fetch it again; empty = not kept. Set before the first task.
  std::string metadataDir;
  // Where torrents keep their fast-resume data (TorrentResumeData.h); empty =
  // not kept: every start hashes the data on disk. Set before the first task.
  std::string resumeDir;

  // Our own listening address, as trackers, PEX and the DHT hand it back to
  // us: not a peer worth dialling.
  bool isOurListenAddress(const loop::SocketAddress& address) const {
    return address.port() == listenPort.load() && address.isLoopback();
  }
  // The engine's local service discovery (BEP 14); null when LSD is off. Set before the first task.
  std::shared_ptr<LsdAccess> lsd;
  // Makes the HTTP clients of web seeds (engine/hybrid); null: torrents use
  // no web seeds. Set before the first task.
  std::shared_ptr<WebSeedFactory> webSeeds;
};

}  // namespace tributary::bt
