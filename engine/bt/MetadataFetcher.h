// Internal: the first life of a magnet task: find peers (trackers from the
// magnet, x.pe addresses, the DHT), connect, and fetch the info dictionary
// from every peer that offers it over BEP 9 (ut_metadata) at once, until its
// SHA-1 is the magnet's info-hash. It then hands the bytes, and the peers it
// knows, to its owner, which starts the torrent proper.
//
// Nothing is written to disk in this phase. A peer whose pieces make up a
// dictionary that fails the hash loses trust (the assembler knows who sent
// what); a peer that cannot send metadata is let go to free its slot.
// Lives on one loop, like the task that owns it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "engine/api/Types.h"
#include "engine/bt/BtShared.h"
#include "engine/bt/DhtAnnouncer.h"
#include "engine/bt/LsdAnnouncer.h"
#include "engine/bt/MetadataAssembler.h"
#include "engine/bt/PeerConnection.h"
#include "engine/bt/TrackerList.h"
#include "engine/bt/TrackerUdpClient.h"
#include "engine/core/Task.h"
#include "engine/loop/SocketAddress.h"
#include "engine/loop/Timer.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::bt {

class MetadataFetcher final : public PeerConnection::Listener {
 public:
  struct KnownPeer {
    loop::SocketAddress address;
    PeerOrigin origin = PeerOrigin::Tracker;
  };
  // The verified info dictionary. Runs on the loop, never inside a call into
  // the fetcher, so the owner may destroy it there.
  using DoneCallback = util::UniqueFunction<void(std::string infoBytes)>;

  MetadataFetcher(const core::TaskContext& context, const util::Sha1::Digest& infoHash,
                  std::vector<std::string> trackers, std::shared_ptr<BtShared> shared,
                  DoneCallback done);
  ~MetadataFetcher() override;
  MetadataFetcher(const MetadataFetcher&) = delete;
  MetadataFetcher& operator=(const MetadataFetcher&) = delete;

  // Announces, dials, accepts incoming peers for the info-hash. start()
  // after stop() resumes.
  void start();
  // Closes every connection, stops announcing, and leaves the info-hash free
  // for the torrent that follows; the known peers are kept.
  void stop();
  void addPeers(const std::vector<loop::SocketAddress>& addresses, PeerOrigin origin);

  // Every peer heard of (connected or not, never a banned one).
  std::vector<KnownPeer> knownPeers() const;
  // Connected peers, trackers and the info-hash, for the task's snapshot.
  void fillSnapshot(TaskSnapshot& snapshot) const;

  static constexpr std::size_t kMaxConnections = 30;
  static constexpr std::size_t kMaxHalfOpen = 10;
  static constexpr std::chrono::milliseconds kConnectTimeout{10000};
  static constexpr std::chrono::milliseconds kTick{250};
  static constexpr std::uint64_t kHandshakeTimeoutMs = 10'000;
  static constexpr std::uint64_t kInactivityTimeoutMs = 120'000;

 private:
  struct FetchPeer {
    std::unique_ptr<PeerConnection> connection;
    ConnectionBudget::Slot slot;
    ConnectionBudget::Slot halfOpenSlot;
    std::uint8_t theirMetadataId = 0;  // 0 until its extension handshake offers ut_metadata
  };
  struct Candidate {
    PeerOrigin origin = PeerOrigin::Tracker;
    unsigned failures = 0;
    std::uint64_t retryAtMs = 0;
    bool connected = false;
    bool banned = false;
  };

  // PeerConnection::Listener
  void onPeerReady(PeerConnection& connection) override;
  void onPeerMessage(PeerConnection& connection, const PeerMessage& message) override;
  void onPeerClosed(PeerConnection& connection, const Error& why) override;
  void onPeerBlockSent(PeerConnection&) override {}

  void registerForIncoming();
  void acceptIncoming(std::unique_ptr<net::ByteStream> socket, const Handshake& theirs);
  void setUpTrackers(std::vector<std::string> trackers);
  void connectMore();
  void onTick();
  void closeIfStuck(FetchPeer& peer, std::uint64_t now);
  bool isBanned(const loop::SocketAddress& address) const {
    return bannedIps_.contains(banKey(address));
  }
  // A peer's IP (port 0): an incoming peer comes from a new port every time.
  // On loopback, where every local client shares the address, the exact
  // address instead.
  static loop::SocketAddress banKey(const loop::SocketAddress& address) {
    return address.isLoopback() ? address : address.withPort(0);
  }
  void onExtensionHandshake(std::uint64_t key, FetchPeer& peer);
  void onMetadataMessage(std::uint64_t key, FetchPeer& peer, const PeerMessage& message);
  void requestMore(std::uint64_t key, FetchPeer& peer);
  void onHashMismatch(const std::vector<std::uint64_t>& senders);
  void checkComplete();
  void ban(std::uint64_t key);
  std::uint64_t keyOf(const PeerConnection& connection) const;
  PeerConnectionConfig connectionConfig() const;

  core::TaskContext context_;
  util::Sha1::Digest infoHash_;
  std::shared_ptr<BtShared> shared_;
  DoneCallback done_;
  std::unique_ptr<TrackerUdpClient> udpTrackers_;
  std::unique_ptr<TrackerList> trackers_;
  DhtAnnouncer dht_;
  LsdAnnouncer lsd_;  // a magnet does not know yet whether it is private (BEP 27)
  MetadataAssembler assembler_;
  std::map<std::uint64_t, FetchPeer> peers_;
  std::map<loop::SocketAddress, Candidate> candidates_;
  std::set<loop::SocketAddress> bannedIps_;  // by banKey()
  loop::Timer tick_;
  std::uint64_t nextKey_ = 1;
  std::size_t halfOpen_ = 0;
  bool running_ = false;
  bool registered_ = false;
  bool finished_ = false;
  std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace tributary::bt
