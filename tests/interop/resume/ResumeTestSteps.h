// Steps the torrent resume tests share, and the tests of a task stopped by a
// fault (a full disk, a read-only folder) that Resume must finish: the
// engine's state kept in a folder; the fixture's seeder and its add
// parameters; the fixture downloaded once from a seeder with that state, the
// engine then stopped; a task's failure awaited; a failed task resumed to
// completion. A failed step fails the calling test (QTest::currentTestFailed).
#pragma once

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>

#include "../bt_download/TorrentFixture.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"

namespace tributary::test {

// An engine configuration keeping its state in `state`/st.
inline std::function<void(EngineConfig&)> keepStateIn(const QTemporaryDir& state) {
  return
      [dir = state.filePath("st").toStdString()](EngineConfig& config) { config.stateDir = dir; };
}

// A seeder of the fixture's content, sending at most `uploadLimit` bytes/s (0: no limit).
inline LibtorrentPeerOptions seederOf(const TorrentFixture& fixture, qint64 uploadLimit = 0) {
  LibtorrentPeerOptions options;
  options.torrentFile = fixture.torrentFile();
  options.dataDir = fixture.contentParent();
  options.uploadLimit = uploadLimit;
  return options;
}

// The fixture's torrent, saved under `out`, from the peer at `seeder` ("127.0.0.1:PORT").
inline AddParams torrentInto(const TorrentFixture& fixture, const QString& out,
                             const QString& seeder) {
  AddParams params;
  params.source = fixture.torrentFile().toStdString();
  params.saveDir = out.toStdString();
  params.peers = {seeder.toStdString()};
  return params;
}

inline void downloadOnce(const TorrentFixture& fixture,
                         const std::function<void(EngineConfig&)>& keepState, const QString& out,
                         const QString& seeder) {
  EngineSession session(keepState);
  const TaskId id = session.add(torrentInto(fixture, out, seeder));
  auto end = session.waitForEnd(id, std::chrono::seconds(120));
  QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
  session.stop();
}

// Waits up to `deadline` for task `id` to stop with `error` (completing
// instead fails the test), and returns its settled snapshot, which must say
// the same.
inline TaskSnapshot waitForFailure(EngineSession& session, TaskId id, ErrorCode error,
                                   std::chrono::milliseconds deadline) {
  TaskSnapshot settled;
  [&] {
    const auto end =
        session.waitForEvent(id, {Event::Kind::Failed, Event::Kind::Completed}, deadline);
    QVERIFY2(end, "neither failed nor completed in time");
    QVERIFY2(end->kind == Event::Kind::Failed, "completed where it could only fail");
    QVERIFY2(end->error == error, end->message.c_str());
    settled = session.settledSnapshot(id);
    QCOMPARE(settled.state, TaskState::Failed);
    QCOMPARE(settled.error, error);
  }();
  return settled;
}

// Resumes task `id`, stopped as `atFailure` shows it, once the fault is gone,
// and waits up to `deadline` for it to complete without failing again. What
// it had verified is never lost on the way (no reset to 0 and download
// again); `verify` must then find the files right (it returns empty), and
// the task may fetch again at most `slack` bytes of what it had verified.
inline void resumeToCompletion(EngineSession& session, TaskId id, const TaskSnapshot& atFailure,
                               std::chrono::milliseconds deadline, std::uint64_t slack,
                               const std::function<QString()>& verify) {
  const int failures = session.eventCount(id, Event::Kind::Failed);
  session.engine().resume(id);
  std::uint64_t leastVerified = atFailure.verifiedBytes;
  std::optional<Event> done;
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done && session.eventCount(id, Event::Kind::Failed) == failures &&
         std::chrono::steady_clock::now() < until) {
    done = session.waitForEvent(id, {Event::Kind::Completed}, std::chrono::milliseconds(50));
    leastVerified = std::min(leastVerified, session.latest(id).verifiedBytes);
  }
  QVERIFY2(done, qPrintable("not completed after the resume: " +
                            QString::fromStdString(session.latest(id).errorDetail)));
  QCOMPARE(leastVerified, atFailure.verifiedBytes);
  QCOMPARE(verify(), QString());
  const TaskSnapshot end = session.settledSnapshot(id);
  const std::uint64_t again = end.traffic.downloaded() - atFailure.traffic.downloaded();
  QVERIFY2(again + atFailure.verifiedBytes <= end.totalBytes + slack,
           qPrintable(QString("fetched %1 after the resume, %2 verified before, %3 in all")
                          .arg(again)
                          .arg(atFailure.verifiedBytes)
                          .arg(end.totalBytes)));
}

}  // namespace tributary::test
