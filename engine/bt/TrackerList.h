// Internal: the trackers of one torrent, on the torrent task's loop.
//
// Every tier (BEP 12) announces on its own and at the same time as the
// others, so a dead first tier does not hold up the live ones (as
// libtorrent's announce_to_all_tiers and Transmission's tiers do). Inside a
// tier the order is shuffled once and the tracker that answers moves to the
// front, so the tier's next announce goes to it first. A failing tracker is
// put on back-off (retryBase·2^(failures-1), at most retryMax) and the next
// tracker of its tier is tried at once; a tracker still silent after
// tierPatience lets the next one of the tier start too, its own request
// staying alive: the first answer wins the tier, and at most
// maxInFlightPerTier requests of one tier are out at once. A tier whose every
// tracker is on back-off waits for the earliest. After a win, the tier's next
// regular announce comes after the winner's interval (at least its min
// interval, and within [minimumInterval, maximumInterval] whatever it says);
// a later answer from another tracker of the same round only adds its peers.
//
// Events, per tracker: "started" the first time we reach it, "completed"
// once after completed() if it knew us before (a tracker first reached when
// we are complete hears "started" with left 0 instead), and "stopped" from
// stop() if it had our "started". stop() sends every "stopped" at once and
// never takes longer than stopTimeout: at shutdown a dead tracker must not
// hold the engine.
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
  // How long a tracker may stay silent before the next one of its tier is
  // asked too (0: never, each waits for the answer or the failure). 15 s is
  // BEP 15's first retransmit: a UDP tracker silent that long is likely dead.
  std::chrono::milliseconds tierPatience{std::chrono::seconds(15)};
  unsigned maxInFlightPerTier = 3;  // regular announces one tier has out at once
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
  // The download finished: "completed" goes out now (once per tracker that knew us).
  void completed();
  // More peers wanted now: each tier announces as soon as its working tracker's min interval
  // allows.
  void reannounce();
  // Something of the torrent got through again after failing (a peer
  // answered): when no tracker works, those on back-off are asked now (in
  // every tier not already announcing), as their errors may have been our
  // own link being down. At most once a minute.
  void networkRecovered();
  // Announces "stopped" to every tracker that had our "started", then calls
  // done (on a later tick), after stopTimeout at the latest. Nothing is
  // announced after it until start().
  void stop(util::UniqueFunction<void()> done);

  bool running() const { return phase_ == Phase::Running; }
  std::vector<TrackerStats> stats() const;

 private:
  struct Entry;
  struct Tier;
  enum class Phase : std::uint8_t { Idle, Running, Stopping };

  void scheduleTier(Tier& tier, std::uint64_t atMs);
  void runTier(Tier& tier);
  // Sends; false when the request could not even go out (the URL is then Unsupported).
  bool send(Entry& entry, AnnounceEvent event);
  AnnounceEvent eventFor(const Entry& entry) const;
  void onAnnounced(Entry* entry, AnnounceEvent event, Result<AnnounceResponse> result);
  void onSucceeded(Tier& tier, Entry& entry, AnnounceEvent event, AnnounceResponse& response);
  void onFailed(Tier& tier, Entry& entry, const Error& error);
  void moveToFront(Tier& tier, Entry& entry);
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
  std::vector<std::unique_ptr<Tier>> tiers_;  // each with its own timer
  loop::Timer stopTimer_;                     // the stop deadline
  PeersCallback onPeers_;
  TotalsCallback totals_;
  util::UniqueFunction<void()> stopDone_;
  Phase phase_ = Phase::Idle;
  bool complete_ = false;  // completed() came: a "started" now says left 0
  // networkRecovered(): no nudge before this; the spacing doubles from 1 min
  // with every nudge until a tracker answers again.
  std::uint64_t nextRecoveryAtMs_ = 0;
  std::uint64_t recoverySpacingMs_ = 0;
  bool restartAfterStop_ = false;  // start() came while stopping
  std::size_t pendingStops_ = 0;
};

}  // namespace tributary::bt
