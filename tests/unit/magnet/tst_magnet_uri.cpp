// Magnet links (BEP 9, BEP 53): the info-hash in hex and base32 of either case,
// dn/tr/ws/x.pe/so with their percent-encoding, de-duplication and caps, every
// error naming its parameter, and makeMagnetUri() output parsing back to itself.
#include <QtTest>

#include "engine/bt/MagnetUri.h"
#include "engine/codec/HexBase32.h"

using namespace tributary;
using namespace tributary::bt;

namespace {

constexpr char kHex[] = "0123456789abcdef0123456789abcdef01234567";
constexpr char kBase32[] = "AERUKZ4JVPG66AJDIVTYTK6N54ASGRLH";  // the same 20 bytes
constexpr char kOtherHex[] = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

util::Sha1::Digest digestOf(std::string_view hex) {
  util::Sha1::Digest out{};
  std::array<std::uint8_t, 20> bytes{};
  if (!codec::hexDecode(hex, bytes)) {
    qFatal("bad test hex");
  }
  std::transform(bytes.begin(), bytes.end(), out.begin(),
                 [](std::uint8_t b) { return static_cast<std::byte>(b); });
  return out;
}

std::string magnet(std::string_view rest) {
  return std::string("magnet:?xt=urn:btih:") + kHex + std::string(rest);
}

MagnetUri parseOk(const std::string& text) {
  Result<MagnetUri> r = parseMagnetUri(text);
  if (!r.ok()) {
    qWarning("unexpected error for %s: %s", text.c_str(), r.error().toString().c_str());
    return {};
  }
  return std::move(r).value();
}

QString q(const std::string& s) {
  return QString::fromStdString(s);
}

QStringList qList(const std::vector<std::string>& list) {
  QStringList out;
  for (const std::string& s : list) {
    out << q(s);
  }
  return out;
}

using Ranges = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

}  // namespace

class TestMagnetUri : public QObject {
  Q_OBJECT

 private slots:
  void hexAndBase32InEitherCase() {
    const util::Sha1::Digest want = digestOf(kHex);
    const std::string upperHex = QString(kHex).toUpper().toStdString();
    const std::string lowerBase32 = QString(kBase32).toLower().toStdString();
    for (const std::string& hash :
         {std::string(kHex), upperHex, std::string(kBase32), lowerBase32}) {
      const MagnetUri m = parseOk("magnet:?xt=urn:btih:" + hash);
      QVERIFY2(m.infoHash == want, hash.c_str());
    }
  }

  void schemeAndNamesAreCaseInsensitiveAndSpaceTrimmed() {
    const MagnetUri m = parseOk(std::string("  MAGNET:?XT=URN:BTIH:") + kHex + "&DN=x \n");
    QVERIFY(m.infoHash == digestOf(kHex));
    QCOMPARE(q(m.displayName), QString("x"));
  }

  void minimalMagnetHasEmptyLists() {
    const MagnetUri m = parseOk(magnet(""));
    QVERIFY(m.displayName.empty());
    QVERIFY(m.trackers.empty() && m.webSeeds.empty() && m.peers.empty() && m.selectOnly.empty());
  }

  void displayNameIsDecodedCleanedAndCapped() {
    QCOMPARE(q(parseOk(magnet("&dn=Big+Buck%20Bunny%2B1")).displayName),
             QString("Big Buck Bunny+1"));
    QCOMPARE(q(parseOk(magnet("&dn=%E4%B8%AD%E6%96%87")).displayName), QString("中文"));
    // Invalid UTF-8 becomes U+FFFD; control characters go.
    QCOMPARE(q(parseOk(magnet("&dn=a%FFb%0A%00c")).displayName), QString("a\uFFFDbc"));
    // The first dn wins.
    QCOMPARE(q(parseOk(magnet("&dn=first&dn=second")).displayName), QString("first"));

    const MagnetUri ascii = parseOk(magnet("&dn=" + std::string(3000, 'a')));
    QCOMPARE(ascii.displayName.size(), kMaxMagnetNameBytes);
    std::string wide;
    for (int i = 0; i < 600; ++i) {
      wide += "%E4%B8%AD";  // 3 bytes each: the cap falls inside a character
    }
    const MagnetUri cut = parseOk(magnet("&dn=" + wide));
    QCOMPARE(cut.displayName.size(), std::size_t{1023});
    QVERIFY(cut.displayName.size() <= kMaxMagnetNameBytes);
    QVERIFY(QString::fromUtf8(cut.displayName.data(), qsizetype(cut.displayName.size()))
                .toUtf8()
                .toStdString() == cut.displayName);
  }

