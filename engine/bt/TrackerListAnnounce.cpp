// TrackerList's announces: each tier's round (whom to ask, the patience, the
// cap on requests in flight), the request itself, and what an answer or a
// failure does to the tracker and to its tier.
#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "engine/bt/TrackerList.h"
#include "engine/bt/TrackerListEntry.h"
#include "engine/util/Log.h"

namespace tributary::bt {

using std::chrono::milliseconds;

AnnounceEvent TrackerList::eventFor(const Entry& entry) const {
  if (!entry.started) {
    return AnnounceEvent::Started;
  }
  return entry.completedDue ? AnnounceEvent::Completed : AnnounceEvent::None;
}

void TrackerList::runTier(Tier& tier) {
  if (phase_ != Phase::Running) {
    return;
  }
  const std::uint64_t now = loop_.nowMs();
  tier.announcing = true;
  std::size_t inFlight = 0;
  Entry* next = nullptr;
  std::optional<std::uint64_t> earliestRetry;
  for (auto& entry : tier.entries) {
    if (entry->busy) {
      ++inFlight;
    } else if (entry->stats.status == TrackerStatus::Unsupported) {
      continue;
    } else if (entry->retryAtMs > now) {
      earliestRetry = std::min(earliestRetry.value_or(entry->retryAtMs), entry->retryAtMs);
    } else if (next == nullptr) {
      next = entry.get();  // the first in BEP 12 order that may be asked
    }
  }
  const std::size_t cap = std::max(options_.maxInFlightPerTier, 1u);
  if (next != nullptr && inFlight < cap) {
    if (!send(*next, eventFor(*next))) {
      scheduleTier(tier, now);  // it is Unsupported now: the next one, on a fresh stack
      return;
    }
    ++inFlight;
  }
  if (inFlight == 0) {
    // Nobody to ask: every tracker is on back-off (wait for the earliest) or unusable.
    tier.announcing = false;
    if (earliestRetry) {
      scheduleTier(tier, *earliestRetry);
    } else {
      tier.timer.stop();
    }
    return;
  }
  // The round stays open until an answer: after the patience the next
  // tracker joins in (if the cap allows), whoever is slow.
  if (options_.tierPatience > milliseconds{0}) {
    scheduleTier(tier, now + static_cast<std::uint64_t>(options_.tierPatience.count()));
  } else {
    tier.timer.stop();
  }
}

bool TrackerList::send(Entry& entry, AnnounceEvent event) {
  AnnounceParams params;
  params.infoHash = identity_.infoHash;
  params.peerId = identity_.peerId;
  params.port = identity_.port;
  params.key = identity_.key;
  params.event = event;
  params.numWant = event == AnnounceEvent::Stopped ? 0 : options_.numWant;
  params.trackerId = entry.trackerId;
  if (totals_) {
    const TransferTotals totals = totals_();
    params.uploaded = totals.uploaded;
    params.downloaded = totals.downloaded;
    params.left = totals.left;
  }
  const bool stopping = event == AnnounceEvent::Stopped;
  if (event == AnnounceEvent::Started && complete_) {
    // It meets us as a seed (left 0): it never counted us as downloading.
    entry.completedDue = false;
  }
  Entry* target = &entry;
  auto done = [this, target, event](Result<AnnounceResponse> result) {
    if (event == AnnounceEvent::Stopped) {
      onStopAnswered(target);
    } else {
      onAnnounced(target, event, std::move(result));
    }
  };
  if (entry.scheme == TrackerScheme::Udp) {
    entry.udp = clients_.udp->announce(entry.url, params, std::move(done));
  } else {
    Result<core::HttpGetter::Request> request = http_->announce(entry.url, params, std::move(done));
    if (!request) {
      // Checked at construction, so only a URL the checks missed gets here.
      TLOG(Warning, "tracker") << entry.url << ": " << request.error().detail;
      if (!stopping) {
        entry.stats.status = TrackerStatus::Unsupported;
        entry.stats.message = request.error().detail;
      }
      return false;
    }
    entry.http = std::move(request.value());
  }
  if (!stopping) {
    entry.busy = true;
    entry.stats.status = TrackerStatus::Announcing;
  }
  return true;
}

void TrackerList::onAnnounced(Entry* entry, AnnounceEvent event, Result<AnnounceResponse> result) {
  entry->busy = false;
  Tier& tier = *tiers_[entry->tier];
  if (!result) {
    onFailed(tier, *entry, result.error());
    return;
  }
  onSucceeded(tier, *entry, event, result.value());
  std::vector<TrackerPeer> peers = std::move(result.value().peers);
  if (!peers.empty() && onPeers_) {
    onPeers_(std::move(peers), PeerSource::Tracker);  // last: it may destroy this list
  }
}

void TrackerList::onSucceeded(Tier& tier, Entry& entry, AnnounceEvent event,
                              AnnounceResponse& response) {
  const std::uint64_t now = loop_.nowMs();
  entry.started = true;
  if (event == AnnounceEvent::Completed) {
    entry.completedDue = false;
  }
  entry.stats.status = TrackerStatus::Working;
  entry.stats.consecutiveFailures = 0;
  entry.failedUnheard = false;
  recoverySpacingMs_ = 0;  // the link works: a later outage gets a prompt nudge again
  nextRecoveryAtMs_ = 0;
  entry.stats.message = response.warning;
  entry.stats.peersReceived += response.peers.size();
  entry.stats.seeders = response.seeders ? response.seeders : entry.stats.seeders;
  entry.stats.leechers = response.leechers ? response.leechers : entry.stats.leechers;
  entry.stats.downloaded = response.downloaded ? response.downloaded : entry.stats.downloaded;
  if (!response.trackerId.empty()) {
    entry.trackerId = response.trackerId;
  }
  entry.retryAtMs = 0;
  entry.lastSuccessMs = now;
  entry.minInterval = response.minInterval ? milliseconds(*response.minInterval) : milliseconds{0};
  if (!tier.announcing) {
    // A slower tracker of a round already won: its peers are welcome, but
    // the winner keeps the tier's schedule (one tracker per tier, BEP 12).
    return;
  }
  tier.announcing = false;
  tier.working = &entry;
  moveToFront(tier, entry);
  if (entry.completedDue) {
    scheduleTier(tier, now);  // completed() came while this was out: tell it now
    return;
  }
  scheduleTier(tier, now + static_cast<std::uint64_t>(nextInterval(response).count()));
}

void TrackerList::onFailed(Tier& tier, Entry& entry, const Error& error) {
  entry.stats.status = TrackerStatus::Failed;
  entry.stats.message = error.detail;
  entry.failedUnheard = error.code == ErrorCode::Timeout ||
                        error.code == ErrorCode::ConnectionRefused ||
                        error.code == ErrorCode::DnsFailure || error.code == ErrorCode::IoError;
  ++entry.stats.consecutiveFailures;
  entry.retryAtMs =
      loop_.nowMs() + static_cast<std::uint64_t>(backoff(entry.stats.consecutiveFailures).count());
  if (tier.working == &entry) {
    tier.working = nullptr;
  }
  TLOG(Info, "tracker") << entry.url << ": " << error.toString();
  if (tier.announcing) {
    // The next tracker of the tier, at once: it is the skipped-over
    // trackers' back-off that spaces the rounds.
    scheduleTier(tier, loop_.nowMs());
  }
}

void TrackerList::moveToFront(Tier& tier, Entry& entry) {
  auto& entries = tier.entries;
  const auto it =
      std::find_if(entries.begin(), entries.end(),
                   [&entry](const std::unique_ptr<Entry>& e) { return e.get() == &entry; });
  if (it != entries.end()) {
    std::rotate(entries.begin(), it, it + 1);
  }
}

}  // namespace tributary::bt
