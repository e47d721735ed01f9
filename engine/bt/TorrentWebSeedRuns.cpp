// Scheduling across kinds: which bytes a web seed fetches next, given the
// task's SourcePolicy.
//
// A seed asks in one HTTP range for a run of pieces, sized to about a second
// of its own rate: a slow mirror holds few pieces hostage, a fast one is not
// slowed by a request round trip per piece; never more than half the piece
// memory left, or peers could start nothing. The run is, in order:
//  0. the free blocks of a piece that already holds a buffer (a fetch that
//     ended half way): finished first, and even over the memory cap;
//  1. untouched pieces, preferring those no connected peer has (the swarm
//     cannot give them soon; with a seeder in the swarm there are none, and
//     the longest run wins; a peerless run shorter than kMinPeerlessRun
//     pieces does not beat a longer one). PreferP2P takes only those, after giving the
//     swarm kSwarmGraceMs to connect, until it has sent nothing for
//     kSwarmIdleMs.
//  2. the free blocks of a piece started elsewhere (a peer that left or choked
//     us): without this a torrent fed by web seeds alone would stall. Never
//     blocks in another seed's run: it is streaming them.
//  3. endgame across kinds: blocks that peers or other seeds hold but have
//     not delivered. The seed races them; the first copy in wins and the
//     others are cancelled (cancelDuplicates, takeWebSeedBlock). PreferP2P
//     races only requests older than kPreferP2PRaceAfterMs.
// PreferCdn works from the peers' side (requestMore): they start no piece
// while a seed carries the download.
// A CDN seed (not the origin) stops at the task's cdnByteCap, counting the
// bytes other CDN seeds still have coming; its run is cut at the block that
// reaches the cap, so the cap is passed by less than a block per seed. The
// cap counts the task's CDN bytes of earlier runs (TaskContext), and a cap
// lowered while seeds fetch cancels their runs.
#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "engine/bt/TorrentTask.h"
#include "engine/util/Log.h"

