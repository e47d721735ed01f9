// utp::UtpConnection over a simulated link (UtpSimLink.h) with a virtual
// clock: transfers both ways through loss, reordering, duplication, delay and
// a bandwidth limit, compared byte for byte and bounded in virtual time; a
// dead link and an unanswered SYN fail after bounded retries; hostile
// packets; sequence numbers wrapping; a zero window; the FIN exchange.
#include <QtTest>

#include <cstdint>
#include <random>
#include <vector>

#include "engine/utp/UtpConnection.h"
#include "unit/utp/UtpSimLink.h"

using namespace tributary;
using namespace tributary::utp;
using namespace tributary::utp::test;

namespace {

using State = UtpConnection::State;

std::vector<std::byte> randomBytes(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::byte> out(n);
  for (auto& b : out) {
    b = static_cast<std::byte>(rng() & 0xff);
  }
  return out;
}

constexpr std::uint64_t kSecond = 1'000'000;

bool bothGotAll(SimPair& sim) {
  return sim.a.got.size() >= sim.b.toSend.size() && sim.b.got.size() >= sim.a.toSend.size();
}

std::vector<std::byte> header(PacketType type, std::uint16_t id, std::uint16_t seq,
                              std::uint16_t ack, std::span<const std::byte> sack = {},
                              std::span<const std::byte> payload = {}) {
  PacketHeader h;
  h.type = type;
  h.connectionId = id;
  h.windowSize = 1 << 20;
  h.seqNr = seq;
  h.ackNr = ack;
  std::vector<std::byte> out;
  writePacket(h, sack, payload, out);
  return out;
}

}  // namespace

class TstUtpConnection : public QObject {
  Q_OBJECT
 private slots:
  void handshakeFollowsBep29Ids() {
    SimPair sim({}, {}, 1);
    sim.connect(100, 200, 0x4000);
    QVERIFY(sim.runUntil([&] { return sim.a.conn->state() == State::Connected; }, kSecond));
    QCOMPARE(sim.a.conn->recvId(), std::uint16_t{0x4000});
    QCOMPARE(sim.a.conn->sendId(), std::uint16_t{0x4001});
    QCOMPARE(sim.b.conn->recvId(), std::uint16_t{0x4001});
    QCOMPARE(sim.b.conn->sendId(), std::uint16_t{0x4000});
    QVERIFY(sim.a.events & UtpConnection::kConnected);
    QCOMPARE(sim.a.conn->ackNr(), std::uint16_t{199});  // b's first DATA will be 200
    QCOMPARE(sim.b.conn->ackNr(), std::uint16_t{100});  // a's SYN
    QCOMPARE(sim.a.conn->nextSeq(), std::uint16_t{101});
  }

  void lossyTransferBothWays_data() {
    QTest::addColumn<unsigned>("seed");
    for (unsigned seed : {42u, 43u, 44u, 45u, 46u, 47u}) {
      QTest::addRow("seed %u", seed) << seed;
    }
  }
  void lossyTransferBothWays() {
    QFETCH(unsigned, seed);
    LinkProfile p;
    p.delayUs = 20'000;
    p.jitterUs = 8'000;
    p.loss = 0.05;
    p.duplicate = 0.01;
    p.bytesPerSecond = 4e6;
    SimPair sim(p, p, seed);
    sim.a.toSend = randomBytes(3u << 20, 1);
    sim.b.toSend = randomBytes(3u << 20, 2);
    sim.connect();
    const bool done = sim.runUntil([&] { return bothGotAll(sim); }, 300 * kSecond);
    qInfo("lossy: %.1f s virtual, a sent %llu packets (%llu resent), link drops %llu/%llu",
          double(sim.nowUs) / kSecond, (unsigned long long)sim.a.conn->packetsSent(),
          (unsigned long long)sim.a.conn->retransmissions(),
          (unsigned long long)sim.linkAB().dropped(), (unsigned long long)sim.linkAB().sent());
    if (!done) {
      for (SimEnd* e : {&sim.a, &sim.b}) {
        const UtpConnection& c = *e->conn;
        qWarning("state %d got %zu written %zu pending %zu inflight %zu cwnd %zu peerwnd %u",
                 int(c.state()), e->got.size(), e->written, c.pendingWriteBytes(),
                 c.bytesInFlight(), c.congestion().window(), c.peerWindow());
      }
    }
    QVERIFY(done);
    QVERIFY(sim.a.got == sim.b.toSend);
    QVERIFY(sim.b.got == sim.a.toSend);
    QVERIFY(sim.a.conn->retransmissions() > 0);  // the loss was real
    QCOMPARE(sim.a.conn->state(), State::Connected);
  }

