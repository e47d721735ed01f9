// The session state file (engine/session/SessionState): what goes in comes
// back, and a damaged, truncated, newer or edited file is refused or loses
// only the record that makes no sense, never crashes the reader.
#include <QtTest>

#include <string>

#include "engine/session/SessionState.h"
#include "engine/storage/Crc32.h"

using namespace tributary;
using namespace tributary::session;

namespace {

SessionState sample() {
  SessionState state;
  SavedTask http;
  http.params.source = "https://example.com/big.iso";
  http.params.saveDir = "/home/u/Downloads";
  http.params.mirrors = {"https://m1.example.org/big.iso", "https://m2.example.org/big.iso"};
  http.params.userAgent = "UA/1";
  http.params.referer = "https://example.com/";
  http.params.caCertFile = "/etc/ca.pem";
  http.params.checksum = Checksum{Checksum::Algorithm::Sha256, std::string(64, 'a')};
  http.params.connections = 16;
  http.params.maxDownloadRate = 1'000'000;
  http.params.maxUploadRate = 2'000;
  http.params.startPaused = true;
  http.addedAtUnix = 1'700'000'000;
  http.traffic = TrafficCounters{1, 2, 3, 4};
  state.tasks.push_back(http);
  SavedTask torrent;
  torrent.params.source = "/state/torrents/ab.torrent";
  torrent.params.saveDir = "/home/u/Téléchargements";  // UTF-8 survives
  torrent.params.peers = {"127.0.0.1:6881", "[::1]:6882"};
  torrent.params.seedTime = std::chrono::seconds(3600);
  torrent.params.seedRatio = 1.5;
  torrent.params.filePriorities = {0, 1, 2, 1};
  torrent.params.stopAfterMetadata = true;
  torrent.addedAtUnix = 1'700'000'100;
  torrent.traffic = TrafficCounters{5'000'000'000ULL, 0, 7, 8};
  torrent.finished = true;
  state.tasks.push_back(torrent);
  return state;
}

}  // namespace

class TestSessionState : public QObject {
  Q_OBJECT

 private slots:
  void roundTrip() {
    const SessionState state = sample();
    const std::string bytes = encodeSessionState(state);
    QVERIFY(bytes.starts_with("tributary-session 1\n"));
    Result<SessionState> back = decodeSessionState(bytes);
    QVERIFY2(back, back ? "" : back.error().detail.c_str());
    QCOMPARE(back.value().tasks.size(), std::size_t(2));
    QVERIFY(back.value().tasks[0] == state.tasks[0]);
    QVERIFY(back.value().tasks[1] == state.tasks[1]);
    QCOMPARE(back.value().skipped, std::size_t(0));
  }

  void emptyList() {
    Result<SessionState> back = decodeSessionState(encodeSessionState({}));
    QVERIFY(back);
    QVERIFY(back.value().tasks.empty());
  }

  // Every single flipped byte is caught (the checksum covers all of it).
  void everyDamagedByteIsRefused() {
    const std::string bytes = encodeSessionState(sample());
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      std::string damaged = bytes;
      damaged[i] = static_cast<char>(damaged[i] ^ 0x20);
      QVERIFY2(!decodeSessionState(damaged), qPrintable(QString("byte %1").arg(i)));
    }
  }

  void everyTruncationIsRefused() {
    const std::string bytes = encodeSessionState(sample());
    // The trailing newline is optional; anything shorter than that is not.
    for (std::size_t n = 0; n + 1 < bytes.size(); ++n) {
      QVERIFY2(!decodeSessionState(std::string_view(bytes).substr(0, n)),
               qPrintable(QString("%1 bytes").arg(n)));
    }
  }

  void newerVersionIsRefused() {
    std::string bytes = encodeSessionState(sample());
    // Rewrite the header and recompute the checksum as a newer build would.
    const std::string body =
        "tributary-session 2\n" +
        bytes.substr(bytes.find('\n') + 1, bytes.rfind("\ncrc32 ") - bytes.find('\n') - 1);
    char crc[16];
    std::snprintf(crc, sizeof crc, "%08x", storage::crc32(body));
    Result<SessionState> back = decodeSessionState(body + "\ncrc32 " + crc + "\n");
    QVERIFY(!back);
    QVERIFY2(back.error().detail.find("newer") != std::string::npos, back.error().detail.c_str());
  }

  // A record without a source (edited by hand, or by a future version) is
  // left out; the others load.
  void senselessRecordIsSkipped() {
    SessionState state = sample();
    state.tasks[0].params.source.clear();
    Result<SessionState> back = decodeSessionState(encodeSessionState(state));
    QVERIFY(back);
    QCOMPARE(back.value().tasks.size(), std::size_t(1));
    QCOMPARE(back.value().skipped, std::size_t(1));
    QVERIFY(back.value().tasks[0] == state.tasks[1]);
  }

  void garbageIsRefused() {
    QVERIFY(!decodeSessionState(""));
    QVERIFY(!decodeSessionState("tributary-session 1\n"));
    QVERIFY(!decodeSessionState(std::string(1000, '\xff')));
    QVERIFY(!decodeSessionState("tributary-session 1\nd5:tasksle1:vi1ee\ncrc32 zzzzzzzz\n"));
  }
};

QTEST_GUILESS_MAIN(TestSessionState)
#include "tst_session_state.moc"
