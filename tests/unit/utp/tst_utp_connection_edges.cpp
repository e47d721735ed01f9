// utp::UtpConnection alone, fed hand-made packets: an accepted connection
// that its initiator never confirms (timeout, close), what may make it
// Connected, delivery that must stop at the peer's FIN, and a reordered old
// ACK that must not overwrite the peer's window.
#include <QtTest>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/utp/UtpConnection.h"

using namespace tributary;
using namespace tributary::utp;

namespace {

using State = UtpConnection::State;

constexpr std::uint64_t kSecond = 1'000'000;
constexpr std::uint16_t kPeerId = 0x100;  // the initiator's recv id: we receive on kPeerId + 1
constexpr std::uint16_t kPeerSeq = 100;   // its SYN's seq_nr
constexpr std::uint16_t kOurSeq = 500;    // our first seq_nr

std::vector<std::byte> bytesOf(const std::string& s) {
  const auto* p = reinterpret_cast<const std::byte*>(s.data());
  return {p, p + s.size()};
}

// One acceptor whose datagrams are kept, not sent.
struct Acceptor {
  explicit Acceptor(UtpConfig config = {})
      : conn(config,
             [this](std::span<const std::byte> d) { sent.emplace_back(d.begin(), d.end()); }) {}

  void acceptSyn(std::uint64_t nowUs) {
    PacketHeader syn;
    syn.type = PacketType::Syn;
    syn.connectionId = kPeerId;
    syn.seqNr = kPeerSeq;
    syn.windowSize = 1 << 20;
    conn.accept(syn, kOurSeq, nowUs);
  }

  void feed(PacketType type, std::uint16_t seq, std::uint16_t ack, std::uint64_t nowUs,
            const std::string& payload = {}, std::uint32_t window = 1 << 20) {
    PacketHeader h;
    h.type = type;
    h.connectionId = static_cast<std::uint16_t>(kPeerId + 1);
    h.windowSize = window;
    h.seqNr = seq;
    h.ackNr = ack;
    const auto body = bytesOf(payload);
    std::vector<std::byte> out;
    writePacket(h, {}, body, out);
    conn.onPacket(parsePacket(out).value(), nowUs);
    events |= conn.takeEvents();
  }

  std::size_t sentOfType(PacketType type) const {
    std::size_t n = 0;
    for (const auto& d : sent) {
      n += parsePacket(d).value().header.type == type ? 1 : 0;
    }
    return n;
  }

  std::vector<std::vector<std::byte>> sent;
  UtpConnection conn;
  unsigned events = 0;
};

}  // namespace