namespace tributary::bt {
namespace {

// A run is about this long at the seed's rate.
constexpr std::uint64_t kRunMs = 1000;
// Before a seed has a rate (its first run, or after an idle spell).
constexpr std::uint64_t kFirstRunBytes = 4ull << 20;
constexpr std::uint64_t kMaxRunBytes = 64ull << 20;
// A peerless run shorter than this does not beat a longer run peers have
// too (one HTTP request per piece costs more than it saves).
constexpr std::uint32_t kMinPeerlessRun = 4;
// Runs looked at for the best one before settling.
constexpr int kRunCandidates = 64;
// PreferP2P: the swarm is given up on (seeds take anything) after this long
// without a block from any peer.
constexpr std::uint64_t kSwarmIdleMs = 10'000;
// PreferP2P: seeds wait this long after a start for the swarm to connect
// and say what it has (before that, every piece looks peerless).
constexpr std::uint64_t kSwarmGraceMs = 3'000;
// PreferP2P: a peer's request this old in endgame is raced by the seeds.
constexpr std::uint64_t kPreferP2PRaceAfterMs = 5'000;
// Otherwise, a request of a peer as fast as the seed is raced once it is
// late by the peer's own measure, and never sooner than this.
constexpr std::uint64_t kRaceAfterMs = 500;

// Rounded up to whole blocks; "no limit" (the maximum) stays as it is.
std::uint64_t blockCeil(std::uint64_t bytes) {
  const std::uint64_t block = core::PiecePicker::kBlockSize;
  return bytes > std::numeric_limits<std::uint64_t>::max() - block
             ? bytes
             : (bytes + block - 1) / block * block;
}

}  // namespace

void TorrentTask::setSourcePolicy(const SourcePolicy& policy) {
  const std::uint64_t oldCap = params_.sourcePolicy.cdnByteCap;
  const bool looser = policy.cdnByteCap == 0 || (oldCap != 0 && policy.cdnByteCap > oldCap);
  params_.sourcePolicy = policy;
  if (!looser && policy.cdnByteCap != oldCap) {
    // Runs in flight were sized to the old cap: they start again within the new.
    for (auto& seed : webSeeds_) {
      if (!seed->origin() && seed->fetching()) {
        seed->client().cancel();
        endWebSeedFetch(*seed);
      }
    }
  }
  TLOG(Info, "bt") << meta_->name << ": source preference " << static_cast<int>(policy.preference)
                   << ", CDN cap " << policy.cdnByteCap;
  runWebSeeds();
  for (auto& [key, peer] : peers_) {
    requestMore(peer);  // PreferCdn lifted: peers may start pieces again
  }
}

bool TorrentTask::swarmIdle(std::uint64_t now) const {
  return now - std::max(lastPeerBlockMs_, runningSinceMs_) >= kSwarmIdleMs;
}

std::uint64_t TorrentTask::cdnBytesLeft() const {
  const std::uint64_t cap = params_.sourcePolicy.cdnByteCap;
  if (cap == 0) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  std::uint64_t committed = context_.cdnBytesBefore + downloadedCdn_;
  for (const auto& seed : webSeeds_) {
    if (!seed->origin()) {
      committed += seed->bytesComing();
    }
  }
  return committed < cap ? cap - committed : 0;
}

bool TorrentTask::webSeedsCarry(std::uint64_t now) const {
  const bool memoryLeft = pieceMemory_ < pieceMemoryCap();
  return std::any_of(webSeeds_.begin(), webSeeds_.end(), [&](const auto& seed) {
    return !seed->dropped() && (seed->fetching() || (seed->ready(now) && memoryLeft)) &&
           (seed->origin() || cdnBytesLeft() > 0);
  });
}

bool TorrentTask::coveredByOtherSeed(const WebSeed& seed, std::uint32_t piece) const {
  return std::any_of(webSeeds_.begin(), webSeeds_.end(), [&](const auto& other) {
    return other.get() != &seed && other->covers(piece, geometry_.pieceLength);
  });
}

std::optional<WebSeed::Run> TorrentTask::claimBufferedSpan(WebSeed& seed, std::uint64_t budget) {
  for (const auto& [piece, buffer] : pieces_) {
    if (buffer.bytes.empty() || !needed_.test(piece) || picker_.isHashPending(piece) ||
        coveredByOtherSeed(seed, piece)) {
      continue;
    }
    if (auto run = claimBlockSpan(seed, piece, budget, /*race=*/false)) {
      return run;
    }
  }
  return std::nullopt;
}

std::optional<WebSeed::Run> TorrentTask::claimWebSeedRun(WebSeed& seed, std::uint64_t now,
                                                         bool overMemory) {
  const std::uint64_t budget =
      seed.origin() ? std::numeric_limits<std::uint64_t>::max() : blockCeil(cdnBytesLeft());
  if (budget == 0) {
    return std::nullopt;
  }
  if (auto run = claimBufferedSpan(seed, budget); run || overMemory) {
    return run;
  }
  const SourcePreference preference = params_.sourcePolicy.preference;
  if (preference == SourcePreference::PreferP2P && now - runningSinceMs_ < kSwarmGraceMs) {
    return std::nullopt;  // the tick asks again
  }
  const bool onlyPeerless = preference == SourcePreference::PreferP2P && !swarmIdle(now);
  const std::uint64_t rate = seed.rate(now);
  const std::uint64_t committed =
      std::uint64_t{picker_.startedPieceCount()} * geometry_.pieceLength;
  const std::uint64_t memoryShare = std::max<std::uint64_t>(
      geometry_.pieceLength, committed < pieceMemoryCap() ? (pieceMemoryCap() - committed) / 2 : 0);
  const std::uint64_t wanted =
      std::min({budget, memoryShare,
                rate == 0 ? kFirstRunBytes
                          : std::clamp<std::uint64_t>(rate * kRunMs / 1000, 1, kMaxRunBytes)});
  if (auto run = claimUntouchedRun(seed, wanted, onlyPeerless, preference)) {
    return run;
  }
  const auto peerless = [&](std::uint32_t piece) { return picker_.availability(piece) == 0; };
  for (std::size_t at = needed_.findFirstSet(0); at != util::Bitfield::npos;
       at = needed_.findFirstSet(at + 1)) {
    const auto piece = static_cast<std::uint32_t>(at);
    if (!picker_.isStarted(piece) || picker_.isHashPending(piece) ||
        (onlyPeerless && !peerless(piece)) || coveredByOtherSeed(seed, piece)) {
      continue;
    }
    if (auto run = claimBlockSpan(seed, piece, budget, /*race=*/false)) {
      return run;
    }
  }
  return claimRaceSpan(seed, now, budget, preference == SourcePreference::PreferP2P);
}

std::optional<WebSeed::Run> TorrentTask::claimUntouchedRun(WebSeed& seed, std::uint64_t wanted,
                                                           bool onlyPeerless,
                                                           SourcePreference preference) {
  const std::uint32_t length = geometry_.pieceLength;
  const auto maxPieces = static_cast<std::uint32_t>(
      std::clamp<std::uint64_t>((wanted + length - 1) / length, 1, geometry_.pieceCount));
  const bool preferPeerless = preference != SourcePreference::PreferCdn;
  std::optional<core::PieceRun> best;
  bool bestPeerless = false;
  const std::uint32_t minPeerless = onlyPeerless ? 1 : std::min(maxPieces, kMinPeerlessRun);
  const auto consider = [&](core::PieceRun run, bool peerless) {
    if (onlyPeerless && !peerless) {
      return;
    }
    peerless = peerless && run.count >= minPeerless;
    const bool better = !best || (preferPeerless && peerless && !bestPeerless) ||
                        ((peerless == bestPeerless || !preferPeerless) && run.count > best->count);
    if (better) {
      best = run;
      bestPeerless = peerless;
    }
  };
  std::uint32_t from = 0;
  for (int i = 0; i < kRunCandidates && from < geometry_.pieceCount; ++i) {
    const auto run = picker_.findUnrequestedRun(maxPieces, from);
    if (!run) {
      break;
    }
    from = run->first + run->count;
    if (!preferPeerless) {
      consider(*run, false);
    } else {
      // Cut where "some peer has it" changes: the parts are candidates.
      for (std::uint32_t p = run->first; p < from;) {
        const bool peerless = picker_.availability(p) == 0;
        std::uint32_t q = p + 1;
        while (q < from && (picker_.availability(q) == 0) == peerless) {
          ++q;
        }
        consider({p, q - p}, peerless);
        p = q;
      }
    }
    if (best && best->count == maxPieces && (bestPeerless || !preferPeerless)) {
      break;  // nothing beats it
    }
  }
  if (!best) {
    return std::nullopt;
  }
  WebSeed::Run run;
  run.begin = std::uint64_t{best->first} * length;
  run.end = std::min({std::uint64_t{best->first + best->count} * length, geometry_.totalLength,
                      run.begin + blockCeil(wanted)});
  for (std::uint64_t at = run.begin; at < run.end; at += core::PiecePicker::kBlockSize) {
    const auto piece = static_cast<std::uint32_t>(at / length);
    (void)picker_.markRequested(seed.key(), piece, static_cast<std::uint32_t>(at % length));
  }
  return run;
}

std::optional<WebSeed::Run> TorrentTask::claimBlockSpan(WebSeed& seed, std::uint32_t piece,
                                                        std::uint64_t budget, bool race) {
  // Blocks a peer has requested: a free-block span leaves them alone (they
  // would come twice for nothing); a race takes them.
  std::vector<bool> withPeers(picker_.blockCount(piece), false);
  if (!race) {
    for (const auto& [key, peer] : peers_) {
      for (const Outstanding& o : peer.requests) {
        if (o.block.piece == piece) {
          withPeers[o.block.offset / core::PiecePicker::kBlockSize] = true;
        }
      }
    }
  }
  const std::uint32_t size = geometry_.pieceSize(piece);
  std::optional<std::uint32_t> first;
  std::uint32_t end = 0;
  for (std::uint32_t offset = 0; offset < size; offset += core::PiecePicker::kBlockSize) {
    if (first && end - *first >= budget) {
      break;
    }
    if (!withPeers[offset / core::PiecePicker::kBlockSize] &&
        picker_.markRequested(seed.key(), piece, offset)) {
      first = first.value_or(offset);
      end = std::min(offset + core::PiecePicker::kBlockSize, size);
    } else if (first) {
      break;  // one contiguous span: one HTTP range
    }
  }
  if (!first) {
    return std::nullopt;
  }
  const std::uint64_t pieceBegin = std::uint64_t{piece} * geometry_.pieceLength;
  return WebSeed::Run{pieceBegin + *first, pieceBegin + end};
}

std::optional<WebSeed::Run> TorrentTask::claimRaceSpan(WebSeed& seed, std::uint64_t now,
                                                       std::uint64_t budget, bool patient) {
  // A peer's request is raced when the seed is clearly faster than the peer,
  // or when the request is late by the peer's own measure (twice its usual
  // request-to-block time): racing a fast peer only wastes the seed's bytes
  // and a request each time it loses. PreferP2P waits longer still.
  const std::uint64_t seedRate = seed.rate(now);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> stuck;  // (oldest request ms, piece)
  for (const auto& [key, peer] : peers_) {
    const std::uint64_t peerRate = peer.connection->downloadRate(now);
    const std::uint64_t lateAfterMs = patient ? kPreferP2PRaceAfterMs
                                      : (seedRate == 0 || seedRate > 2 * peerRate)
                                          ? 0
                                          : std::max<std::uint64_t>(2 * peer.rttMs, kRaceAfterMs);
    for (const Outstanding& o : peer.requests) {
      if (now - o.sentMs < lateAfterMs || !needed_.test(o.block.piece) ||
          picker_.isHashPending(o.block.piece)) {
        continue;
      }
      auto it = std::find_if(stuck.begin(), stuck.end(),
                             [&](const auto& entry) { return entry.second == o.block.piece; });
      if (it == stuck.end()) {
        stuck.emplace_back(o.sentMs, o.block.piece);
      } else {
        it->first = std::min(it->first, o.sentMs);
      }
    }
  }
  std::sort(stuck.begin(), stuck.end());
  for (const auto& [sentMs, piece] : stuck) {
    if (auto run = claimBlockSpan(seed, piece, budget, /*race=*/true)) {
      return run;
    }
  }
  if (patient && !swarmIdle(now)) {
    return std::nullopt;
  }
  // Another seed's run, when this one is faster: the slow one loses the race
  // block by block and gives the rest back (takeWebSeedBlock).
  for (const auto& other : webSeeds_) {
    if (other.get() == &seed || !other->fetching() ||
        (seedRate != 0 && seedRate <= 2 * other->rate(now))) {
      continue;
    }
    // From the far end of its run: the slow seed streams from the near end,
    // so the two meet late, and each block is fetched once until then.
    const auto piece = static_cast<std::uint32_t>((other->run()->end - 1) / geometry_.pieceLength);
    if (needed_.test(piece) && !picker_.isHashPending(piece)) {
      if (auto run = claimBlockSpan(seed, piece, budget, /*race=*/true)) {
        return run;
      }
    }
  }
  return std::nullopt;
}

}  // namespace tributary::bt
