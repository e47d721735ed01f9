// HTTP tracker answers: compact IPv4 and IPv6 peers, dictionary peers,
// intervals, counts, tracker id, warning; every rejection; the 1 MiB cap;
// escaped failure reasons; scrape answers.
#include <QtTest>

#include "engine/bt/TrackerHttpResponse.h"
#include "unit/tracker/TrackerTestUtil.h"

using namespace tributary;
using namespace tributary::bt;
using namespace tributary::bt::test;

namespace {

std::string str(const std::string& bytes) {
  return std::to_string(bytes.size()) + ":" + bytes;
}

std::string compact4(std::initializer_list<std::array<unsigned, 5>> peers) {
  std::string out;
  for (const auto& p : peers) {
    for (int i = 0; i < 4; ++i) {
      out.push_back(static_cast<char>(p[i]));
    }
    out.push_back(static_cast<char>(p[4] >> 8));
    out.push_back(static_cast<char>(p[4] & 0xff));
  }
  return out;
}

std::string compact6(const std::string& ip, unsigned port) {
  const auto address = loop::SocketAddress::parse(ip, static_cast<std::uint16_t>(port));
  std::string out;
  for (const std::uint8_t b : address->bytes()) {
    out.push_back(static_cast<char>(b));
  }
  out.push_back(static_cast<char>(port >> 8));
  out.push_back(static_cast<char>(port & 0xff));
  return out;
}

ErrorCode failureOf(const std::string& body) {
  const auto r = parseHttpAnnounceResponse(body);
  return r.ok() ? ErrorCode::Ok : r.error().code;
}

}  // namespace