class TstUtpConnectionEdges : public QObject {
  Q_OBJECT
 private slots:
  void unconfirmedAcceptTimesOutWithOneReset() {
    UtpConfig config;
    config.connectTimeoutUs = 2 * kSecond;
    Acceptor a(config);
    a.acceptSyn(1);
    QCOMPARE(a.conn.state(), State::SynRecv);
    QCOMPARE(a.conn.nextDeadlineUs(), 1 + 2 * kSecond);  // the owner ticks it then
    std::uint64_t now = 1;
    while (now < 60 * kSecond && a.conn.state() != State::Closed) {
      now += 10'000;
      a.conn.tick(now);
    }
    QCOMPARE(a.conn.state(), State::Closed);
    QVERIFY(a.conn.finished());
    QCOMPARE(a.conn.nextDeadlineUs(), UINT64_MAX);
    QCOMPARE(a.conn.error().code, ErrorCode::Timeout);
    QVERIFY(now >= 2 * kSecond && now < 2 * kSecond + 100'000);
    QVERIFY(a.conn.takeEvents() & UtpConnection::kFailed);
    QCOMPARE(a.sentOfType(PacketType::Reset), std::size_t{1});
    QCOMPARE(a.sentOfType(PacketType::Fin), std::size_t{0});
  }

  void closingAnUnconfirmedAcceptSendsOneResetAndNoFin() {
    Acceptor a;
    a.acceptSyn(1);
    a.conn.close(2);
    QCOMPARE(a.conn.state(), State::Closed);
    QVERIFY(a.conn.finished());
    const std::size_t sent = a.sent.size();
    for (std::uint64_t now = 2; now < 300 * kSecond; now += 50'000) {
      a.conn.tick(now);
    }
    QCOMPARE(a.sent.size(), sent);  // nothing retransmitted for minutes
    QCOMPARE(a.sentOfType(PacketType::Reset), std::size_t{1});
    QCOMPARE(a.sentOfType(PacketType::Fin), std::size_t{0});
  }

  void onlyAValidAckConfirmsAnAccept() {
    Acceptor a;
    a.acceptSyn(1);
    const auto lastAcked = static_cast<std::uint16_t>(kOurSeq - 1);
    // Acks a packet we never sent: ignored, and still unconfirmed.
    a.feed(PacketType::Data, kPeerSeq + 1, static_cast<std::uint16_t>(kOurSeq + 600), 2, "junk");
    QCOMPARE(a.conn.state(), State::SynRecv);
    QCOMPARE(a.conn.received().readableBytes(), std::size_t{0});
    a.feed(PacketType::Data, kPeerSeq + 1, lastAcked, 3, "ok");
    QCOMPARE(a.conn.state(), State::Connected);
    // Acked at once; idle, its next timer is the keep-alive.
    QCOMPARE(a.conn.nextDeadlineUs(), 3 + UtpConfig{}.keepAliveUs);
    a.conn.sendQueue().pushCopy("data", 4);
    a.conn.flush(4);
    QVERIFY(a.conn.nextDeadlineUs() > 4 && a.conn.nextDeadlineUs() <= 4 + 3 * kSecond);  // RTO
    QCOMPARE(a.conn.received().retrieveAllAsString(), std::string("ok"));
  }

  void deliveryStopsAtTheFin() {
    Acceptor a;
    a.acceptSyn(1);
    const auto ack = static_cast<std::uint16_t>(kOurSeq - 1);
    // After the FIN (seq 103) nothing counts, even what arrived before it.
    a.feed(PacketType::Data, kPeerSeq + 4, ack, 2, "after-fin");
    a.feed(PacketType::Data, kPeerSeq + 2, ack, 3, "two");
    a.feed(PacketType::Fin, kPeerSeq + 3, ack, 4);
    QVERIFY(!(a.events & UtpConnection::kEof));
    a.feed(PacketType::Data, kPeerSeq + 1, ack, 5, "one");
    QCOMPARE(a.conn.received().retrieveAllAsString(), std::string("onetwo"));
    QVERIFY(a.events & UtpConnection::kEof);
    QCOMPARE(a.conn.ackNr(), static_cast<std::uint16_t>(kPeerSeq + 3));
    // Nothing held back either: the whole buffer is free again.
    QCOMPARE(a.conn.advertisedWindow(), UtpConfig{}.receiveBufferBytes);
    // A packet after the FIN arriving later is not delivered.
    a.feed(PacketType::Data, kPeerSeq + 5, ack, 6, "later");
    QCOMPARE(a.conn.received().readableBytes(), std::size_t{0});
  }

  void staleAckKeepsThePeerWindow() {
    Acceptor a;
    a.acceptSyn(1);
    const auto ack = static_cast<std::uint16_t>(kOurSeq - 1);
    a.feed(PacketType::Data, kPeerSeq + 1, ack, 2, "x", 300'000);
    QCOMPARE(a.conn.peerWindow(), std::uint32_t{300'000});
    // Our data goes out and is acked: the peer's window is the newest one's.
    a.conn.sendQueue().pushCopy("hello", 5);
    a.conn.flush(3);
    QCOMPARE(a.conn.nextSeq(), static_cast<std::uint16_t>(kOurSeq + 1));
    a.feed(PacketType::State, kPeerSeq + 2, kOurSeq, 4, {}, 200'000);
    QCOMPARE(a.conn.peerWindow(), std::uint32_t{200'000});
    // A reordered older packet (acking less) carries an older window: ignored.
    a.feed(PacketType::Data, kPeerSeq + 2, ack, 5, "y", 0);
    QCOMPARE(a.conn.peerWindow(), std::uint32_t{200'000});
    QCOMPARE(a.conn.received().retrieveAllAsString(), std::string("xy"));  // its payload counts
  }
};

QTEST_APPLESS_MAIN(TstUtpConnectionEdges)
#include "tst_utp_connection_edges.moc"
