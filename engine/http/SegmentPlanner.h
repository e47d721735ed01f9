// Internal: decides which connection downloads which bytes of one segmented HTTP
// task. Pure logic: no sockets, no clock, no I/O; the downloader tells it what
// happened and asks it what to do next. Owned by the task's loop (not thread-safe).
//
// The byte space [0, total) is always split three ways, disjointly:
//   done        bytes that landed (progress()), plus what the resume file said;
//   in flight   [next, end) of each connection that owns a range;
//   unassigned  nobody's yet (never handed out, or given back by release()).
//
// Segmented mode (the server answered 206 and gave a length):
// * The initial split cuts the remaining gaps into pieces of
//   max(minSegment, ceil(remaining / connections)); a fresh connection takes the
//   next unassigned piece, lowest offset first. A gap smaller than the minimum (a
//   hole left by a resume) is taken whole, and a piece never leaves a runt smaller
//   than the minimum behind it in its gap.
// * Work stealing: when nothing is unassigned, assign() takes the upper half of the
//   largest remaining in-flight range, so the slow tail does not decide the finish
//   time. The half must be at least minSegment; smaller tails are left to their
//   owners and assign() returns nullopt. The owner ("victim") keeps the lower half
//   and its end moves down: see Assignment::stolenFrom.
// * Slow victims first: among the ranges whose remaining size is within
//   `stealClosenessPercent` of the largest, the one whose connection reported the
//   lowest rate (setRate) is split, as its tail is the one that would finish last.
//   A connection that has reported no rate counts as the slowest (it may not have
//   delivered a byte yet). With 0 % only the largest range is considered.
// * Choosing between sources by speed is the caller's job: it calls assign() when a
//   connection of a fast source frees up, and simply does not for a slow one.
//
// Single-connection mode (no Range support: 200 instead of 206, or no length):
// exactly one assignment at a time, [0, total) or [0, kUnknownEnd). A failure
// cannot be resumed mid-file, so release() forgets what landed and the next
// assignment starts again at 0.
//
// Costs: O(log s) in the number of ranges for the unassigned/done bookkeeping plus
// O(c) in the number of connections for a steal; never proportional to bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include "engine/core/ByteRanges.h"

namespace tributary::http {

// Opaque ids chosen by the caller; the planner only compares them.
enum class ConnectionId : std::uint64_t {};
enum class SourceId : std::uint32_t {};

struct SegmentPlannerConfig {
  unsigned connections = 8;                // N of the initial split
  std::uint64_t minSegment = 1024 * 1024;  // no piece or stolen half below this
  unsigned stealClosenessPercent = 25;     // see "Slow victims first" above
};

struct Assignment {
  static constexpr std::uint64_t kUnknownEnd = std::numeric_limits<std::uint64_t>::max();

  std::uint64_t begin = 0;
  std::uint64_t end = 0;  // exclusive; kUnknownEnd when the size is unknown
  // Set when the range was stolen: that connection's end is now `begin`. It must stop
  // handing bytes over at its new end (progress() drops the excess anyway). Its
  // HTTP/1.1 request still asks for the old end, and the response cannot be cut
  // short, so the connection closes the socket when it reaches the new end instead
  // of draining: the excess is at least minSegment (1 MiB), more than a reconnect
  // costs. Each assignment is one Range request, so a steal costs its victim at most
  // one reconnect.
  std::optional<ConnectionId> stolenFrom;

  std::uint64_t size() const noexcept { return end - begin; }
};

struct SegmentProgress {
  // The bytes of this delivery that belong to the connection. Fewer than delivered
  // when its range was stolen: the rest now belong to another connection and must not
  // be written.
  std::uint64_t accepted = 0;
  std::uint64_t end = 0;   // the connection's current end
  bool rangeDone = false;  // nothing left to read: ask assign() for more, or release()
};

struct InFlightRange {
  ConnectionId connection{};
  SourceId source{};
  std::uint64_t next = 0;  // the next byte expected
  std::uint64_t end = 0;   // exclusive
  friend bool operator==(const InFlightRange&, const InFlightRange&) = default;
};

class SegmentPlanner {
 public:
  static constexpr std::uint64_t kUnknownEnd = Assignment::kUnknownEnd;

