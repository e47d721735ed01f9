// Internal: the values trackers exchange with the rest of bt, whatever the
// transport (HTTP(S) or UDP): what an announce sends, what a tracker answers,
// and the cancel token of a request in flight.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/bt/PeerId.h"
#include "engine/loop/SocketAddress.h"
#include "engine/util/Sha.h"

namespace tributary::bt {

using InfoHashV1 = util::Sha1::Digest;

// Where a peer's address came from, as the peer list shows it.
enum class PeerSource : std::uint8_t { Tracker, Dht, Pex, Lsd, Incoming, WebSeed };

struct TrackerPeer {
  loop::SocketAddress address;
  std::optional<PeerId> peerId;  // only from dictionary peer lists that carry one

  bool operator==(const TrackerPeer&) const = default;
};

enum class AnnounceEvent : std::uint8_t { None, Started, Completed, Stopped };

// "started", "completed", "stopped"; "" for None (a regular announce).
std::string_view announceEventName(AnnounceEvent event) noexcept;

struct AnnounceParams {
  InfoHashV1 infoHash{};
  PeerId peerId{};
  std::uint16_t port = 0;
  std::uint64_t uploaded = 0;
  std::uint64_t downloaded = 0;
  std::uint64_t left = 0;
  AnnounceEvent event = AnnounceEvent::None;
  int numWant = 50;       // < 0: the tracker's default (omitted / -1)
  std::uint32_t key = 0;  // random per session: lets a tracker know us across IP changes
  std::string trackerId;  // "tracker id" from an earlier answer; HTTP only
  bool compact = true;    // HTTP only
  bool noPeerId = true;   // HTTP only, and only meaningful when not compact
};

// One tracker answer to an announce. Text fields are escaped and capped
// (TrackerText.h): they come from the network and go to the GUI.
struct AnnounceResponse {
  std::optional<std::chrono::seconds> interval;     // absent: the caller's default
  std::optional<std::chrono::seconds> minInterval;  // HTTP only
  std::string trackerId;                            // raw bytes, at most kMaxTrackerIdBytes
  std::optional<std::int64_t> seeders;              // "complete"
  std::optional<std::int64_t> leechers;             // "incomplete"
  std::optional<std::int64_t> downloaded;           // "downloaded" (completed count)
  std::string warning;                              // escaped; empty when none
  std::vector<TrackerPeer> peers;                   // IPv4 and IPv6 together
};

// What a scrape reports for one info-hash.
struct ScrapeInfo {
  std::int64_t seeders = 0;    // "complete"
  std::int64_t completed = 0;  // "downloaded"
  std::int64_t leechers = 0;   // "incomplete"

  bool operator==(const ScrapeInfo&) const = default;
};

inline constexpr std::size_t kMaxTrackerIdBytes = 256;
// An HTTP tracker body (announce or scrape) larger than this is refused.
inline constexpr std::size_t kMaxTrackerBodyBytes = std::size_t{1} << 20;

// What a tracker client keeps for one request: cancel() drops its callback
// unrun and forgets the request.
class TrackerOperation {
 public:
  virtual ~TrackerOperation() = default;
  virtual void cancel() = 0;
};

// The cancel token of one tracker request: destroying or cancelling it means
// its callback never runs. Move-only; empty when default-made. Loop thread only.
class TrackerRequest {
 public:
  TrackerRequest() = default;
  explicit TrackerRequest(std::weak_ptr<TrackerOperation> operation)
      : operation_(std::move(operation)) {}
  TrackerRequest(TrackerRequest&& other) noexcept
      : operation_(std::exchange(other.operation_, {})) {}
  TrackerRequest& operator=(TrackerRequest&& other) noexcept {
    if (this != &other) {
      cancel();
      operation_ = std::exchange(other.operation_, {});
    }
    return *this;
  }
  TrackerRequest(const TrackerRequest&) = delete;
  TrackerRequest& operator=(const TrackerRequest&) = delete;
  ~TrackerRequest() { cancel(); }

  void cancel() {
    if (const auto operation = std::exchange(operation_, {}).lock()) {
      operation->cancel();
    }
  }
  bool pending() const { return !operation_.expired(); }

 private:
  std::weak_ptr<TrackerOperation> operation_;
};

}  // namespace tributary::bt
