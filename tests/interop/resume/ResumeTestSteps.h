// Steps the torrent resume tests share: the engine's state kept in a folder,
// and the fixture downloaded once from a seeder with that state, the engine
// then stopped. A failed step fails the calling test (QTest::currentTestFailed).
#pragma once

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <functional>

#include "../bt_download/TorrentFixture.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"

namespace tributary::test {

// An engine configuration keeping its state in `state`/st.
inline std::function<void(EngineConfig&)> keepStateIn(const QTemporaryDir& state) {
  return
      [dir = state.filePath("st").toStdString()](EngineConfig& config) { config.stateDir = dir; };
}

inline void downloadOnce(const TorrentFixture& fixture,
                         const std::function<void(EngineConfig&)>& keepState, const QString& out,
                         const QString& seeder) {
  EngineSession session(keepState);
  AddParams params;
  params.source = fixture.torrentFile().toStdString();
  params.saveDir = out.toStdString();
  params.peers = {seeder.toStdString()};
  const TaskId id = session.add(params);
  auto end = session.waitForEnd(id, std::chrono::seconds(120));
  QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
  session.stop();
}

}  // namespace tributary::test
