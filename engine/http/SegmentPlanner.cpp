#include "engine/http/SegmentPlanner.h"

#include <algorithm>
#include <tuple>
#include <utility>

namespace tributary::http {

SegmentPlanner::SegmentPlanner(std::uint64_t total, core::ByteRanges done,
                               SegmentPlannerConfig config)
    : config_(config), total_(total), done_(std::move(done)) {
  config_.connections = std::max(1u, config_.connections);
  // Bounded so that 2 × minSegment cannot overflow.
  config_.minSegment = std::clamp<std::uint64_t>(config_.minSegment, 1, kUnknownEnd / 4);
  config_.stealClosenessPercent = std::min(100u, config_.stealClosenessPercent);
  done_.subtract(total, kUnknownEnd);
  unassigned_ = done_.gaps(total);
  const std::uint64_t remaining = unassigned_.coveredBytes();
  const std::uint64_t n = config_.connections;
  pieceSize_ = std::max(config_.minSegment, remaining / n + (remaining % n != 0 ? 1 : 0));
}

SegmentPlanner SegmentPlanner::singleConnection(std::optional<std::uint64_t> total) {
  SegmentPlanner planner;
  planner.single_ = true;
  planner.config_.connections = 1;
  planner.total_ = total;
  planner.pieceSize_ = total.value_or(kUnknownEnd);
  if (planner.pieceSize_ > 0) {
    planner.unassigned_.add(0, planner.pieceSize_);
  }
  return planner;
}

std::optional<Assignment> SegmentPlanner::assign(ConnectionId connection, SourceId source) {
  Slot& slot = slots_[connection];
  slot.source = source;
  if (slot.owns()) {
    giveBack(slot);
  }
  if (single_) {
    return assignSingle(slot);
  }
  if (auto piece = takeUnassigned(slot)) {
    return piece;
  }
  return steal(connection, slot);
}

std::optional<Assignment> SegmentPlanner::assignSingle(Slot& slot) {
  // Only one connection at a time, and the one range is all of the file.
  if (finished() || unassigned_.empty()) {
    return std::nullopt;
  }
  const core::ByteRange whole = *unassigned_.first();
  unassigned_.clear();
  slot.next = whole.begin;
  slot.end = whole.end;
  return Assignment{whole.begin, whole.end, std::nullopt};
}

std::optional<Assignment> SegmentPlanner::takeUnassigned(Slot& slot) {
  const std::optional<core::ByteRange> gap = unassigned_.first();
  if (!gap) {
    return std::nullopt;
  }
  std::uint64_t end = gap->end;
  // Cut a piece off the front unless what would be left is a runt.
  if (gap->size() > pieceSize_ && gap->size() - pieceSize_ >= config_.minSegment) {
    end = gap->begin + pieceSize_;
  }
  unassigned_.subtract(gap->begin, end);
  slot.next = gap->begin;
  slot.end = end;
  return Assignment{gap->begin, end, std::nullopt};
}

std::map<ConnectionId, SegmentPlanner::Slot>::iterator SegmentPlanner::pickVictim(
    ConnectionId thief) {
  std::uint64_t largest = 0;
  for (const auto& [id, s] : slots_) {
    if (id != thief && s.owns()) {
      largest = std::max(largest, s.end - s.next);
    }
  }
  // Both halves are at least minSegment: the thief gets the floor half.
  if (largest / 2 < config_.minSegment) {
    return slots_.end();
  }
  const std::uint64_t slack = largest / 100 * config_.stealClosenessPercent +
                              largest % 100 * config_.stealClosenessPercent / 100;
  const std::uint64_t threshold = std::max(largest - slack, 2 * config_.minSegment);
  auto best = slots_.end();
  for (auto it = slots_.begin(); it != slots_.end(); ++it) {
    const Slot& s = it->second;
    if (it->first == thief || !s.owns() || s.end - s.next < threshold) {
      continue;
    }
    // Slowest first; then the larger remainder; ties go to the lower id (map order).
    if (best == slots_.end() ||
        std::make_tuple(s.rate, ~(s.end - s.next)) <
            std::make_tuple(best->second.rate, ~(best->second.end - best->second.next))) {
      best = it;
    }
  }
  return best;
}

std::optional<Assignment> SegmentPlanner::steal(ConnectionId thief, Slot& slot) {
  auto victim = pickVictim(thief);
  if (victim == slots_.end()) {
    return std::nullopt;
  }
  Slot& v = victim->second;
  const std::uint64_t stolen = (v.end - v.next) / 2;
  const std::uint64_t oldEnd = v.end;
  v.end -= stolen;
  slot.next = v.end;
  slot.end = oldEnd;
  return Assignment{slot.next, slot.end, victim->first};
}

SegmentProgress SegmentPlanner::progress(ConnectionId connection, std::uint64_t bytes) {
  auto it = slots_.find(connection);
  if (it == slots_.end()) {
    return {0, 0, true};
  }
  Slot& s = it->second;
  const std::uint64_t accepted = std::min(bytes, s.end - s.next);
  if (accepted > 0) {
    done_.add(s.next, s.next + accepted);
    s.next += accepted;
  }
  return {accepted, s.end, !s.owns()};
}

void SegmentPlanner::giveBack(Slot& slot) {
  if (single_) {
    // Without Range the next attempt starts from byte 0: what landed will be rewritten.
    done_.clear();
    unassigned_.clear();
    const std::uint64_t whole = total_.value_or(kUnknownEnd);
    if (whole > 0) {
      unassigned_.add(0, whole);
    }
  } else if (slot.owns()) {
    unassigned_.add(slot.next, slot.end);
  }
  slot.end = slot.next;
}

std::uint64_t SegmentPlanner::release(ConnectionId connection) {
  auto it = slots_.find(connection);
  if (it == slots_.end()) {
    return 0;
  }
  const bool owned = it->second.owns();
  const std::uint64_t returned = it->second.end - it->second.next;
  if (owned && !finished()) {
    giveBack(it->second);
  }
  slots_.erase(it);
  return owned ? returned : 0;
}

std::vector<ConnectionId> SegmentPlanner::releaseSource(SourceId source) {
  std::vector<ConnectionId> dropped;
  for (const auto& [id, s] : slots_) {
    if (s.source == source) {
      dropped.push_back(id);
    }
  }
  for (ConnectionId id : dropped) {
    release(id);
  }
  return dropped;
}

void SegmentPlanner::setRate(ConnectionId connection, std::uint64_t bytesPerSecond) {
  if (auto it = slots_.find(connection); it != slots_.end()) {
    it->second.rate = bytesPerSecond;
  }
}

std::optional<std::uint64_t> SegmentPlanner::currentEnd(ConnectionId connection) const {
  if (auto it = slots_.find(connection); it != slots_.end()) {
    return it->second.end;
  }
  return std::nullopt;
}

bool SegmentPlanner::endOfStream(ConnectionId connection) {
  auto it = slots_.find(connection);
  if (it == slots_.end()) {
    return false;
  }
  Slot& s = it->second;
  if (single_ && !total_ && s.end == kUnknownEnd) {
    total_ = s.next;
    s.end = s.next;
    streamEnded_ = true;
    return true;
  }
  return !s.owns();
}

bool SegmentPlanner::finished() const noexcept {
  return streamEnded_ || (total_ && done_.coveredBytes() == *total_);
}

std::vector<InFlightRange> SegmentPlanner::inFlight() const {
  std::vector<InFlightRange> out;
  for (const auto& [id, s] : slots_) {
    if (s.owns()) {
      out.push_back({id, s.source, s.next, s.end});
    }
  }
  return out;
}

std::uint64_t SegmentPlanner::inFlightBytes() const {
  std::uint64_t sum = 0;
  for (const auto& [id, s] : slots_) {
    sum += s.end - s.next;
  }
  return sum;
}

std::size_t SegmentPlanner::busyConnections() const {
  return static_cast<std::size_t>(
      std::count_if(slots_.begin(), slots_.end(), [](const auto& e) { return e.second.owns(); }));
}

}  // namespace tributary::http
