// A seeded randomized simulation of a segmented download: connections of several
// sources read at different speeds, fail, get replaced, whole sources drop out, and
// ranges are stolen. After every step the planner's state must be a clean partition
// of the file, and every download must finish.
#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <vector>

#include "engine/http/SegmentPlanner.h"
#include "unit/segments/PlannerChecks.h"

using namespace tributary;
using namespace tributary::http;
using tributary::core::ByteRange;
using tributary::core::ByteRanges;
using tributary::http::test::checkPartition;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr int kSteps = 10'000;

struct SimConnection {
  SourceId source{};
  std::uint64_t speed = 0;  // bytes a step at most
};

class Simulation {
 public:
  explicit Simulation(std::uint64_t seed) : rng_(seed) {}

  // Runs kSteps steps; returns the first problem found, or an empty string.
  QString run() {
    newRound();
    for (step_ = 0; step_ < kSteps; ++step_) {
      QString problem = stepOnce();
      if (problem.isEmpty()) {
        problem = checkPartition(*planner_, total_);
      }
      if (problem.isEmpty()) {
        problem = checkDoneGrows();
      }
      if (!problem.isEmpty()) {
        return QString("round %1 step %2 (total %3): %4")
            .arg(rounds_)
            .arg(step_)
            .arg(total_)
            .arg(problem);
      }
      if (planner_->finished()) {
        if (QString p = checkFinished(); !p.isEmpty()) {
          return p;
        }
        ++finishedRounds_;
        newRound();
      }
    }
    return finishLastRound();
  }

  int finishedRounds() const { return finishedRounds_; }
  int steals() const { return steals_; }
  int failures() const { return failures_; }
  int droppedSources() const { return droppedSources_; }

