#include "engine/bt/TrackerList.h"

#include <algorithm>
#include <random>
#include <set>
#include <utility>

#include "engine/bt/AnnounceRequest.h"
#include "engine/bt/TrackerListEntry.h"
#include "engine/bt/TrackerUrl.h"
#include "engine/util/Log.h"

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
      timer_(loop),
      stopTimer_(loop) {
  loop_.assertInLoopThread();
  if (clients_.http != nullptr) {
    http_ = std::make_unique<TrackerHttpClient>(*clients_.http, options_.http);
  }
  std::mt19937 shuffle(std::random_device{}());
  std::set<std::string> seen;
  for (std::vector<std::string>& urls : tiers) {
    std::vector<std::unique_ptr<Entry>> tier;
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
      tier.push_back(std::move(entry));
    }
    if (tier.empty()) {
      continue;
    }
    if (options_.shuffleTiers) {
      std::shuffle(tier.begin(), tier.end(), shuffle);
    }
    tiers_.push_back(std::move(tier));
  }
}

TrackerList::~TrackerList() {
  cancelAll();
}

void TrackerList::cancelAll() {
  for (auto& tier : tiers_) {
    for (auto& entry : tier) {
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
  scheduleAt(loop_.nowMs());
}

void TrackerList::completed() {
  loop_.assertInLoopThread();
  completedPending_ = true;
  if (phase_ != Phase::Running) {
    return;
  }
  if (inFlight_ != nullptr) {
    urgent_ = true;
    return;
  }
  scheduleAt(loop_.nowMs());
}

void TrackerList::reannounce() {
  loop_.assertInLoopThread();
  if (phase_ != Phase::Running) {
    return;
  }
  if (inFlight_ != nullptr) {
    return;  // an answer is on its way
  }
  std::uint64_t at = loop_.nowMs();
  if (working_ != nullptr) {
    at = std::max<std::uint64_t>(
        at, working_->lastSuccessMs + static_cast<std::uint64_t>(working_->minInterval.count()));
  }
  if (at < nextAnnounceAtMs_ || !timer_.active()) {
    scheduleAt(at);
  }
}

void TrackerList::networkRecovered() {
  loop_.assertInLoopThread();
  constexpr std::uint64_t kMinSpacingMs = 60'000;
  const std::uint64_t now = loop_.nowMs();
  if (phase_ != Phase::Running || inFlight_ != nullptr || working_ != nullptr ||
      (lastRecoveryMs_ != 0 && now - lastRecoveryMs_ < kMinSpacingMs)) {
    return;
  }
  bool waiting = false;
  for (auto& tier : tiers_) {
    for (auto& entry : tier) {
      if (entry->stats.status == TrackerStatus::Failed && entry->retryAtMs > now) {
        entry->retryAtMs = now;
        waiting = true;
      }
    }
  }
  if (waiting) {
    lastRecoveryMs_ = now;
    scheduleAt(now);
  }
}

void TrackerList::scheduleAt(std::uint64_t atMs) {
  nextAnnounceAtMs_ = atMs;
  const std::uint64_t now = loop_.nowMs();
  const milliseconds wait(atMs > now ? atMs - now : 0);
  timer_.start(wait, milliseconds{0}, [this] { runAnnounce(); });
}

AnnounceEvent TrackerList::eventFor(const Entry& entry) const {
  if (!entry.started) {
    return AnnounceEvent::Started;
  }
  return completedPending_ ? AnnounceEvent::Completed : AnnounceEvent::None;
}

void TrackerList::runAnnounce() {
  if (phase_ != Phase::Running || inFlight_ != nullptr) {
    return;
  }
  const std::uint64_t now = loop_.nowMs();
  std::optional<std::uint64_t> earliestRetry;
  for (auto& tier : tiers_) {
    for (auto& entry : tier) {
      if (entry->stats.status == TrackerStatus::Unsupported) {
        continue;
      }
      if (entry->retryAtMs > now) {
        earliestRetry = std::min(earliestRetry.value_or(entry->retryAtMs), entry->retryAtMs);
        continue;
      }
      send(*entry, eventFor(*entry));
      return;
    }
  }
  if (earliestRetry) {
    scheduleAt(*earliestRetry);  // every tracker is on back-off
  }
}

void TrackerList::send(Entry& entry, AnnounceEvent event) {
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
  if (!stopping) {
    inFlight_ = &entry;
    entry.stats.status = TrackerStatus::Announcing;
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
    return;
  }
  Result<core::HttpGetter::Request> request = http_->announce(entry.url, params, std::move(done));
  if (request) {
    entry.http = std::move(request.value());
    return;
  }
  // Checked at construction, so only a URL the checks missed gets here.
  TLOG(Warning, "tracker") << entry.url << ": " << request.error().detail;
  if (stopping) {
    // No answer will come; count it as answered on a later tick.
    timer_.start(milliseconds{0}, milliseconds{0}, [this, target] { onStopAnswered(target); });
    return;
  }
  entry.stats.status = TrackerStatus::Unsupported;
  entry.stats.message = request.error().detail;
  inFlight_ = nullptr;
  scheduleAt(loop_.nowMs());
}

void TrackerList::onAnnounced(Entry* entry, AnnounceEvent event, Result<AnnounceResponse> result) {
  inFlight_ = nullptr;
  if (!result) {
    onFailed(*entry, result.error());
    return;
  }
  onSucceeded(*entry, event, result.value());
  std::vector<TrackerPeer> peers = std::move(result.value().peers);
  if (!peers.empty() && onPeers_) {
    onPeers_(std::move(peers), PeerSource::Tracker);  // last: it may destroy this list
  }
}

void TrackerList::onSucceeded(Entry& entry, AnnounceEvent event, AnnounceResponse& response) {
  const std::uint64_t now = loop_.nowMs();
  entry.started = true;
  if (event == AnnounceEvent::Completed) {
    completedPending_ = false;
  }
  entry.stats.status = TrackerStatus::Working;
  entry.stats.consecutiveFailures = 0;
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
  working_ = &entry;
  moveToFront(entry);
  if (urgent_ || (completedPending_ && event != AnnounceEvent::Completed)) {
    urgent_ = false;
    scheduleAt(now);
    return;
  }
  scheduleAt(now + static_cast<std::uint64_t>(nextInterval(response).count()));
}

void TrackerList::onFailed(Entry& entry, const Error& error) {
  entry.stats.status = TrackerStatus::Failed;
  entry.stats.message = error.detail;
  ++entry.stats.consecutiveFailures;
  entry.retryAtMs =
      loop_.nowMs() + static_cast<std::uint64_t>(backoff(entry.stats.consecutiveFailures).count());
  if (working_ == &entry) {
    working_ = nullptr;
  }
  TLOG(Info, "tracker") << entry.url << ": " << error.toString();
  urgent_ = false;
  // The next tracker, at once: it is skipped-over trackers' back-off that spaces the rounds.
  scheduleAt(loop_.nowMs());
}

void TrackerList::moveToFront(Entry& entry) {
  auto& tier = tiers_[entry.tier];
  const auto it = std::find_if(tier.begin(), tier.end(), [&entry](const std::unique_ptr<Entry>& e) {
    return e.get() == &entry;
  });
  if (it != tier.end()) {
    std::rotate(tier.begin(), it, it + 1);
  }
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
    for (const auto& entry : tier) {
      TrackerStats s = entry->stats;
      if (phase_ == Phase::Running && entry.get() == working_ && timer_.active()) {
        s.nextAnnounceIn = until(nextAnnounceAtMs_);
      } else if (phase_ == Phase::Running && s.status == TrackerStatus::Failed) {
        s.nextAnnounceIn = until(entry->retryAtMs);
      }
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace tributary::bt