  void trackersAreDecodedDeduplicatedAndFiltered() {
    const MagnetUri m =
        parseOk(magnet("&tr=udp%3A%2F%2Ftracker.example%3A1337%2Fannounce"
                       "&tr=http://t.example/announce?a=1%26b=2"
                       "&tr.1=https%3A%2F%2Fs.example%2Fannounce"
                       "&tr=udp%3A%2F%2Ftracker.example%3A1337%2Fannounce"  // duplicate
                       "&tr=wss%3A%2F%2Fw.example%2F"                       // not http/https/udp
                       "&tr=ftp://f.example/"
                       "&tr=udp%3A%2F%2Fnoport.example"           // udp needs a port
                       "&tr=http%3A%2F%2Fbad%20space.example%2F"  // a space in a URL
                       "&tr="));
    QCOMPARE(qList(m.trackers),
             QStringList({"udp://tracker.example:1337/announce",
                          "http://t.example/announce?a=1&b=2", "https://s.example/announce"}));
  }

  void listsAreCappedAtAHundred() {
    std::string rest;
    for (int i = 0; i < 150; ++i) {
      rest += "&tr=http://t" + std::to_string(i) + ".example/a";
      rest += "&ws=http://w" + std::to_string(i) + ".example/f";
      rest += "&x.pe=10.0." + std::to_string(i / 200) + "." + std::to_string(i % 200) + ":6881";
    }
    const MagnetUri m = parseOk(magnet(rest));
    QCOMPARE(m.trackers.size(), kMaxMagnetListEntries);
    QCOMPARE(m.webSeeds.size(), kMaxMagnetListEntries);
    QCOMPARE(m.peers.size(), kMaxMagnetListEntries);
    QCOMPARE(q(m.trackers.front()), QString("http://t0.example/a"));
    QCOMPARE(q(m.trackers.back()), QString("http://t99.example/a"));
  }

  void webSeedsAreHttpOnly() {
    const MagnetUri m =
        parseOk(magnet("&ws=http%3A%2F%2Fmirror.example%2Ffile.iso&ws=https://m2.example/f"
                       "&ws=udp://x.example:80&ws=ftp://f.example/f&ws=https://m2.example/f"));
    QCOMPARE(qList(m.webSeeds),
             QStringList({"http://mirror.example/file.iso", "https://m2.example/f"}));
  }

  void peerAddressesAreCheckedSyntactically() {
    const MagnetUri m =
        parseOk(magnet("&x.pe=10.0.0.1:6881&x.pe=%5B%3A%3A1%5D%3A51413&x.pe=[2001:db8::2]:80"
                       "&x.pe=peer.example:6881&x.pe.1=10.0.0.1:6881"
                       // dropped: no port, port 0, port too big, unbracketed v6, broken brackets,
                       // bad host characters, an empty host.
                       "&x.pe=10.0.0.1&x.pe=10.0.0.1:0&x.pe=10.0.0.1:65536&x.pe=::1:80&x.pe=[::1:80"
                       "&x.pe=bad%20host:80&x.pe=:80&x.pe=a..b:80"));
    QCOMPARE(qList(m.peers), QStringList({"10.0.0.1:6881", "[::1]:51413", "[2001:db8::2]:80",
                                          "peer.example:6881"}));
  }

  void selectOnlyRanges() {
    QVERIFY(parseOk(magnet("&so=0,2,4-6")).selectOnly == Ranges({{0, 0}, {2, 2}, {4, 6}}));
    QVERIFY(parseOk(magnet("&so=7%2C1-1&so=4294967295")).selectOnly ==
            Ranges({{7, 7}, {1, 1}, {4294967295U, 4294967295U}}));
  }

  void selectOnlyErrorsNameSo() {
    for (const char* bad :
         {"", "a", "1-", "-1", "3-1", "1,,2", "1,", "4294967296", "1-2-3", "+1", "1 ,2"}) {
      const Result<MagnetUri> r = parseMagnetUri(magnet(std::string("&so=") + bad));
      QVERIFY2(!r.ok(), bad);
      QCOMPARE(r.error().code, ErrorCode::InvalidMagnet);
      QVERIFY2(r.error().detail.find("'so'") != std::string::npos, r.error().detail.c_str());
    }
  }

  void unknownParametersAreIgnored() {
    const MagnetUri m =
        parseOk(magnet("&xl=1234&foo=%zz&kt=a+b&&flag&x.foo=1&mt=%&xt=urn:sha1:ABCDEF&dn=n"));
    QCOMPARE(q(m.displayName), QString("n"));
    QVERIFY(m.infoHash == digestOf(kHex));
  }

  void numberedAndHybridTopics() {
    const MagnetUri numbered =
        parseOk(std::string("magnet:?xt.1=urn:ed2k:31D6CFE0D16AE931&xt.2=urn:btih:") + kHex);
    QVERIFY(numbered.infoHash == digestOf(kHex));
    const std::string btmh = "urn:btmh:1220" + std::string(64, 'a');
    const MagnetUri hybrid =
        parseOk("magnet:?xt=" + btmh + "&xt=urn:btih:" + std::string(kBase32) + "&dn=h");
    QVERIFY(hybrid.infoHash == digestOf(kHex));
    // The same hash twice (hex, then base32) is one hash.
    QVERIFY(parseOk(magnet(std::string("&xt=urn:btih:") + kBase32)).infoHash == digestOf(kHex));
  }