  // Segmented mode for a file of `total` bytes whose `done` ranges are already on
  // disk (from the resume file; ranges past `total` are ignored).
  SegmentPlanner(std::uint64_t total, core::ByteRanges done, SegmentPlannerConfig config = {});
  // Single-connection mode, for servers without Range support or without a length.
  static SegmentPlanner singleConnection(std::optional<std::uint64_t> total);

  // The next range for `connection` of `source`. A connection that still owns a range
  // gives its unfinished part back first. nullopt when nothing worthwhile is left:
  // everything is done or in flight in pieces too small to split. Ask again after a
  // release(): given-back bytes are only handed out by assign().
  std::optional<Assignment> assign(ConnectionId connection, SourceId source);

  // `bytes` landed, in order, from the connection's next byte on.
  SegmentProgress progress(ConnectionId connection, std::uint64_t bytes);

  // The connection closed or failed: its unfinished part becomes unassigned and the
  // planner forgets it. Returns the bytes given back.
  std::uint64_t release(ConnectionId connection);
  // The source failed and is dropped for this task: releases each of its
  // connections, and returns them so the caller can close them.
  std::vector<ConnectionId> releaseSource(SourceId source);

  // The connection's download rate (bytes/s), used to pick a slow victim to steal from.
  void setRate(ConnectionId connection, std::uint64_t bytesPerSecond);

  // Where the connection must stop reading now (it moves down when it is stolen
  // from); nullopt for a connection the planner does not know.
  std::optional<std::uint64_t> currentEnd(ConnectionId connection) const;

  // Single-connection mode with an unknown size: the body ended cleanly, so the file
  // is as long as what landed. With a known size it returns whether all of it landed
  // (false means a short body: release() the connection and retry).
  bool endOfStream(ConnectionId connection);

  bool finished() const noexcept;
  bool singleConnectionMode() const noexcept { return single_; }
  std::optional<std::uint64_t> total() const noexcept { return total_; }
  // The piece size of the initial split.
  std::uint64_t pieceSize() const noexcept { return pieceSize_; }
  const SegmentPlannerConfig& config() const noexcept { return config_; }

  const core::ByteRanges& done() const noexcept { return done_; }
  const core::ByteRanges& unassigned() const noexcept { return unassigned_; }
  // The ranges connections own now, by connection id.
  std::vector<InFlightRange> inFlight() const;
  std::uint64_t inFlightBytes() const;
  // Connections that own a range.
  std::size_t busyConnections() const;

 private:
  struct Slot {
    SourceId source{};
    std::uint64_t next = 0;
    std::uint64_t end = 0;   // next == end: the connection owns nothing
    std::uint64_t rate = 0;  // bytes/s, 0 while unknown
    bool owns() const noexcept { return next < end; }
  };

  SegmentPlanner() = default;
  std::optional<Assignment> assignSingle(Slot& slot);
  std::optional<Assignment> takeUnassigned(Slot& slot);
  std::optional<Assignment> steal(ConnectionId thief, Slot& slot);
  // The connection to split, or end() when no range is worth splitting.
  std::map<ConnectionId, Slot>::iterator pickVictim(ConnectionId thief);
  void giveBack(Slot& slot);

  SegmentPlannerConfig config_;
  bool single_ = false;
  bool streamEnded_ = false;
  std::optional<std::uint64_t> total_;
  std::uint64_t pieceSize_ = 0;
  core::ByteRanges done_;
  core::ByteRanges unassigned_;
  std::map<ConnectionId, Slot> slots_;  // every connection seen since its last release()
};

}  // namespace tributary::http
