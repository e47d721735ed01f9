// BEP 15 packets byte by byte, every reply rejection, BEP 41 URL data, and
// udp:// URL parsing.
#include <QtTest>

#include "engine/bt/TrackerCompactPeers.h"
#include "engine/bt/TrackerUdpPacket.h"
#include "engine/bt/TrackerUrl.h"
#include "unit/tracker/TrackerTestUtil.h"

using namespace tributary;
using namespace tributary::bt;
using namespace tributary::bt::test;
using loop::SocketAddress;

namespace {

std::vector<std::byte> replyHeader(UdpTrackerAction action, std::uint32_t transactionId) {
  std::vector<std::byte> out;
  putBe(out, static_cast<std::uint32_t>(action), 4);
  putBe(out, transactionId, 4);
  return out;
}

std::vector<std::byte> announceReply(std::uint32_t interval, std::uint32_t leechers,
                                     std::uint32_t seeders) {
  std::vector<std::byte> out = replyHeader(UdpTrackerAction::Announce, 7);
  putBe(out, interval, 4);
  putBe(out, leechers, 4);
  putBe(out, seeders, 4);
  return out;
}

}  // namespace

class TstTrackerUdpPacket : public QObject {
  Q_OBJECT
 private slots:
  void connectRequestLayout() {
    const std::vector<std::byte> packet = encodeUdpConnect(0xdeadbeef);
    QCOMPARE(packet.size(), std::size_t{16});
    QCOMPARE(getBe(packet, 0, 8), std::uint64_t{0x41727101980});
    QCOMPARE(getBe(packet, 8, 4), std::uint64_t{0});
    QCOMPARE(getBe(packet, 12, 4), std::uint64_t{0xdeadbeef});
  }

  void announceRequestLayout_data() {
    QTest::addColumn<int>("event");
    QTest::addColumn<int>("wire");
    QTest::newRow("none") << int(AnnounceEvent::None) << 0;
    QTest::newRow("completed") << int(AnnounceEvent::Completed) << 1;
    QTest::newRow("started") << int(AnnounceEvent::Started) << 2;
    QTest::newRow("stopped") << int(AnnounceEvent::Stopped) << 3;
  }
  void announceRequestLayout() {
    QFETCH(int, event);
    QFETCH(int, wire);
    AnnounceParams p;
    p.infoHash = hashFrom(0xf0);
    p.peerId = peerIdOf("-TY0100-abcdefghijkl");
    p.downloaded = 0x0102030405060708ull;
    p.left = 5;
    p.uploaded = 1ull << 40;
    p.event = static_cast<AnnounceEvent>(event);
    p.key = 0xcafef00d;
    p.numWant = 80;
    p.port = 51413;
    const std::vector<std::byte> packet = encodeUdpAnnounce(0x1122334455667788ull, 42, p);
    QCOMPARE(packet.size(), std::size_t{98});
    QCOMPARE(getBe(packet, 0, 8), std::uint64_t{0x1122334455667788ull});
    QCOMPARE(getBe(packet, 8, 4), std::uint64_t{1});
    QCOMPARE(getBe(packet, 12, 4), std::uint64_t{42});
    QVERIFY(std::equal(p.infoHash.begin(), p.infoHash.end(), packet.begin() + 16));
    QVERIFY(std::equal(p.peerId.begin(), p.peerId.end(), packet.begin() + 36));
    QCOMPARE(getBe(packet, 56, 8), p.downloaded);
    QCOMPARE(getBe(packet, 64, 8), p.left);
    QCOMPARE(getBe(packet, 72, 8), p.uploaded);
    QCOMPARE(getBe(packet, 80, 4), std::uint64_t(wire));
    QCOMPARE(getBe(packet, 84, 4), std::uint64_t{0});  // IP: the sender's
    QCOMPARE(getBe(packet, 88, 4), std::uint64_t{0xcafef00d});
    QCOMPARE(getBe(packet, 92, 4), std::uint64_t{80});
    QCOMPARE(getBe(packet, 96, 2), std::uint64_t{51413});
  }

  void announceDefaultNumWantIsMinusOne() {
    AnnounceParams p;
    p.numWant = -1;
    const std::vector<std::byte> packet = encodeUdpAnnounce(1, 2, p);
    QCOMPARE(getBe(packet, 92, 4), std::uint64_t{0xffffffff});
  }

  void announceCarriesUrlDataInChunks() {
    AnnounceParams p;
    const std::string path = "/announce?passkey=" + std::string(300, 'k');
    const std::vector<std::byte> packet = encodeUdpAnnounce(1, 2, p, path);
    // Two URLData options: 255 bytes, then the rest.
    QCOMPARE(packet.size(), std::size_t{98 + 2 + 255 + 2 + (path.size() - 255)});
    QCOMPARE(std::to_integer<int>(packet[98]), 2);
    QCOMPARE(std::to_integer<int>(packet[99]), 255);
    QCOMPARE(std::to_integer<int>(packet[98 + 2 + 255]), 2);
    QCOMPARE(std::to_integer<std::size_t>(packet[98 + 2 + 255 + 1]), path.size() - 255);
    std::string carried = textOf(std::span(packet).subspan(100, 255));
    carried += textOf(std::span(packet).subspan(98 + 2 + 255 + 2));
    QCOMPARE(carried, path);
    // Without a path nothing follows the 98 bytes.
    QCOMPARE(encodeUdpAnnounce(1, 2, p, "").size(), std::size_t{98});
  }

