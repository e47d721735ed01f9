// HTTP announce and scrape URLs: raw-byte percent-encoding of the hashes,
// every parameter, existing queries kept, the scrape convention. And the
// escaping of tracker text.
#include <QtTest>

#include "engine/bt/AnnounceRequest.h"
#include "engine/bt/TrackerText.h"
#include "unit/tracker/TrackerTestUtil.h"

using namespace tributary;
using namespace tributary::bt;
using namespace tributary::bt::test;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

AnnounceParams sample() {
  AnnounceParams p;
  // Bytes that must be escaped (0x00, ' ', '%', '&', 0xff) and some that must not ('-', '.').
  const std::string raw("\x00\x20\x25\x26\xff-._~aZ09\x7f\x80/?=+#", 20);
  std::memcpy(p.infoHash.data(), raw.data(), 20);
  p.peerId = peerIdOf("-TY0100-abcdefghijkl");
  p.port = 6881;
  p.uploaded = 1;
  p.downloaded = 22;
  p.left = 333;
  p.key = 0xab;
  return p;
}

}  // namespace

class TstAnnounceRequest : public QObject {
  Q_OBJECT
 private slots:
  void everyParameter() {
    AnnounceParams p = sample();
    p.event = AnnounceEvent::Started;
    p.numWant = 50;
    p.trackerId = "id 1&x";
    const auto url = buildAnnounceUrl("http://tracker.example.org:8080/announce", p);
    QVERIFY(url.ok());
    QCOMPARE(url.value(),
             std::string("http://tracker.example.org:8080/announce?"
                         "info_hash=%00%20%25%26%FF-._~aZ09%7F%80%2F%3F%3D%2B%23"
                         "&peer_id=-TY0100-abcdefghijkl&port=6881&uploaded=1&downloaded=22"
                         "&left=333&compact=1&no_peer_id=1&event=started&numwant=50"
                         "&key=000000ab&trackerid=id%201%26x"));
  }

  void optionalParametersAreLeftOut() {
    AnnounceParams p = sample();
    p.numWant = -1;
    p.compact = false;
    p.noPeerId = false;
    const auto url = buildAnnounceUrl("https://t.example/a", p);
    QVERIFY(url.ok());
    const std::string text = url.value();
    QVERIFY(text.starts_with("https://t.example/a?info_hash="));
    QVERIFY(!has(text, "event="));
    QVERIFY(!has(text, "numwant="));
    QVERIFY(!has(text, "compact="));
    QVERIFY(!has(text, "no_peer_id="));
    QVERIFY(!has(text, "trackerid="));
    QVERIFY(text.ends_with("&left=333&key=000000ab"));
  }

  void eventsByName() {
    AnnounceParams p = sample();
    for (const auto& [event, name] : {std::pair{AnnounceEvent::Completed, "completed"},
                                      std::pair{AnnounceEvent::Stopped, "stopped"}}) {
      p.event = event;
      QVERIFY(has(buildAnnounceUrl("http://t/announce", p).value(), std::string("&event=") + name));
    }
  }

  void existingQueryIsKept() {
    const AnnounceParams p = sample();
    QVERIFY(buildAnnounceUrl("http://t/announce.php?passkey=abc", p)
                .value()
                .starts_with("http://t/announce.php?passkey=abc&info_hash="));
    QVERIFY(buildAnnounceUrl("http://t/announce?pk=1&", p)
                .value()
                .starts_with("http://t/announce?pk=1&info_hash="));
    QVERIFY(buildAnnounceUrl("http://t/announce?", p)
                .value()
                .starts_with("http://t/announce?info_hash="));
    // A fragment is not part of a request; userinfo never goes into one.
    const std::string url = buildAnnounceUrl("http://u:pw@t/announce#frag", p).value();
    QVERIFY(url.starts_with("http://t/announce?info_hash="));
    QVERIFY(!has(url, "frag"));
  }

  void unusableAnnounceUrls() {
    const AnnounceParams p = sample();
    for (const char* bad : {"", "udp://t:80/announce", "t/announce", "http://", "http://t:99999/a",
                            "http://t/\r\nX: y"}) {
      const auto url = buildAnnounceUrl(bad, p);
      QVERIFY2(!url.ok(), bad);
      QCOMPARE(url.error().code, ErrorCode::InvalidArgument);
    }
  }

