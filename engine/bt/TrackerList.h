// Internal: the trackers of one torrent, on the torrent task's loop.
//
// Tiers (BEP 12) are tried in order, and within a tier in an order shuffled
// once; the first tracker that answers is moved to the front of its tier, so
// the next announce goes to it first. One announce is in flight at a time: a
// failing tracker is put on back-off (retryBase·2^(failures-1), at most
// retryMax) and the next tracker is tried at once; when every tracker is on
// back-off, the list waits for the earliest. After a success the next
// regular announce comes after the tracker's interval (at least its min
// interval, and within [minimumInterval, maximumInterval] whatever it says).
//
// Events: each tracker gets "started" the first time we reach it, then
// "completed" once after completed(), and "stopped" from stop() if it had our
// "started". stop() never takes longer than stopTimeout: at shutdown a dead
// tracker must not hold the engine.
//
// Peers go to the peers callback tagged PeerSource::Tracker. Every timer is
// on the loop's monotonic clock. Callbacks run on the loop thread, never
// inside a call into the list, and may destroy it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/api/Error.h"
#include "engine/bt/TrackerHttpClient.h"
#include "engine/bt/TrackerTypes.h"
#include "engine/bt/TrackerUdpClient.h"
#include "engine/core/HttpGetter.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Timer.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::bt {

enum class TrackerStatus : std::uint8_t {
  NotContacted,
  Announcing,   // a request is in flight
  Working,      // its last announce succeeded
  Failed,       // its last announce failed (see message); on back-off
  Unsupported,  // a URL we cannot use (scheme, syntax, or no client for it)
};

// One tracker as the GUI's tracker list shows it.
struct TrackerStats {
  std::string url;
  unsigned tier = 0;
  TrackerStatus status = TrackerStatus::NotContacted;
  std::uint64_t peersReceived = 0;  // over every announce
  std::optional<std::int64_t> seeders;
  std::optional<std::int64_t> leechers;
  std::optional<std::int64_t> downloaded;
  // Until this tracker is asked again (regular announce or retry); nullopt when not planned.
  std::optional<std::chrono::milliseconds> nextAnnounceIn;
  std::string message;  // the last warning or error, escaped; empty when none
  unsigned consecutiveFailures = 0;

  bool operator==(const TrackerStats&) const = default;
};

struct TrackerListOptions {
  std::chrono::milliseconds defaultInterval{std::chrono::minutes(30)};  // when a tracker gives none
  std::chrono::milliseconds minimumInterval{std::chrono::minutes(1)};   // interval 0 must not spin
  std::chrono::milliseconds maximumInterval{std::chrono::hours(4)};
  std::chrono::milliseconds retryBase{std::chrono::seconds(15)};
  std::chrono::milliseconds retryMax{std::chrono::minutes(30)};
  std::chrono::milliseconds stopTimeout{std::chrono::seconds(2)};
  int numWant = 50;
  bool shuffleTiers = true;  // tests turn it off to know the order
  TrackerHttpOptions http;
};

// What the torrent says about itself in every announce.
struct TrackerIdentity {
  InfoHashV1 infoHash{};
  PeerId peerId{};
  std::uint16_t port = 0;
  std::uint32_t key = 0;
};

struct TransferTotals {
  std::uint64_t uploaded = 0;
  std::uint64_t downloaded = 0;
  std::uint64_t left = 0;
};

// The clients a list may use; either may be null (its trackers are then Unsupported).
struct TrackerClients {
  core::HttpGetter* http = nullptr;
  TrackerUdpClient* udp = nullptr;
};

class TrackerList {
 public:
  using PeersCallback =
      util::UniqueFunction<void(std::vector<TrackerPeer> peers, PeerSource source)>;
  using TotalsCallback = util::UniqueFunction<TransferTotals()>;

  // tiers: the announce-list (or {{announce}}); empty URLs and duplicates are dropped.
  TrackerList(loop::EventLoop& loop, std::vector<std::vector<std::string>> tiers,
              TrackerIdentity identity, TrackerClients clients, TrackerListOptions options = {});
  ~TrackerList();  // cancels everything; no callback runs
  TrackerList(const TrackerList&) = delete;
  TrackerList& operator=(const TrackerList&) = delete;

  void setOnPeers(PeersCallback callback) { onPeers_ = std::move(callback); }
  // Asked at every announce; without one, all counts are 0.
  void setTotals(TotalsCallback callback) { totals_ = std::move(callback); }

  // Begins announcing ("started"). Again after a finished stop() to resume.
  void start();
  // The download finished: "completed" goes out now (once).
  void completed();
  // More peers wanted now: an announce as soon as the working tracker's min interval allows.
  void reannounce();
  // Something of the torrent got through again after failing (a peer
  // answered): when no tracker works, those on back-off are asked now, as
  // their errors may have been our own link being down. At most once a minute.
  void networkRecovered();
  // Announces "stopped" to every tracker that had our "started", then calls
  // done (on a later tick), after stopTimeout at the latest. Nothing is
  // announced after it until start().
  void stop(util::UniqueFunction<void()> done);

  bool running() const { return phase_ == Phase::Running; }
  std::vector<TrackerStats> stats() const;

 private:
  struct Entry;
  enum class Phase : std::uint8_t { Idle, Running, Stopping };

  void scheduleAt(std::uint64_t atMs);
  void runAnnounce();
  void send(Entry& entry, AnnounceEvent event);
  AnnounceEvent eventFor(const Entry& entry) const;
  void onAnnounced(Entry* entry, AnnounceEvent event, Result<AnnounceResponse> result);
  void onSucceeded(Entry& entry, AnnounceEvent event, AnnounceResponse& response);
  void onFailed(Entry& entry, const Error& error);
  void moveToFront(Entry& entry);
  std::chrono::milliseconds nextInterval(const AnnounceResponse& response) const;
  std::chrono::milliseconds backoff(unsigned failures) const;
  void onStopAnswered(Entry* entry);
  void finishStop();
  void cancelAll();

  loop::EventLoop& loop_;
  TrackerIdentity identity_;
  TrackerClients clients_;
  TrackerListOptions options_;
  std::unique_ptr<TrackerHttpClient> http_;
  std::vector<std::vector<std::unique_ptr<Entry>>> tiers_;
  loop::Timer timer_;      // the next announce, or a stop's next tick
  loop::Timer stopTimer_;  // the stop deadline
  PeersCallback onPeers_;
  TotalsCallback totals_;
  util::UniqueFunction<void()> stopDone_;
  Phase phase_ = Phase::Idle;
  Entry* inFlight_ = nullptr;  // the regular announce under way
  Entry* working_ = nullptr;   // the last tracker that answered
  std::uint64_t nextAnnounceAtMs_ = 0;
  bool completedPending_ = false;
  bool urgent_ = false;               // announce again as soon as the one in flight ends
  std::uint64_t lastRecoveryMs_ = 0;  // networkRecovered()'s last nudge
  bool restartAfterStop_ = false;     // start() came while stopping
  std::size_t pendingStops_ = 0;
};

}  // namespace tributary::bt