  void scrapeRequestLayoutAndCap() {
    std::vector<InfoHashV1> hashes;
    for (unsigned i = 0; i < 80; ++i) {
      hashes.push_back(hashFrom(i));
    }
    const std::vector<std::byte> packet = encodeUdpScrape(9, 10, hashes);
    QCOMPARE(packet.size(), std::size_t{16 + 74 * 20});  // at most 74 per packet
    QCOMPARE(getBe(packet, 8, 4), std::uint64_t{2});
    QVERIFY(std::equal(hashes[73].begin(), hashes[73].end(), packet.begin() + 16 + 73 * 20));
  }

  void replyHeaderNeedsEightBytes() {
    QVERIFY(!readUdpReplyHeader(bytesOf("1234567")).has_value());
    const auto header = readUdpReplyHeader(replyHeader(UdpTrackerAction::Error, 99));
    QVERIFY(header.has_value());
    QCOMPARE(header->action, std::uint32_t{3});
    QCOMPARE(header->transactionId, std::uint32_t{99});
  }

  void connectReply() {
    std::vector<std::byte> reply = replyHeader(UdpTrackerAction::Connect, 1);
    putBe(reply, 0xabcdef0123456789ull, 8);
    const auto id = parseUdpConnectReply(reply);
    QVERIFY(id.ok());
    QCOMPARE(id.value(), std::uint64_t{0xabcdef0123456789ull});
    // Too short, and the wrong action.
    reply.pop_back();
    QCOMPARE(parseUdpConnectReply(reply).error().code, ErrorCode::ProtocolError);
    std::vector<std::byte> wrong = replyHeader(UdpTrackerAction::Announce, 1);
    putBe(wrong, 1, 8);
    QCOMPARE(parseUdpConnectReply(wrong).error().code, ErrorCode::ProtocolError);
  }

  void announceReplyIpv4() {
    std::vector<std::byte> reply = announceReply(1800, 3, 4);
    for (const auto& p :
         {SocketAddress::v4({10, 0, 0, 1}, 6881), SocketAddress::v4({1, 2, 3, 4}, 80)}) {
      const auto entry = encodeCompactPeer(p);
      reply.insert(reply.end(), entry.begin(), entry.end());
    }
    // Entries no peer can have are skipped, not fatal.
    const auto zeroPort = encodeCompactPeer(SocketAddress::v4({5, 5, 5, 5}, 0));
    reply.insert(reply.end(), zeroPort.begin(), zeroPort.end());
    const auto r = parseUdpAnnounceReply(reply, SocketAddress::Family::V4);
    QVERIFY(r.ok());
    QCOMPARE(r.value().interval->count(), 1800);
    QCOMPARE(*r.value().leechers, std::int64_t{3});
    QCOMPARE(*r.value().seeders, std::int64_t{4});
    QCOMPARE(r.value().peers.size(), std::size_t{2});
    QCOMPARE(r.value().peers[0].address.toString(), std::string("10.0.0.1:6881"));
    QCOMPARE(r.value().peers[1].address.toString(), std::string("1.2.3.4:80"));
  }

  void announceReplyIpv6() {
    std::vector<std::byte> reply = announceReply(60, 0, 1);
    const auto entry = encodeCompactPeer(*SocketAddress::parse("2001:db8::7", 51413));
    reply.insert(reply.end(), entry.begin(), entry.end());
    const auto r = parseUdpAnnounceReply(reply, SocketAddress::Family::V6);
    QVERIFY(r.ok());
    QCOMPARE(r.value().peers.size(), std::size_t{1});
    QCOMPARE(r.value().peers[0].address.toString(), std::string("[2001:db8::7]:51413"));
    // The same 18 bytes read as IPv4 entries are 3 peers: the family decides.
    QVERIFY(parseUdpAnnounceReply(reply, SocketAddress::Family::V4).ok());
  }

