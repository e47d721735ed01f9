// BitTorrent protocol encryption (MSE/PE) through the whole engine against
// python3-libtorrent on 127.0.0.1. With libtorrent forcing RC4 both ways, only
// an encrypted connection can move a byte: we download with encryption
// Required, dialling the seeder and being dialled by it (sha256-verified);
// with our encryption Disabled nothing moves. A libtorrent with encryption off
// still serves our default mode (Enabled) through its plaintext retry.
#include <QtTest>

#include <chrono>

#include "TorrentFixture.h"
#include "engine/api/Engine.h"
#include "support/EngineSession.h"
#include "support/LibtorrentPeer.h"

using namespace tributary;
using namespace std::chrono_literals;
using Session = test::EngineSession;

namespace {

AddParams torrentParams(const test::TorrentFixture& fixture, const QString& dir,
                        const QStringList& peers) {
  AddParams params;
  params.source = fixture.torrentFile().toStdString();
  params.saveDir = dir.toStdString();
  for (const QString& peer : peers) {
    params.peers.push_back(peer.toStdString());
  }
  return params;
}

std::function<void(EngineConfig&)> withEncryption(EncryptionMode mode) {
  return [mode](EngineConfig& config) { config.encryption = mode; };
}

std::uint16_t listenPortOf(Session& session) {
  if (!session.waitForStats([](const EngineStats& s) { return s.listenPort != 0; })) {
    return 0;
  }
  return session.stats().listenPort;
}

}  // namespace

class TestBtEncryption : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    if (!test::LibtorrentPeer::available()) {
      QSKIP("python3-libtorrent is not installed");
    }
    QCOMPARE(fixture_.create(16, 1234), QString());
  }

  void requiredWeDialAForcedSeeder() {
    test::LibtorrentPeerOptions options{fixture_.torrentFile(), fixture_.contentParent(), {}};
    options.encryption = QStringLiteral("forced");
    test::LibtorrentPeer seeder(options);
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir out;
    Session session(withEncryption(EncryptionMode::Required));
    const TaskId id = session.add(torrentParams(fixture_, out.path(), {seeder.address()}));
    QVERIFY(id != kInvalidTaskId);
    auto end = session.waitForEnd(id, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(fixture_.verify(out.path()), QString());
  }

  void requiredAForcedSeederDialsUs() {
    QTemporaryDir out;
    Session session(withEncryption(EncryptionMode::Required));
    const std::uint16_t port = listenPortOf(session);
    QVERIFY(port != 0);
    // No peer to dial: the only way in is the seeder's connection to our port.
    const TaskId id = session.add(torrentParams(fixture_, out.path(), {}));
    QVERIFY(id != kInvalidTaskId);
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Downloading; }, 60s));
    test::LibtorrentPeerOptions options{fixture_.torrentFile(), fixture_.contentParent(), {}};
    options.encryption = QStringLiteral("forced");
    options.connectTo = {QStringLiteral("127.0.0.1:%1").arg(port)};
    test::LibtorrentPeer seeder(options);
    QCOMPARE(seeder.start(), QString());
    auto end = session.waitForEnd(id, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed,
             qPrintable(end ? QString::fromStdString(end->message) : seeder.output()));
    QCOMPARE(fixture_.verify(out.path()), QString());
  }

  void disabledGetsNothingFromAForcedSeeder() {
    QTemporaryDir out;
    Session session(withEncryption(EncryptionMode::Disabled));
    const std::uint16_t port = listenPortOf(session);
    QVERIFY(port != 0);
    test::LibtorrentPeerOptions options{fixture_.torrentFile(), fixture_.contentParent(), {}};
    options.encryption = QStringLiteral("forced");
    test::LibtorrentPeer seeder(options);
    QCOMPARE(seeder.start(), QString());
    // Both ways: we dial it in plaintext, and it dials us with MSE.
    const TaskId id = session.add(torrentParams(fixture_, out.path(), {seeder.address()}));
    QVERIFY(id != kInvalidTaskId);
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Downloading; }, 60s));
    test::LibtorrentPeerOptions dialler = options;
    dialler.dataDir = fixture_.contentParent();
    dialler.connectTo = {QStringLiteral("127.0.0.1:%1").arg(port)};
    test::LibtorrentPeer second(dialler);
    QCOMPARE(second.start(), QString());
    const bool gotData = session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.traffic.bt > 0 || s.verifiedBytes > 0; }, 12s);
    QVERIFY2(!gotData, "bytes arrived over a plaintext connection to a forced-RC4 peer");
    const TaskSnapshot s = session.latest(id);
    QCOMPARE(s.state, TaskState::Downloading);
    QCOMPARE(s.verifiedBytes, std::uint64_t{0});
  }

  void enabledFallsBackToPlaintext() {
    test::LibtorrentPeerOptions options{fixture_.torrentFile(), fixture_.contentParent(), {}};
    options.encryption = QStringLiteral("disabled");
    test::LibtorrentPeer seeder(options);
    QCOMPARE(seeder.start(), QString());
    QTemporaryDir out;
    Session session(withEncryption(EncryptionMode::Enabled));
    const TaskId id = session.add(torrentParams(fixture_, out.path(), {seeder.address()}));
    QVERIFY(id != kInvalidTaskId);
    auto end = session.waitForEnd(id, 120s);
    QVERIFY2(end && end->kind == Event::Kind::Completed, end ? end->message.c_str() : "timeout");
    QCOMPARE(fixture_.verify(out.path()), QString());
  }

  void enabledSeedsToAForcedLeecherThatDialsUs() {
    Session session(withEncryption(EncryptionMode::Enabled));
    const std::uint16_t port = listenPortOf(session);
    QVERIFY(port != 0);
    AddParams params = torrentParams(fixture_, fixture_.contentParent(), {});
    params.seedTime = 600s;
    const TaskId id = session.add(params);
    QVERIFY(id != kInvalidTaskId);
    QVERIFY(session.waitForSnapshot(
        id, [](const TaskSnapshot& s) { return s.state == TaskState::Seeding; }, 60s));
    QTemporaryDir leech;
    test::LibtorrentPeerOptions options{fixture_.torrentFile(), leech.path(), {}};
    options.encryption = QStringLiteral("forced");
    options.connectTo = {QStringLiteral("127.0.0.1:%1").arg(port)};
    test::LibtorrentPeer leecher(options);
    QCOMPARE(leecher.start(), QString());
    QVERIFY2(leecher.waitFinished(120s), qPrintable(leecher.output()));
    QCOMPARE(fixture_.verify(leech.path()), QString());
  }

 private:
  test::TorrentFixture fixture_;
};

QTEST_GUILESS_MAIN(TestBtEncryption)
#include "tst_bt_encryption.moc"