class TstTrackerHttpResponse : public QObject {
  Q_OBJECT
 private slots:
  void compactIpv4AndIpv6() {
    const std::string body = "d8:completei5e10:downloadedi7e10:incompletei3e8:intervali1800e" +
                             std::string("12:min intervali60e5:peers") +
                             str(compact4({{10, 0, 0, 1, 6881}, {192, 168, 1, 20, 51413}})) +
                             "6:peers6" + str(compact6("2001:db8::1", 443)) + "10:tracker id" +
                             str("abc\x01") + "15:warning message" + str("slow down\n") + "e";
    const auto r = parseHttpAnnounceResponse(body);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().detail.c_str());
    const AnnounceResponse& a = r.value();
    QCOMPARE(a.interval->count(), 1800);
    QCOMPARE(a.minInterval->count(), 60);
    QCOMPARE(*a.seeders, std::int64_t{5});
    QCOMPARE(*a.leechers, std::int64_t{3});
    QCOMPARE(*a.downloaded, std::int64_t{7});
    QCOMPARE(a.trackerId, std::string("abc\x01"));  // raw: it goes back to the tracker as sent
    QCOMPARE(a.warning, std::string("slow down\\x0a"));
    QCOMPARE(a.peers.size(), std::size_t{3});
    QCOMPARE(a.peers[0].address.toString(), std::string("10.0.0.1:6881"));
    QCOMPARE(a.peers[1].address.toString(), std::string("192.168.1.20:51413"));
    QCOMPARE(a.peers[2].address.toString(), std::string("[2001:db8::1]:443"));
    QVERIFY(!a.peers[0].peerId.has_value());
  }

  void dictionaryPeers() {
    const std::string id(20, 'P');
    const std::string body =
        "d8:intervali900e5:peersl"
        "d2:ip9:127.0.0.17:peer id" +
        str(id) +
        "4:porti6881ee"
        "d2:ip11:2001:db8::94:porti80ee"
        "d2:ip16:peer.example.org4:porti1ee"       // a name: skipped, not resolved
        "d2:ip8:10.0.0.14:porti0ee"                // port 0
        "d2:ip8:10.0.0.14:porti65536ee"            // port too big
        "d2:ip7:0.0.0.04:porti5ee"                 // unspecified
        "d4:porti5ee"                              // no ip
        "d2:ip8:10.0.0.27:peer id3:abc4:porti7ee"  // short peer id: dropped, peer kept
        "i5e"                                      // not a dictionary
        "ee";
    const auto r = parseHttpAnnounceResponse(body);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().detail.c_str());
    const auto& peers = r.value().peers;
    QCOMPARE(peers.size(), std::size_t{3});
    QCOMPARE(peers[0].address.toString(), std::string("127.0.0.1:6881"));
    QVERIFY(peers[0].peerId.has_value());
    QCOMPARE(textOf(*peers[0].peerId), id);
    QCOMPARE(peers[1].address.toString(), std::string("[2001:db8::9]:80"));
    QCOMPARE(peers[2].address.toString(), std::string("10.0.0.2:7"));
    QVERIFY(!peers[2].peerId.has_value());
  }

  void minimalAnswers() {
    // No peers at all and no interval: the caller's defaults apply.
    const auto r = parseHttpAnnounceResponse("de");
    QVERIFY(r.ok());
    QVERIFY(!r.value().interval.has_value());
    QVERIFY(r.value().peers.empty());
    QVERIFY(!r.value().seeders.has_value());
    // Empty compact lists are whole lists.
    QVERIFY(parseHttpAnnounceResponse("d8:intervali0e5:peers0:6:peers60:e").ok());
  }

  void failureReasonIsEscapedAndCapped() {
    const auto r = parseHttpAnnounceResponse(
        "d14:failure reason" + str("unregistered\r\n\x07torrent") + "8:intervali5e5:peers1:xe");
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::TrackerError);
    QCOMPARE(r.error().detail, std::string("tracker: unregistered\\x0d\\x0a\\x07torrent"));
    const auto huge =
        parseHttpAnnounceResponse("d14:failure reason" + str(std::string(100000, 'F')) + "e");
    QCOMPARE(huge.error().code, ErrorCode::TrackerError);
    QVERIFY(huge.error().detail.size() < 600);
    QVERIFY(huge.error().detail.ends_with("..."));
    // A failure without text is still a failure.
    QCOMPARE(failureOf("d14:failure reasoni1ee"), ErrorCode::TrackerError);
    QCOMPARE(failureOf("d14:failure reason0:e"), ErrorCode::TrackerError);
  }

  void rejections_data() {
    QTest::addColumn<QByteArray>("body");
    auto row = [](const char* name, const std::string& body) {
      QTest::newRow(name) << QByteArray(body.data(), static_cast<qsizetype>(body.size()));
    };
    row("empty", "");
    row("not bencode", "<html>502 Bad Gateway</html>");
    row("truncated", "d8:intervali1800e5:peers12:abc");
    row("trailing data", "d8:intervali1800eeXYZ");
    row("list root", "li1ee");
    row("string root", "4:spam");
    row("integer root", "i5e");
    row("duplicate key", "d8:intervali1e8:intervali2ee");
    row("leading zero", "d8:intervali01ee");
    row("peers integer", "d5:peersi5ee");
    row("peers dict", "d5:peersdee");
    row("peers6 list", "d6:peers6lee");
    row("peers6 integer", "d6:peers6i1ee");
    row("compact 5", "d5:peers5:abcdee");
    row("compact 7", "d5:peers7:abcdefge");
    row("compact 13", "d5:peers13:abcdefghijklme");
    row("compact6 17", "d6:peers617:abcdefghijklmnopqe");
    row("compact6 19", "d6:peers619:abcdefghijklmnopqrse");
    row("compact6 6", "d6:peers66:abcdefe");
    row("interval string", "d8:interval4:1800e");
    row("interval negative", "d8:intervali-1ee");
    row("min interval negative", "d12:min intervali-60ee");
    row("min interval list", "d12:min intervalli1eee");
    row("too deep", std::string(40, 'l') + std::string(40, 'e'));
  }
  void rejections() {
    QFETCH(QByteArray, body);
    const auto r = parseHttpAnnounceResponse(std::string_view(body.constData(), body.size()));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::ProtocolError);
  }

  void bodyCap() {
    // A body of exactly 1 MiB (compact peers and padding) is accepted...
    const std::string peers = compact4({{10, 0, 0, 1, 1}}) + std::string(6 * 3000, '\x01');
    std::string body;
    for (std::size_t fill = kMaxTrackerBodyBytes;
         body.size() != kMaxTrackerBodyBytes && fill > 0;) {
      body = "d7:padding" + str(std::string(fill, 'p')) + "5:peers" + str(peers) + "e";
      fill -= body.size() > kMaxTrackerBodyBytes ? body.size() - kMaxTrackerBodyBytes : 0;
      if (body.size() < kMaxTrackerBodyBytes) {
        fill += 1;  // the length's digits shrank: step back up
      }
    }
    QCOMPARE(body.size(), kMaxTrackerBodyBytes);
    const auto ok = parseHttpAnnounceResponse(body);
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().detail.c_str());
    QCOMPARE(ok.value().peers.size(), std::size_t{2000});  // the peer cap keeps the first ones
    QCOMPARE(ok.value().peers[0].address.toString(), std::string("10.0.0.1:1"));
    // ...one byte more is refused before decoding.
    const auto r = parseHttpAnnounceResponse(body + " ");
    QCOMPARE(r.error().code, ErrorCode::ProtocolError);
    QVERIFY(r.error().detail.find("limit") != std::string::npos);
    TrackerResponseLimits small;
    small.maxBodyBytes = 10;
    QCOMPARE(parseHttpAnnounceResponse("d8:intervali1800ee", small).error().code,
             ErrorCode::ProtocolError);
  }

  void oddFieldsAreIgnoredNotFatal() {
    const std::string body = "d8:completei-5e10:incomplete3:abc10:tracker id" +
                             str(std::string(300, 't')) + "15:warning messagei5ee";
    const auto r = parseHttpAnnounceResponse(body);
    QVERIFY(r.ok());
    QVERIFY(!r.value().seeders.has_value());
    QVERIFY(!r.value().leechers.has_value());
    QVERIFY(r.value().trackerId.empty());  // over kMaxTrackerIdBytes
    QVERIFY(r.value().warning.empty());
  }

  void scrape() {
    const std::string a(20, 'a');
    const std::string b(20, 'b');
    const std::string body = "d5:filesd" + str(a) +
                             "d8:completei5e10:downloadedi50e10:incompletei10ee" + str(b) +
                             "d8:completei1ee" + str("short") + "d8:completei9ee" +
                             "e5:flagsd20:min_request_intervali3600eee";
    const auto r = parseHttpScrapeResponse(body);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().detail.c_str());
    QCOMPARE(r.value().size(), std::size_t{2});
    QCOMPARE(textOf(r.value()[0].first), a);
    QCOMPARE(r.value()[0].second, (ScrapeInfo{5, 50, 10}));
    QCOMPARE(r.value()[1].second, (ScrapeInfo{1, 0, 0}));
  }

  void scrapeRejections() {
    QCOMPARE(parseHttpScrapeResponse("de").error().code, ErrorCode::ProtocolError);
    QCOMPARE(parseHttpScrapeResponse("d5:filesle").error().code, ErrorCode::ProtocolError);
    QCOMPARE(parseHttpScrapeResponse("le").error().code, ErrorCode::ProtocolError);
    QCOMPARE(parseHttpScrapeResponse("d14:failure reason4:nopee").error().code,
             ErrorCode::TrackerError);
    QCOMPARE(parseHttpScrapeResponse(std::string(kMaxTrackerBodyBytes + 1, 'd')).error().code,
             ErrorCode::ProtocolError);
  }
};

QTEST_GUILESS_MAIN(TstTrackerHttpResponse)
#include "tst_tracker_http_response.moc"