  void v2OnlyIsNotSupported() {
    const Result<MagnetUri> r =
        parseMagnetUri("magnet:?xt=urn:btmh:1220" + std::string(64, 'a') + "&dn=v2");
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::NotSupported);
    QCOMPARE(q(r.error().detail), QString("BitTorrent v2-only magnets are not supported"));
  }

  void errors_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("detail");  // a part of the error detail
    const auto row = [](const char* name, const std::string& text, const char* detail) {
      QTest::newRow(name) << q(text) << QString(detail);
    };
    const std::string btih = std::string("magnet:?xt=urn:btih:");
    row("http url", "http://example.com/a.torrent", "not a magnet link");
    row("no question mark", std::string("magnet:xt=urn:btih:") + kHex, "not a magnet link");
    row("empty", "", "not a magnet link");
    row("no xt", "magnet:?dn=x&tr=udp://t:1", "no info-hash (xt=urn:btih:...)");
    row("only other urns", "magnet:?xt=urn:sha1:ABC", "no info-hash");
    row("short hash", btih + "0123", "'xt'");
    row("41 hex", btih + kHex + "0", "'xt'");
    row("bad hex", btih + "0123456789abcdef0123456789abcdef0123456g", "'xt'");
    row("bad base32", btih + "AERUKZ4JVPG66AJDIVTYTK6N54ASGRL1", "'xt'");
    row("two hashes", btih + kHex + "&xt=urn:btih:" + kOtherHex, "two different info-hashes");
    row("bad escape in tr", magnet("&tr=http%3"), "bad percent-encoding in 'tr'");
    row("bad escape in dn", magnet("&dn=100%"), "bad percent-encoding in 'dn'");
    row("bad escape in ws", magnet("&ws=%G1"), "bad percent-encoding in 'ws'");
    row("bad escape in x.pe", magnet("&x.pe=%"), "bad percent-encoding in 'x.pe'");
    row("bad escape in xt", "magnet:?xt=urn%3Abtih%3", "bad percent-encoding in 'xt'");
  }

  void errors() {
    QFETCH(QString, text);
    QFETCH(QString, detail);
    const Result<MagnetUri> r = parseMagnetUri(text.toStdString());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::InvalidMagnet);
    QVERIFY2(q(r.error().detail).contains(detail), r.error().detail.c_str());
  }

  void percentEncodedTopicIsAccepted() {
    QVERIFY(parseOk(std::string("magnet:?xt=urn%3Abtih%3A") + kHex).infoHash == digestOf(kHex));
  }

  void tooLongIsRefused() {
    std::string text = magnet("&x=");
    text.append(kMaxMagnetUriBytes - text.size(), 'a');
    QVERIFY(parseMagnetUri(text).ok());  // exactly at the cap
    text.push_back('a');
    const Result<MagnetUri> r = parseMagnetUri(text);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::InvalidMagnet);
    QVERIFY(r.error().detail.find("64 KiB") != std::string::npos);
  }

  void makeBuildsTheUsualForm() {
    const std::vector<std::string> trackers = {"udp://t.example:80/announce"};
    const std::vector<std::string> seeds = {"https://m.example/a b"};
    QCOMPARE(q(makeMagnetUri(digestOf(kHex), "a b&c", trackers, seeds)),
             QString("magnet:?xt=urn:btih:") + kHex +
                 "&dn=a%20b%26c&tr=udp%3A%2F%2Ft.example%3A80%2Fannounce"
                 "&ws=https%3A%2F%2Fm.example%2Fa%20b");
    QCOMPARE(q(makeMagnetUri(digestOf(kHex), "")), QString("magnet:?xt=urn:btih:") + kHex);
  }

  void roundTrip() {
    MagnetUri m;
    m.infoHash = digestOf(kOtherHex);
    m.displayName = "Ünïcode + spaces & = ? # 100% 中文";
    m.trackers = {"udp://tracker.example:6969/announce", "http://t.example/a?x=1&y=2+3",
                  "https://[2001:db8::1]:8443/announce"};
    m.webSeeds = {"http://m.example/files/", "https://m2.example/a%20b"};
    m.peers = {"10.1.2.3:6881", "[::1]:51413", "peer.example:1"};
    m.selectOnly = {{0, 0}, {2, 2}, {4, 6}, {10, 4294967295U}};
    const std::string text = makeMagnetUri(m);
    const Result<MagnetUri> back = parseMagnetUri(text);
    QVERIFY2(back.ok(), back.ok() ? "" : back.error().detail.c_str());
    QVERIFY(back.value() == m);
    QCOMPARE(q(back.value().displayName), q(m.displayName));
    QCOMPARE(qList(back.value().trackers), qList(m.trackers));
  }
};

QTEST_GUILESS_MAIN(TestMagnetUri)
#include "tst_magnet_uri.moc"