  void cleanLinkFillsTheBandwidth() {
    LinkProfile p;
    p.delayUs = 30'000;
    p.bytesPerSecond = 2e6;
    SimPair sim(p, p, 7);
    sim.a.toSend = randomBytes(4u << 20, 3);
    sim.connect();
    QVERIFY(sim.runUntil([&] { return sim.b.got.size() == sim.a.toSend.size(); }, 60 * kSecond));
    QVERIFY(sim.b.got == sim.a.toSend);
    const double seconds = double(sim.nowUs) / kSecond;
    qInfo("clean: 4 MiB at 2 MB/s in %.2f s virtual (ideal %.2f), queueing delay %u us", seconds,
          (4u << 20) / 2e6, sim.a.conn->congestion().lastQueueingDelayUs());
    // LEDBAT must use most of an idle link: within 40% of the wire time.
    QVERIFY(seconds < 1.4 * (4u << 20) / 2e6 + 1);
    // ...while keeping the queue it builds near its 100 ms target.
    QVERIFY(sim.a.conn->congestion().lastQueueingDelayUs() < 250'000);
  }

  void deadLinkFailsAfterBoundedRetries() {
    SimPair sim({}, {}, 3);
    sim.a.toSend = randomBytes(1u << 20, 4);
    sim.connect();
    QVERIFY(sim.runUntil([&] { return sim.b.got.size() > 100'000; }, 10 * kSecond));
    sim.linkAB().cut(true);
    sim.linkBA().cut(true);
    const std::uint64_t cutAt = sim.nowUs;
    QVERIFY(sim.runUntil([&] { return sim.a.conn->state() == State::Closed; }, 600 * kSecond));
    QCOMPARE(sim.a.conn->error().code, ErrorCode::Timeout);
    QVERIFY(sim.a.events & UtpConnection::kFailed);
    const double took = double(sim.nowUs - cutAt) / kSecond;
    qInfo("dead link noticed after %.1f s virtual", took);
    QVERIFY(took > 1 && took < 300);
  }

  void unansweredSynTimesOut() {
    SimPair sim({}, {}, 4);
    sim.linkAB().cut(true);
    sim.a.conn->connect(5, 1, 0, 3 * kSecond);
    QVERIFY(sim.runUntil([&] { return sim.a.conn->state() == State::Closed; }, 20 * kSecond));
    QCOMPARE(sim.a.conn->error().code, ErrorCode::Timeout);
    QVERIFY(sim.nowUs >= 3 * kSecond && sim.nowUs < 3 * kSecond + 100'000);
    QVERIFY(sim.linkAB().sent() >= 2);  // the SYN was retried
  }

  void hostilePacketsAreIgnored() {
    SimPair sim({}, {}, 5);
    sim.a.toSend = randomBytes(512u << 10, 5);
    sim.connect(1000, 2000, 0x1234);
    QVERIFY(sim.runUntil([&] { return sim.b.got.size() > 10'000; }, 10 * kSecond));
    UtpConnection& b = *sim.b.conn;
    const std::uint16_t bRecv = b.recvId();
    const std::size_t before = sim.b.got.size();
    const std::uint64_t ignored = b.packetsIgnored();
    const auto junk = randomBytes(1000, 6);
    // Data acking a packet b never sent: dropped whole.
    sim.inject(sim.b, header(PacketType::Data, bRecv, static_cast<std::uint16_t>(b.ackNr() + 1),
                             static_cast<std::uint16_t>(b.nextSeq() + 500), {}, junk));
    // The right numbers with the wrong connection id: ignored.
    sim.inject(sim.b, header(PacketType::Data, bRecv + 7, static_cast<std::uint16_t>(b.ackNr() + 1),
                             static_cast<std::uint16_t>(b.nextSeq() - 1), {}, junk));
    // A RESET for another connection: ignored.
    sim.inject(sim.b, header(PacketType::Reset, bRecv + 9, 0, 0));
    // The largest selective ACK there is, on an ack older than any outstanding
    // packet (a stale or replayed packet): bounded work, nothing marked.
    // Fed to the connection directly: the simulated application would write more.
    const std::vector<std::byte> allOnes(kMaxSackBytes, std::byte{0xFF});
    const std::uint64_t resentBefore = sim.a.conn->retransmissions();
    const std::size_t inFlightBefore = sim.a.conn->bytesInFlight();
    const std::uint32_t windowBefore = sim.a.conn->peerWindow();
    QVERIFY(inFlightBefore > 0);
    const auto stale = header(PacketType::State, sim.a.conn->recvId(),
                              static_cast<std::uint16_t>(sim.a.conn->ackNr() + 1),
                              static_cast<std::uint16_t>(sim.a.conn->nextSeq() - 5000), allOnes);
    sim.a.conn->onPacket(parsePacket(stale).value(), sim.nowUs);
    QCOMPARE(sim.a.conn->retransmissions(), resentBefore);
    QCOMPARE(sim.a.conn->bytesInFlight(), inFlightBefore);
    QCOMPARE(sim.a.conn->peerWindow(), windowBefore);
    // Too large a SACK does not even parse.
    auto huge = header(PacketType::State, sim.a.conn->recvId(), 0, 0);
    huge[1] = std::byte{1};
    huge.push_back(std::byte{0});
    huge.push_back(std::byte{255});
    huge.insert(huge.end(), 255, std::byte{0xFF});
    sim.inject(sim.a, huge);
    QCOMPARE(sim.parseErrors, std::uint64_t{1});
    QVERIFY(b.packetsIgnored() >= ignored + 3);
    QCOMPARE(sim.b.got.size(), before);  // none of the junk was delivered
    QCOMPARE(b.state(), State::Connected);

    // The transfer still completes exactly (a forged SACK may cost retransmissions only).
    QVERIFY(sim.runUntil([&] { return sim.b.got.size() == sim.a.toSend.size(); }, 120 * kSecond));
    QVERIFY(sim.b.got == sim.a.toSend);

    // A RESET with the right id ends the connection.
    sim.inject(sim.b, header(PacketType::Reset, bRecv, 0, 0));
    QCOMPARE(b.state(), State::Closed);
    QCOMPARE(b.error().code, ErrorCode::ConnectionReset);
    QVERIFY(sim.b.events & UtpConnection::kFailed);
  }

  void sequenceNumbersWrap() {
    LinkProfile p;
    p.delayUs = 5'000;
    p.jitterUs = 3'000;
    p.loss = 0.03;
    SimPair sim(p, p, 9);
    sim.a.toSend = randomBytes(1u << 20, 7);  // ~750 packets: wraps past 65535
    sim.b.toSend = randomBytes(1u << 20, 8);
    sim.connect(65500, 65530, 0xFFFF);
    QVERIFY(sim.runUntil([&] { return bothGotAll(sim); }, 200 * kSecond));
    QVERIFY(sim.a.got == sim.b.toSend);
    QVERIFY(sim.b.got == sim.a.toSend);
    QVERIFY(sim.a.conn->nextSeq() < 2000);  // it did wrap
    QVERIFY(sim.b.conn->nextSeq() < 2000);
    QCOMPARE(sim.a.conn->sendId(), std::uint16_t{0});  // the id wraps too
  }

  void zeroWindowStallsThenResumes() {
    UtpConfig config;
    config.receiveBufferBytes = 64u << 10;
    SimPair sim({}, {}, 11, config);
    sim.a.toSend = randomBytes(1u << 20, 9);
    sim.b.reading = false;
    sim.connect();
    sim.runUntil([] { return false; }, 60 * kSecond);  // a minute of a closed window
    QCOMPARE(sim.a.conn->state(), State::Connected);
    QVERIFY(sim.b.conn->advertisedWindow() < 1400);  // too small for a full packet
    QVERIFY(sim.b.conn->received().readableBytes() <= config.receiveBufferBytes);
    QVERIFY(sim.b.conn->received().readableBytes() > config.receiveBufferBytes - 1400);
    sim.b.reading = true;
    QVERIFY(sim.runUntil([&] { return sim.b.got.size() == sim.a.toSend.size(); }, 120 * kSecond));
    QVERIFY(sim.b.got == sim.a.toSend);
  }

  void idleConnectionSendsKeepAlives() {
    SimPair sim({}, {}, 17);
    sim.connect();
    QVERIFY(sim.runUntil([&] { return sim.b.conn->state() == State::Connected; }, kSecond));
    const std::uint64_t before = sim.a.conn->packetsSent();
    sim.runUntil([] { return false; }, sim.nowUs + 65 * kSecond);
    // Nothing to say for 65 s: two STATEs (one per ~29 s) keep NAT mappings alive.
    QCOMPARE(sim.a.conn->packetsSent() - before, std::uint64_t{2});
    QCOMPARE(sim.a.conn->state(), State::Connected);
    QCOMPARE(sim.b.conn->state(), State::Connected);
  }

  void lossWindowClosesAfterRecovery() {
    // Small packets so that the sequence numbers wrap (> 65536 packets) in a
    // short run. One loss, then more than half the sequence space without
    // any, then one loss again: each must halve cwnd (a loss window left
    // open since the first would ignore it).
    UtpConfig config;
    config.maxPayload = 100;
    // No more in flight than the receiver's reorder buffer holds (past it a
    // hole makes it drop packets, which then count as retransmissions here).
    config.maxOutstandingPackets = config.reorderPackets;
    LinkProfile p;
    p.delayUs = 10'000;
    SimPair sim(p, p, 21, config);
    sim.a.toSend = randomBytes(16u << 20, 11);
    sim.connect(60000, 2000);
    QVERIFY(sim.runUntil([&] { return sim.a.conn->packetsSent() > 2000; }, 30 * kSecond));
    std::uint64_t losses = sim.a.conn->congestion().losses();
    for (int round = 0; round < 4; ++round) {
      sim.linkAB().dropNextData(1);
      const std::uint64_t before = losses;
      QVERIFY2(sim.runUntil([&] { return sim.a.conn->congestion().losses() > before; },
                            sim.nowUs + 5 * kSecond),
               qPrintable(QString("round %1: the loss did not halve cwnd").arg(round)));
      losses = sim.a.conn->congestion().losses();
      QCOMPARE(losses, before + 1);
      const std::uint16_t from = sim.a.conn->nextSeq();
      QVERIFY2(sim.runUntil([&] { return seqDistance(from, sim.a.conn->nextSeq()) > 33'000; },
                            sim.nowUs + 60 * kSecond),
               qPrintable(QString("round %1: sent %2 packets, cwnd %3, in flight %4, state %5")
                              .arg(round)
                              .arg(seqDistance(from, sim.a.conn->nextSeq()))
                              .arg(sim.a.conn->congestion().window())
                              .arg(sim.a.conn->bytesInFlight())
                              .arg(int(sim.a.conn->state())) +
                          QString(", resent %1").arg(sim.a.conn->retransmissions())));
      QCOMPARE(sim.a.conn->congestion().losses(), losses);  // no loss on the clean link
    }
    QVERIFY(sim.a.conn->packetsSent() > 4 * 33'000);
    // Four single losses cost a handful of retransmissions, not a storm.
    qInfo("loss window: %llu packets sent, %llu resent",
          (unsigned long long)sim.a.conn->packetsSent(),
          (unsigned long long)sim.a.conn->retransmissions());
    QVERIFY(sim.a.conn->retransmissions() < 100);
    QVERIFY(sim.b.got.size() > 0);
    QVERIFY(std::equal(sim.b.got.begin(), sim.b.got.end(), sim.a.toSend.begin()));
  }

  void finExchange() {
    LinkProfile p;
    p.loss = 0.05;
    SimPair sim(p, p, 13);
    sim.a.toSend = randomBytes(200u << 10, 10);
    sim.a.closeWhenSent = true;
    sim.connect();
    QVERIFY(sim.runUntil([&] { return (sim.b.events & UtpConnection::kEof) != 0; }, 60 * kSecond));
    QVERIFY(sim.b.got == sim.a.toSend);  // EOF only after every byte
    QCOMPARE(sim.a.conn->state(), State::FinSent);
    // a's FIN is acked, b has not closed: a stays for b's late data and FIN.
    QVERIFY(sim.runUntil([&] { return sim.a.conn->bytesInFlight() == 0; }, sim.nowUs + kSecond));
    sim.runUntil([] { return false; }, sim.nowUs + kSecond);
    QVERIFY(!sim.a.conn->finished());
    sim.b.toSend = randomBytes(50u << 10, 12);
    sim.b.closeWhenSent = true;
    QVERIFY(sim.runUntil([&] { return (sim.a.events & UtpConnection::kEof) != 0; },
                         sim.nowUs + 30 * kSecond));
    QVERIFY(sim.a.got == sim.b.toSend);
    QVERIFY(sim.runUntil([&] { return sim.a.conn->finished() && sim.b.conn->finished(); },
                         sim.nowUs + 60 * kSecond));
    QVERIFY(!(sim.a.events & UtpConnection::kFailed));
    QVERIFY(!(sim.b.events & UtpConnection::kFailed));
  }

  void lingerEndsWhenThePeerNeverCloses() {
    SimPair sim({}, {}, 14);
    sim.a.toSend = randomBytes(20u << 10, 13);
    sim.a.closeWhenSent = true;
    sim.connect();
    QVERIFY(sim.runUntil([&] { return (sim.b.events & UtpConnection::kEof) != 0; }, 10 * kSecond));
    QVERIFY(sim.runUntil([&] { return sim.a.conn->bytesInFlight() == 0; }, sim.nowUs + kSecond));
    const std::uint64_t finAckedAt = sim.nowUs;
    QVERIFY(sim.runUntil([&] { return sim.a.conn->finished(); }, sim.nowUs + 30 * kSecond));
    const std::uint64_t lingered = sim.nowUs - finAckedAt;
    QVERIFY2(
        lingered >= UtpConfig{}.lingerUs - 100'000 && lingered < UtpConfig{}.lingerUs + kSecond,
        qPrintable(QString::number(lingered)));
    QVERIFY(!(sim.a.events & UtpConnection::kFailed));
  }
};

QTEST_APPLESS_MAIN(TstUtpConnection)
#include "tst_utp_connection.moc"
