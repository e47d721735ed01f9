// Test helper: the invariants every SegmentPlanner state must keep.
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

#include "engine/core/ByteRanges.h"
#include "engine/core/ByteRangesText.h"
#include "engine/http/SegmentPlanner.h"

namespace tributary::http::test {

// Empty when the state is sound; otherwise what is wrong. Checks that no byte is
// owned by two connections, that done, in-flight and unassigned are disjoint and
// together are exactly [0, total), and that the running totals agree.
inline QString checkPartition(const SegmentPlanner& p, std::uint64_t total) {
  const core::ByteRanges& done = p.done();
  const core::ByteRanges& unassigned = p.unassigned();
  core::ByteRanges all = done;
  std::uint64_t sum = done.coveredBytes() + unassigned.coveredBytes();
  for (const core::ByteRange r : unassigned) {
    if (done.intersects(r.begin, r.end)) {
      return QString("unassigned overlaps done at %1").arg(r.begin);
    }
  }
  all.add(unassigned);
  for (const InFlightRange& f : p.inFlight()) {
    if (f.next >= f.end) {
      return QString("connection %1 listed with nothing").arg(quint64(f.connection));
    }
    if (all.intersects(f.next, f.end)) {
      return QString("in-flight [%1,%2) of connection %3 overlaps another owner")
          .arg(f.next)
          .arg(f.end)
          .arg(quint64(f.connection));
    }
    all.add(f.next, f.end);
    sum += f.end - f.next;
  }
  if (sum != total || all.coveredBytes() != total ||
      (total > 0 && !(all.rangeCount() == 1 && all.first()->begin == 0))) {
    return QString("partition covers %1 of %2 bytes: %3")
        .arg(sum)
        .arg(total)
        .arg(QString::fromStdString(core::formatByteRanges(all)));
  }
  if (p.inFlightBytes() + done.coveredBytes() + unassigned.coveredBytes() != total) {
    return QString("inFlightBytes() disagrees");
  }
  return {};
}

}  // namespace tributary::http::test