 private:
  std::uint64_t pick(std::uint64_t lo, std::uint64_t hi) {  // inclusive
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng_);
  }
  bool chance(int percent) { return static_cast<int>(pick(0, 99)) < percent; }

  void newRound() {
    ++rounds_;
    const int kind = static_cast<int>(pick(0, 9));
    total_ = kind < 4   ? pick(1, 8 * kMiB)
             : kind < 8 ? pick(8 * kMiB, 512 * kMiB)
                        : pick(512 * kMiB, 3072 * kMiB);
    config_ = {.connections = static_cast<unsigned>(pick(1, 12)),
               .minSegment = chance(70) ? kMiB : pick(1, 4 * kMiB),
               .stealClosenessPercent = static_cast<unsigned>(pick(0, 60))};
    single_ = chance(10);
    if (single_) {
      planner_.emplace(SegmentPlanner::singleConnection(total_));
    } else {
      ByteRanges done;  // a resume: some random ranges already on disk
      if (chance(50)) {
        const int n = static_cast<int>(pick(1, 20));
        for (int i = 0; i < n; ++i) {
          const std::uint64_t b = pick(0, total_ - 1);
          done.add(b, std::min(total_, b + pick(1, total_ / 4 + 1)));
        }
      }
      planner_.emplace(total_, done, config_);
    }
    previousDone_ = planner_->done();
    connections_.clear();
    sources_.clear();
    const std::uint32_t sourceCount = static_cast<std::uint32_t>(pick(1, 3));
    for (std::uint32_t s = 1; s <= sourceCount; ++s) {
      sources_.insert(SourceId{s});
    }
    for (unsigned i = 0; i < config_.connections; ++i) {
      addConnection();
    }
  }

  void addConnection() {
    const auto it = std::next(sources_.begin(), static_cast<long>(pick(0, sources_.size() - 1)));
    connections_[ConnectionId{++nextConnection_}] = {*it, pick(16 * 1024, 16 * kMiB)};
  }

  std::optional<InFlightRange> owned(ConnectionId id) const {
    for (const InFlightRange& f : planner_->inFlight()) {
      if (f.connection == id) {
        return f;
      }
    }
    return std::nullopt;
  }

  ConnectionId anyConnection() {
    return std::next(connections_.begin(), static_cast<long>(pick(0, connections_.size() - 1)))
        ->first;
  }

  QString stepOnce() {
    const int action = static_cast<int>(pick(0, 99));
    if (action < 65) {
      return doProgress();
    }
    if (action < 88) {
      return doAssign(anyConnection());
    }
    if (action < 96) {
      return doFail();
    }
    if (action < 98) {
      planner_->setRate(anyConnection(), pick(0, 50'000'000));
      return {};
    }
    return doDropSource();
  }

  QString doProgress() {
    const std::vector<InFlightRange> busy = planner_->inFlight();
    if (busy.empty()) {
      return doAssign(anyConnection());
    }
    const InFlightRange f = busy[pick(0, busy.size() - 1)];
    const SimConnection& c = connections_.at(f.connection);
    // Sometimes deliver past the end, as a victim does before it learns of a steal.
    const std::uint64_t bytes = chance(10) ? f.end - f.next + pick(1, 2 * kMiB) : pick(0, c.speed);
    const SegmentProgress sp = planner_->progress(f.connection, bytes);
    const std::uint64_t expected = std::min(bytes, f.end - f.next);
    if (sp.accepted != expected || sp.end != f.end ||
        sp.rangeDone != (f.next + expected == f.end)) {
      return QString("progress accepted %1 of %2 (expected %3)")
          .arg(sp.accepted)
          .arg(bytes)
          .arg(expected);
    }
    if (sp.rangeDone && chance(80)) {
      return doAssign(f.connection);
    }
    return {};
  }

  QString doAssign(ConnectionId id) {
    const SimConnection& c = connections_.at(id);
    const std::optional<InFlightRange> mine = owned(id);
    const ByteRanges unassignedBefore = planner_->unassigned();
    const std::vector<InFlightRange> busyBefore = planner_->inFlight();
    const std::optional<Assignment> a = planner_->assign(id, c.source);
    const std::uint64_t minSeg = config_.minSegment;
    ByteRanges freeBefore = unassignedBefore;
    if (mine && !single_) {
      freeBefore.add(mine->next, mine->end);  // it gave its own part back first
    }
    if (single_) {
      previousDone_ = planner_->done();  // re-asking starts over from byte 0
      const bool othersBusy =
          std::any_of(busyBefore.begin(), busyBefore.end(),
                      [&](const InFlightRange& f) { return f.connection != id; });
      if (a.has_value() == (othersBusy || planner_->finished()) ||
          (a && (a->begin != 0 || a->end != total_))) {
        return "single-connection mode broke its one-range rule";
      }
      return {};
    }
    if (!a) {
      if (!freeBefore.empty()) {
        return "nullopt while bytes were unassigned";
      }
      for (const InFlightRange& f : busyBefore) {
        if (f.connection != id && (f.end - f.next) / 2 >= minSeg) {
          return QString("nullopt while connection %1 had %2 bytes to split")
              .arg(quint64(f.connection))
              .arg(f.end - f.next);
        }
      }
      return {};
    }
    if (!a->stolenFrom) {
      const ByteRange first = *freeBefore.first();
      if (a->begin != first.begin || a->end > first.end) {
        return "a fresh assignment is not the front of the first gap";
      }
      if (a->size() < minSeg && a->end != first.end) {
        return "a piece under the minimum that is not a whole gap";
      }
      if (a->end != first.end && first.end - a->end < minSeg) {
        return "a piece left a runt under the minimum";
      }
      return {};
    }
    ++steals_;
    if (!freeBefore.empty()) {
      return "stole while bytes were unassigned";
    }
    const auto victim =
        std::find_if(busyBefore.begin(), busyBefore.end(),
                     [&](const InFlightRange& f) { return f.connection == *a->stolenFrom; });
    if (victim == busyBefore.end() || victim->connection == id || a->end != victim->end) {
      return "stole from a connection that did not own the upper part";
    }
    if (a->size() < minSeg || a->begin - victim->next < minSeg) {
      return QString("a steal split %1 bytes below the minimum").arg(victim->end - victim->next);
    }
    if (planner_->currentEnd(victim->connection) != a->begin) {
      return "the victim's end did not move to the thief's begin";
    }
    return {};
  }

  QString doFail() {
    const ConnectionId id = anyConnection();
    const std::optional<InFlightRange> mine = owned(id);
    const std::uint64_t returned = planner_->release(id);
    if (returned != (mine ? mine->end - mine->next : 0)) {
      return "release() returned the wrong count";
    }
    if (planner_->currentEnd(id)) {
      return "a released connection is still known";
    }
    if (single_) {
      previousDone_ = planner_->done();  // starting over is the fallback's rule
    }
    ++failures_;
    connections_.erase(id);
    addConnection();
    return {};
  }

  QString doDropSource() {
    if (sources_.size() < 2) {
      return {};
    }
    const SourceId gone =
        *std::next(sources_.begin(), static_cast<long>(pick(0, sources_.size() - 1)));
    std::vector<ConnectionId> expected;
    for (const auto& [id, c] : connections_) {
      if (c.source == gone) {
        expected.push_back(id);
      }
    }
    const std::vector<ConnectionId> dropped = planner_->releaseSource(gone);
    // Connections that never asked for a range are unknown to the planner.
    for (ConnectionId id : dropped) {
      if (std::find(expected.begin(), expected.end(), id) == expected.end()) {
        return "releaseSource() dropped a connection of another source";
      }
    }
    for (const InFlightRange& f : planner_->inFlight()) {
      if (f.source == gone) {
        return "a dropped source still owns bytes";
      }
    }
    if (single_) {
      previousDone_ = planner_->done();
    }
    ++droppedSources_;
    sources_.erase(gone);
    for (ConnectionId id : expected) {
      connections_.erase(id);
      addConnection();
    }
    return {};
  }

  QString checkDoneGrows() {
    const ByteRanges& done = planner_->done();
    for (const ByteRange r : previousDone_) {
      if (!done.containsAll(r.begin, r.end)) {
        return "a byte once done is no longer done";
      }
    }
    previousDone_ = done;
    return {};
  }

  QString checkFinished() {
    if (planner_->done().toVector() != std::vector<ByteRange>{{0, total_}} ||
        planner_->busyConnections() != 0 || !planner_->unassigned().empty()) {
      return QString("finished but not whole (round %1)").arg(rounds_);
    }
    if (planner_->assign(anyConnection(), *sources_.begin())) {
      return "an assignment after the end";
    }
    return {};
  }

  // The last round is driven to its end: connections read and ask again, bounded.
  QString finishLastRound() {
    for (int i = 0; i < 1'000'000 && !planner_->finished(); ++i) {
      QString problem = chance(80) ? doProgress() : doAssign(anyConnection());
      if (problem.isEmpty()) {
        problem = checkPartition(*planner_, total_);
      }
      if (!problem.isEmpty()) {
        return "last round: " + problem;
      }
    }
    if (!planner_->finished()) {
      return "the last round never finished";
    }
    ++finishedRounds_;
    return checkFinished();
  }

  std::mt19937_64 rng_;
  std::optional<SegmentPlanner> planner_;
  SegmentPlannerConfig config_;
  bool single_ = false;
  std::uint64_t total_ = 0;
  ByteRanges previousDone_;
  std::map<ConnectionId, SimConnection> connections_;
  std::set<SourceId> sources_;
  std::uint64_t nextConnection_ = 0;
  int step_ = 0;
  int rounds_ = 0;
  int finishedRounds_ = 0;
  int steals_ = 0;
  int failures_ = 0;
  int droppedSources_ = 0;
};

}  // namespace

class TstSegmentSimulation : public QObject {
  Q_OBJECT
 private slots:
  void randomizedRunsKeepTheInvariants_data() {
    QTest::addColumn<quint64>("seed");
    QTest::newRow("seed 1") << quint64{1};
    QTest::newRow("seed 20240611") << quint64{20240611};
    QTest::newRow("seed 0xC0FFEE") << quint64{0xC0FFEE};
  }

  void randomizedRunsKeepTheInvariants() {
    QFETCH(quint64, seed);
    Simulation sim(seed);
    const QString problem = sim.run();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // The simulation did exercise what it is about.
    QVERIFY2(sim.finishedRounds() >= 5, qPrintable(QString::number(sim.finishedRounds())));
    QVERIFY(sim.steals() >= 20);
    QVERIFY(sim.failures() >= 20);
    QVERIFY(sim.droppedSources() >= 1);
    qInfo("%d downloads finished, %d steals, %d failures, %d sources dropped", sim.finishedRounds(),
          sim.steals(), sim.failures(), sim.droppedSources());
  }
};

QTEST_GUILESS_MAIN(TstSegmentSimulation)
#include "tst_segment_simulation.moc"
