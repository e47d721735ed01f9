// Internal: the engine's traffic across runs (EngineStats::totalTraffic and
// trafficDays): all-time totals by kind, and the bytes of each local day for
// the last kTrafficHistoryDays. Plain data and its file format; SnapshotHub
// counts into it, SessionKeeper keeps it in stateDir/traffic.state.
//
// The file is bencode between a header line and a checksum line
// (storage/SealedFile.h), written atomically like session.state:
//
//   tributary-traffic 1
//   d4:daysli20000ei1ei2ei3ei4eee...5:totald2:bti1e...ee
//   crc32 ...
//
// It is read as hostile input: a damaged, truncated or newer file is refused
// whole (the engine then starts an empty history), and a day record that
// makes no sense is skipped.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"
#include "engine/api/Types.h"
#include "engine/storage/FileIo.h"

namespace tributary::session {

inline constexpr unsigned kTrafficHistoryVersion = 1;
inline constexpr std::size_t kMaxTrafficHistoryBytes = 1u << 20;
// Days kept at most, whatever the clock did: days after "today" (a clock
// that was ahead once) are kept until then, but never more than this many.
inline constexpr std::size_t kMaxTrafficHistoryEntries = 4 * kTrafficHistoryDays;

class TrafficHistory {
 public:
  // Adds `bytes` to the totals and to `day` (days since 1970-01-01).
  void add(const TrafficCounters& bytes, std::int32_t day);
  // Forgets the days before the kTrafficHistoryDays that end at `today`.
  // Later days stay: they were counted under a clock that ran ahead, and
  // dropping them on the word of one clock reading could lose them all.
  void prune(std::int32_t today);
  // Adds everything `other` holds (an earlier run's file) to this history.
  void merge(const TrafficHistory& other);

  const TrafficCounters& total() const { return total_; }
  // The kTrafficHistoryDays ending at `today` that carried traffic, oldest first.
  std::vector<TrafficDay> window(std::int32_t today) const;
  std::size_t dayCount() const { return days_.size(); }
  bool operator==(const TrafficHistory&) const = default;

  std::string encode() const;
  static Result<TrafficHistory> decode(std::string_view bytes);

 private:
  void capEntries();

  TrafficCounters total_;
  std::map<std::int32_t, TrafficCounters> days_;
};

// Reads `path`; a missing file is an empty history, and so (logged) is one
// that cannot be read or is damaged: the engine starts either way.
TrafficHistory readTrafficHistoryFile(storage::FileIo& io, const std::string& path);

// The local calendar date of a Unix time, as days since 1970-01-01.
std::int32_t localDayOf(std::int64_t unixSeconds);

}  // namespace tributary::session