  void announceReplyRejections_data() {
    QTest::addColumn<int>("extra");
    QTest::addColumn<bool>("v6");
    QTest::newRow("v4 +1") << 1 << false;
    QTest::newRow("v4 +5") << 5 << false;
    QTest::newRow("v4 +7") << 7 << false;
    QTest::newRow("v6 +6") << 6 << true;
    QTest::newRow("v6 +17") << 17 << true;
    QTest::newRow("v6 +19") << 19 << true;
  }
  void announceReplyRejections() {
    QFETCH(int, extra);
    QFETCH(bool, v6);
    std::vector<std::byte> reply = announceReply(1800, 0, 0);
    reply.resize(reply.size() + static_cast<std::size_t>(extra), std::byte{1});
    const auto r =
        parseUdpAnnounceReply(reply, v6 ? SocketAddress::Family::V6 : SocketAddress::Family::V4);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::ProtocolError);
  }

  void announceReplyTooShortOrWrongAction() {
    std::vector<std::byte> reply = announceReply(1800, 0, 0);
    reply.pop_back();
    QVERIFY(!parseUdpAnnounceReply(reply, SocketAddress::Family::V4).ok());
    std::vector<std::byte> scrape = replyHeader(UdpTrackerAction::Scrape, 7);
    putBe(scrape, 0, 12);
    QVERIFY(!parseUdpAnnounceReply(scrape, SocketAddress::Family::V4).ok());
  }

  void scrapeReply() {
    std::vector<std::byte> reply = replyHeader(UdpTrackerAction::Scrape, 5);
    for (std::uint32_t i = 1; i <= 2; ++i) {
      putBe(reply, i * 10, 4);
      putBe(reply, i * 100, 4);
      putBe(reply, i, 4);
    }
    const auto r = parseUdpScrapeReply(reply, 2);
    QVERIFY(r.ok());
    QCOMPARE(r.value().size(), std::size_t{2});
    QCOMPARE(r.value()[1], (ScrapeInfo{20, 200, 2}));
    // Fewer entries than hashes asked for.
    QCOMPARE(parseUdpScrapeReply(reply, 3).error().code, ErrorCode::ProtocolError);
  }

  void errorReplyIsEscaped() {
    std::vector<std::byte> reply = replyHeader(UdpTrackerAction::Error, 5);
    const auto text = bytesOf("bad\x1b[31m \xff torrent\n");
    reply.insert(reply.end(), text.begin(), text.end());
    const Error e = udpErrorReplyToError(reply);
    QCOMPARE(e.code, ErrorCode::TrackerError);
    QCOMPARE(e.detail, std::string("tracker: bad\\x1b[31m \\xff torrent\\x0a"));
    const Error empty = udpErrorReplyToError(replyHeader(UdpTrackerAction::Error, 5));
    QCOMPARE(empty.code, ErrorCode::TrackerError);
  }

  void errorReplyIsCapped() {
    std::vector<std::byte> reply = replyHeader(UdpTrackerAction::Error, 5);
    const auto text = bytesOf(std::string(60000, 'e'));
    reply.insert(reply.end(), text.begin(), text.end());
    const Error e = udpErrorReplyToError(reply);
    QVERIFY(e.detail.size() <= 600);
    QVERIFY(e.detail.ends_with("..."));
  }

  void udpUrls_data() {
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("urlData");
    QTest::newRow("plain") << "udp://tracker.example.org:6969" << true << "tracker.example.org"
                           << 6969 << "";
    QTest::newRow("path") << "UDP://Tracker.Example.org:80/announce?passkey=1#frag" << true
                          << "tracker.example.org" << 80 << "/announce?passkey=1";
    QTest::newRow("ipv6") << "udp://[::1]:1337/announce" << true << "::1" << 1337 << "/announce";
    QTest::newRow("ipv4") << "udp://127.0.0.1:1" << true << "127.0.0.1" << 1 << "";
    QTest::newRow("no port") << "udp://tracker.example.org/announce" << false << "" << 0 << "";
    QTest::newRow("port 0") << "udp://tracker.example.org:0" << false << "" << 0 << "";
    QTest::newRow("port big") << "udp://tracker.example.org:65536" << false << "" << 0 << "";
    QTest::newRow("userinfo") << "udp://user@tracker.example.org:80" << false << "" << 0 << "";
    QTest::newRow("empty host") << "udp://:80" << false << "" << 0 << "";
    QTest::newRow("bad v6") << "udp://[::g]:80" << false << "" << 0 << "";
    QTest::newRow("v6 no port") << "udp://[::1]/x" << false << "" << 0 << "";
    QTest::newRow("space") << "udp://a b:80" << false << "" << 0 << "";
    QTest::newRow("http") << "http://tracker.example.org:80" << false << "" << 0 << "";
  }
  void udpUrls() {
    QFETCH(QString, url);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, urlData);
    const auto parsed = parseUdpTrackerUrl(url.toStdString());
    QCOMPARE(parsed.has_value(), ok);
    if (ok) {
      QCOMPARE(QString::fromStdString(parsed->host), host);
      QCOMPARE(int(parsed->port), port);
      QCOMPARE(QString::fromStdString(parsed->urlData), urlData);
    }
  }

  void schemes() {
    QCOMPARE(trackerSchemeOf("HTTP://x/announce"), TrackerScheme::Http);
    QCOMPARE(trackerSchemeOf("https://x/announce"), TrackerScheme::Https);
    QCOMPARE(trackerSchemeOf("udp://x:1"), TrackerScheme::Udp);
    QCOMPARE(trackerSchemeOf("wss://x/announce"), TrackerScheme::Unsupported);
    QCOMPARE(trackerSchemeOf(""), TrackerScheme::Unsupported);
  }
};

QTEST_GUILESS_MAIN(TstTrackerUdpPacket)
#include "tst_tracker_udp_packet.moc"
