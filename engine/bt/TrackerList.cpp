#include "engine/bt/TrackerList.h"

#include <algorithm>
#include <random>
#include <set>
#include <utility>

#include "engine/bt/AnnounceRequest.h"
#include "engine/bt/TrackerListEntry.h"
#include "engine/bt/TrackerUrl.h"

namespace tributary::bt {

using std::chrono::milliseconds;

namespace {

// Whether the URL can be announced to at all, so unusable ones are marked
// once instead of failing at every announce.
std::string unusableReason(const std::string& url, TrackerScheme scheme, const TrackerClients& c) {
  switch (scheme) {
    case TrackerScheme::Http:
    case TrackerScheme::Https:
      if (c.http == nullptr) {
        return "HTTP trackers are not available";
      }
      return buildAnnounceUrl(url, AnnounceParams{}).ok() ? "" : "not a usable tracker URL";
    case TrackerScheme::Udp:
      if (c.udp == nullptr) {
        return "UDP trackers are not available";
      }
      return parseUdpTrackerUrl(url) ? "" : "not a usable tracker URL";
    case TrackerScheme::Unsupported:
      break;
  }
  return "unsupported tracker scheme";
}

}  // namespace

TrackerList::TrackerList(loop::EventLoop& loop, std::vector<std::vector<std::string>> tiers,
                         TrackerIdentity identity, TrackerClients clients,
                         TrackerListOptions options)
    : loop_(loop),
      identity_(identity),
      clients_(clients),
      options_(std::move(options)),
      stopTimer_(loop) {
  loop_.assertInLoopThread();
  if (clients_.http != nullptr) {
    http_ = std::make_unique<TrackerHttpClient>(*clients_.http, options_.http);
  }
  std::mt19937 shuffle(std::random_device{}());
  std::set<std::string> seen;
  for (std::vector<std::string>& urls : tiers) {
    auto tier = std::make_unique<Tier>(loop_);
    for (std::string& url : urls) {
      if (url.empty() || !seen.insert(url).second) {
        continue;
      }
      auto entry = std::make_unique<Entry>();
      entry->url = std::move(url);
      entry->tier = static_cast<unsigned>(tiers_.size());
      entry->scheme = trackerSchemeOf(entry->url);
      entry->stats.url = entry->url;
      entry->stats.tier = entry->tier;
      if (std::string why = unusableReason(entry->url, entry->scheme, clients_); !why.empty()) {
        entry->stats.status = TrackerStatus::Unsupported;
        entry->stats.message = std::move(why);
      }
      tier->entries.push_back(std::move(entry));
    }
    if (tier->entries.empty()) {
      continue;
    }
    if (options_.shuffleTiers) {
      std::shuffle(tier->entries.begin(), tier->entries.end(), shuffle);
    }
    tiers_.push_back(std::move(tier));
  }
}

TrackerList::~TrackerList() {
  cancelAll();
}

void TrackerList::cancelAll() {
  for (auto& tier : tiers_) {
    tier->timer.stop();
    for (auto& entry : tier->entries) {
      entry->cancel();
    }
  }
}

void TrackerList::start() {
  loop_.assertInLoopThread();
  if (phase_ == Phase::Stopping) {
    restartAfterStop_ = true;  // resumed while the stop is out: announce again when it is done
    return;
  }
  if (phase_ != Phase::Idle) {
    return;
  }
  phase_ = Phase::Running;
  const std::uint64_t now = loop_.nowMs();
  for (auto& tier : tiers_) {
    scheduleTier(*tier, now);
  }
}

void TrackerList::completed() {
  loop_.assertInLoopThread();
  complete_ = true;
  for (auto& tier : tiers_) {
    for (auto& entry : tier->entries) {
      // One in flight may be taking our "started" (as a leecher) right now.
      if (entry->started || entry->busy) {
        entry->completedDue = true;
      }
    }
  }
  if (phase_ != Phase::Running) {
    return;
  }
  const std::uint64_t now = loop_.nowMs();
  for (auto& tier : tiers_) {
    // An open round sends it once it is won (onSucceeded).
    const bool owed = std::any_of(tier->entries.begin(), tier->entries.end(),
                                  [](const auto& entry) { return entry->completedDue; });
    if (owed && !tier->announcing) {
      scheduleTier(*tier, now);
    }
  }
}

void TrackerList::reannounce() {
  loop_.assertInLoopThread();
  if (phase_ != Phase::Running) {
    return;
  }
  const std::uint64_t now = loop_.nowMs();
  for (auto& tier : tiers_) {
    if (tier->announcing) {
      continue;  // an answer is on its way
    }
    std::uint64_t at = now;
    if (const Entry* working = tier->working; working != nullptr) {
      at = std::max<std::uint64_t>(
          at, working->lastSuccessMs + static_cast<std::uint64_t>(working->minInterval.count()));
    }
    // A tier on back-off only looks again: runTier skips trackers whose retry is not due.
    if (at < tier->nextAtMs || !tier->timer.active()) {
      scheduleTier(*tier, at);
    }
  }
}

void TrackerList::networkRecovered() {
  loop_.assertInLoopThread();
  const std::uint64_t now = loop_.nowMs();
  if (phase_ != Phase::Running || now < nextRecoveryAtMs_) {
    return;
  }
  for (const auto& tier : tiers_) {
    if (tier->working != nullptr) {
      return;  // the link works: the others' failures are their own
    }
  }
  // Per tier, the first tracker whose last failure got no answer at all (our
  // outage looks like that; a tracker's own refusal does not) is asked again.
  // Nudges without a success in between come ever further apart (1, 2, 4 …
  // 30 min), so a torrent whose trackers are simply dead does not hammer them
  // each time a peer reconnects.
  bool nudged = false;
  for (auto& tier : tiers_) {
    if (tier->announcing) {
      continue;  // already asking
    }
    for (auto& entry : tier->entries) {
      if (entry->stats.status == TrackerStatus::Failed && entry->failedUnheard &&
          entry->retryAtMs > now) {
        entry->retryAtMs = now;
        scheduleTier(*tier, now);
        nudged = true;
        break;
      }
    }
  }
  if (nudged) {
    constexpr std::uint64_t kFirstSpacingMs = 60'000;
    constexpr std::uint64_t kMaxSpacingMs = 30 * 60'000;
    recoverySpacingMs_ =
        recoverySpacingMs_ == 0 ? kFirstSpacingMs : std::min(2 * recoverySpacingMs_, kMaxSpacingMs);
    nextRecoveryAtMs_ = now + recoverySpacingMs_;
  }
}

void TrackerList::scheduleTier(Tier& tier, std::uint64_t atMs) {
  tier.nextAtMs = atMs;
  const std::uint64_t now = loop_.nowMs();
  const milliseconds wait(atMs > now ? atMs - now : 0);
  tier.timer.start(wait, milliseconds{0}, [this, &tier] { runTier(tier); });
}

milliseconds TrackerList::nextInterval(const AnnounceResponse& response) const {
  milliseconds interval =
      response.interval ? milliseconds(*response.interval) : options_.defaultInterval;
  if (response.minInterval) {
    interval = std::max<milliseconds>(interval, *response.minInterval);
  }
  return std::clamp(interval, options_.minimumInterval,
                    std::max(options_.minimumInterval, options_.maximumInterval));
}

milliseconds TrackerList::backoff(unsigned failures) const {
  const unsigned shift = std::min(failures > 0 ? failures - 1 : 0u, 20u);
  return std::min(options_.retryBase * (std::int64_t{1} << shift), options_.retryMax);
}

std::vector<TrackerStats> TrackerList::stats() const {
  const std::uint64_t now = loop_.nowMs();
  const auto until = [now](std::uint64_t at) { return milliseconds(at > now ? at - now : 0); };
  std::vector<TrackerStats> out;
  for (const auto& tier : tiers_) {
    for (const auto& entry : tier->entries) {
      TrackerStats s = entry->stats;
      if (phase_ == Phase::Running && entry.get() == tier->working && !tier->announcing &&
          tier->timer.active()) {
        s.nextAnnounceIn = until(tier->nextAtMs);
      } else if (phase_ == Phase::Running && s.status == TrackerStatus::Failed) {
        s.nextAnnounceIn = until(entry->retryAtMs);
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace tributary::bt