  void scrapeUrls_data() {
    QTest::addColumn<QString>("announce");
    QTest::addColumn<QString>("scrape");
    QTest::newRow("plain") << "http://example.com/announce"
                           << "http://example.com/scrape";
    QTest::newRow("x") << "http://example.com/x/announce"
                       << "http://example.com/x/scrape";
    QTest::newRow("php") << "http://example.com/announce.php"
                         << "http://example.com/scrape.php";
    QTest::newRow("query") << "https://example.com/announce?x2%0644"
                           << "https://example.com/scrape?x2%0644";
    QTest::newRow("passkey path") << "http://example.com/abc/announce"
                                  << "http://example.com/abc/scrape";
    QTest::newRow("no announce") << "http://example.com/a"
                                 << "";
    QTest::newRow("announce not last") << "http://example.com/announce?x=1/y"
                                       << "http://example.com/scrape?x=1/y";
    QTest::newRow("x in front") << "http://example.com/xannounce"
                                << "";
    QTest::newRow("dir") << "http://example.com/announce/x"
                         << "";
    QTest::newRow("udp") << "udp://example.com:80/announce"
                         << "";
  }
  void scrapeUrls() {
    QFETCH(QString, announce);
    QFETCH(QString, scrape);
    const auto url = scrapeUrlFor(announce.toStdString());
    QCOMPARE(url.has_value(), !scrape.isEmpty());
    if (url) {
      QCOMPARE(QString::fromStdString(*url), scrape);
    }
  }

  void scrapeWithSeveralHashes() {
    const std::vector<InfoHashV1> hashes{hashFrom(0x41), hashFrom(0)};
    const auto url = buildScrapeUrl("http://t/scrape?k=1", hashes);
    QVERIFY(url.ok());
    QCOMPARE(url.value(), std::string("http://t/scrape?k=1&info_hash=ABCDEFGHIJKLMNOPQRST"
                                      "&info_hash=%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E"
                                      "%0F%10%11%12%13"));
    QCOMPARE(buildScrapeUrl("http://t/scrape", {}).error().code, ErrorCode::InvalidArgument);
  }

  void escapingKeepsTextAndShowsControlBytes() {
    QCOMPARE(escapeTrackerText("Torrent not registered"), std::string("Torrent not registered"));
    QCOMPARE(escapeTrackerText("caf\xc3\xa9 \xe4\xb8\xad"),
             std::string("caf\xc3\xa9 \xe4\xb8\xad"));
    QCOMPARE(escapeTrackerText("a\nb\tc\rd"), std::string("a\\x0ab\\x09c\\x0dd"));
    QCOMPARE(escapeTrackerText(std::string("nul\0x", 5)), std::string("nul\\x00x"));
    QCOMPARE(escapeTrackerText("back\\slash"), std::string("back\\\\slash"));
    QCOMPARE(escapeTrackerText("\x1b[31mred"), std::string("\\x1b[31mred"));
    QCOMPARE(escapeTrackerText("bad \xff\xfe utf8 \xc3"), std::string("bad \\xff\\xfe utf8 \\xc3"));
    QCOMPARE(escapeTrackerText("\xc2\x85"), std::string("\\x85"));  // C1 NEL
    QCOMPARE(escapeTrackerText("abc\xe2\x80\xae"
                               "cba"),
             std::string("abc\\u202ecba"));  // RLO
    QCOMPARE(escapeTrackerText("<b>html</b>"),
             std::string("<b>html</b>"));  // plain text, shown as such
  }

  void escapingCaps() {
    const std::string longText(5000, 'a');
    const std::string capped = escapeTrackerText(longText);
    QCOMPARE(capped.size(), kMaxTrackerTextBytes);
    QVERIFY(capped.ends_with("..."));
    QCOMPARE(escapeTrackerText(std::string(10, 'b'), 10), std::string(10, 'b'));  // fits exactly
    QCOMPARE(escapeTrackerText(std::string(11, 'b'), 10), std::string("bbbbbbb..."));
    // An escape is never cut in half.
    QCOMPARE(escapeTrackerText("abcd\n\n\n", 10), std::string("abcd..."));
    // Nor a multi-byte character.
    QCOMPARE(escapeTrackerText("ab\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad", 9),
             std::string("ab\xe4\xb8\xad..."));
  }
};

QTEST_GUILESS_MAIN(TstAnnounceRequest)
#include "tst_announce_request.moc"
