// ut_pex messages (BEP 11): ours encode to the exact bencoded form with all six
// keys and parse back; a peer's are parsed strictly where the format is broken
// (not a dictionary, a list of the wrong type or length) and trimmed where it is
// merely unwise (over 50 entries, misaligned flags, addresses no peer can have).
#include <QtTest>

#include "engine/bt/PexMessage.h"
#include "engine/codec/Bencode.h"

using namespace tributary;
using namespace tributary::bt;
using loop::SocketAddress;

namespace {

std::span<const std::byte> asBytes(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

SocketAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d,
                 std::uint16_t port) {
  return SocketAddress::v4({a, b, c, d}, port);
}

SocketAddress v6(std::uint8_t first, std::uint8_t last, std::uint16_t port) {
  std::array<std::uint8_t, 16> bytes{};
  bytes[0] = first;
  bytes[1] = 0x0d;
  bytes[15] = last;
  return SocketAddress::v6(bytes, port);
}

std::string compact(const SocketAddress& address) {
  std::string out;
  for (const std::uint8_t b : address.bytes()) {
    out.push_back(static_cast<char>(b));
  }
  out.push_back(static_cast<char>(address.port() >> 8));
  out.push_back(static_cast<char>(address.port() & 0xff));
  return out;
}

// A payload with the given lists (raw bytes), encoded canonically.
std::string payload(std::initializer_list<std::pair<const char*, std::string>> entries) {
  codec::BencodeNode root;
  for (const auto& [key, value] : entries) {
    root.set(key, value);
  }
  return root.encode();
}

PexMessage parseOk(const std::string& bytes) {
  Result<PexMessage> r = parsePexMessage(asBytes(bytes));
  if (!r.ok()) {
    qWarning("unexpected error: %s", r.error().toString().c_str());
    return {};
  }
  return std::move(r).value();
}

}  // namespace

class TestPexMessage : public QObject {
  Q_OBJECT

 private slots:
  void encodesTheExactForm() {
    PexMessage m;
    m.added = {{v4(10, 0, 0, 1, 6881), kPexSeed | kPexReachable},
               {v6(0x20, 0x01, 0x1a2b), kPexSupportsUtp}};
    m.dropped = {v4(192, 168, 1, 2, 80)};
    QCOMPARE(QByteArray::fromStdString(compact(v4(10, 0, 0, 1, 6881))).toHex(),
             QByteArray("0a0000011ae1"));
    const std::string want = "d5:added6:" + compact(v4(10, 0, 0, 1, 6881)) + "7:added.f1:\x12" +
                             "6:added618:" + compact(v6(0x20, 0x01, 0x1a2b)) + "8:added6.f1:\x04" +
                             "7:dropped6:" + compact(v4(192, 168, 1, 2, 80)) + "8:dropped60:e";
    QCOMPARE(QByteArray::fromStdString(encodePexMessage(m)).toHex(),
             QByteArray::fromStdString(want).toHex());
  }

  void emptyMessageStillHasEveryKey() {
    QCOMPARE(QString::fromStdString(encodePexMessage({})),
             QString("d5:added0:7:added.f0:6:added60:8:added6.f0:7:dropped0:8:dropped60:e"));
  }

  void roundTrips() {
    PexMessage m;
    for (std::uint8_t i = 1; i <= 20; ++i) {
      m.added.push_back({v4(10, 1, 0, i, 6881), static_cast<std::uint8_t>(i & 0x1f)});
      m.added.push_back({v6(0x20, i, 51413), kPexPrefersEncryption});
      m.dropped.push_back(v4(10, 2, 0, i, 1));
    }
    m.dropped.push_back(v6(0x26, 7, 443));
    const Result<PexMessage> back = parsePexMessage(asBytes(encodePexMessage(m)));
    QVERIFY(back.ok());
    // The parser returns IPv4 first, then IPv6, each in order.
    PexMessage want;
    for (const PexPeer& p : m.added) {
      if (p.address.isV4()) {
        want.added.push_back(p);
      }
    }
    for (const PexPeer& p : m.added) {
      if (p.address.isV6()) {
        want.added.push_back(p);
      }
    }
    want.dropped = m.dropped;
    QVERIFY(back.value() == want);
  }

  void parsesAListWithoutFlags() {
    const PexMessage m = parseOk(payload({{"added", compact(v4(1, 2, 3, 4, 5))}}));
    QCOMPARE(m.added.size(), std::size_t{1});
    QVERIFY(m.added[0] == (PexPeer{v4(1, 2, 3, 4, 5), 0}));
    QVERIFY(m.dropped.empty());
    QVERIFY(parseOk("de").empty());
  }

  void misalignedFlagsAreIgnored() {
    const std::string two = compact(v4(1, 1, 1, 1, 1)) + compact(v4(2, 2, 2, 2, 2));
    for (const std::string& flags : {std::string("\x02"), std::string("\x02\x02\x02")}) {
      const PexMessage m = parseOk(payload({{"added", two}, {"added.f", flags}}));
      QCOMPARE(m.added.size(), std::size_t{2});
      QCOMPARE(m.added[0].flags, std::uint8_t{0});
      QCOMPARE(m.added[1].flags, std::uint8_t{0});
    }
    const std::string one6 = compact(v6(0x20, 1, 1));
    const PexMessage six =
        parseOk(payload({{"added6", one6}, {"added6.f", "\x10\x10"}, {"added.f", "\x02"}}));
    QCOMPARE(six.added.size(), std::size_t{1});
    QCOMPARE(six.added[0].flags, std::uint8_t{0});
  }

  void unusableAddressesAreDroppedAndFlagsStayAligned() {
    const std::vector<SocketAddress> bad = {v4(1, 2, 3, 4, 0), v4(0, 0, 0, 0, 80),
                                            v4(224, 0, 0, 1, 80), v4(255, 255, 255, 255, 80),
                                            v4(0, 1, 2, 3, 80)};
    std::string list;
    std::string flags;
    for (const SocketAddress& a : bad) {
      list += compact(a);
      flags.push_back('\x01');
    }
    list += compact(v4(8, 8, 8, 8, 53));
    flags.push_back('\x02');
    std::array<std::uint8_t, 16> multicast{};
    multicast[0] = 0xff;
    multicast[1] = 0x02;
    multicast[15] = 1;
    const std::string list6 = compact(SocketAddress::v6(multicast, 80)) +
                              compact(SocketAddress::anyV6(80)) + compact(v6(0x20, 9, 9));
    const PexMessage m = parseOk(payload({{"added", list},
                                          {"added.f", flags},
                                          {"added6", list6},
                                          {"added6.f", "\x01\x01\x04"},
                                          {"dropped", list},
                                          {"dropped6", list6}}));
    QCOMPARE(m.added.size(), std::size_t{2});
    QVERIFY(m.added[0] == (PexPeer{v4(8, 8, 8, 8, 53), kPexSeed}));
    QVERIFY(m.added[1] == (PexPeer{v6(0x20, 9, 9), kPexSupportsUtp}));
    QVERIFY(m.dropped == (std::vector<SocketAddress>{v4(8, 8, 8, 8, 53), v6(0x20, 9, 9)}));
  }

  void eachListKeepsItsFirstFifty() {
    std::string list;
    std::string flags;
    std::string list6;
    for (int i = 0; i < 70; ++i) {
      list += compact(v4(10, 0, static_cast<std::uint8_t>(i), 1, 6881));
      flags.push_back(static_cast<char>(i % 2 == 0 ? kPexSeed : 0));
      list6 += compact(v6(0x20, static_cast<std::uint8_t>(i), 6881));
    }
    const PexMessage m = parseOk(payload({{"added", list},
                                          {"added.f", flags},
                                          {"added6", list6},
                                          {"dropped", list},
                                          {"dropped6", list6}}));
    QCOMPARE(m.added.size(), 2 * kMaxPexEntriesPerList);
    QCOMPARE(m.dropped.size(), 2 * kMaxPexEntriesPerList);
    QVERIFY(m.added[49] == (PexPeer{v4(10, 0, 49, 1, 6881), 0}));
    QVERIFY(m.added[48] == (PexPeer{v4(10, 0, 48, 1, 6881), kPexSeed}));
    QVERIFY(m.added[50].address == v6(0x20, 0, 6881));
    QVERIFY(m.dropped[99] == v6(0x20, 49, 6881));
  }

  void duplicatesAreKeptOnce() {
    const std::string a = compact(v4(5, 5, 5, 5, 5));
    const PexMessage m = parseOk(payload({{"added", a + a}, {"added.f", "\x02\x04"}}));
    QCOMPARE(m.added.size(), std::size_t{1});
    QCOMPARE(m.added[0].flags, kPexSeed);
  }

  void malformedMessagesAreErrors_data() {
    QTest::addColumn<QByteArray>("bytes");
    const auto row = [](const char* name, const std::string& bytes) {
      QTest::newRow(name) << QByteArray::fromStdString(bytes);
    };
    row("empty", "");
    row("not bencode", "hello");
    row("a list", "le");
    row("an integer", "i5e");
    row("truncated", "d5:added6:abc");
    row("trailing data", "dexx");
    row("added of 5 bytes", payload({{"added", "12345"}}));
    row("added of 7 bytes", payload({{"added", "1234567"}}));
    row("added6 of 6 bytes", payload({{"added6", "123456"}}));
    row("dropped of 3 bytes", payload({{"dropped", "123"}}));
    row("dropped6 of 19 bytes", payload({{"dropped6", std::string(19, 'x')}}));
    row("added as an integer", "d5:addedi1ee");
    row("dropped6 as a list", "d8:dropped6lee");
  }

  void malformedMessagesAreErrors() {
    QFETCH(QByteArray, bytes);
    const std::string text = bytes.toStdString();
    const Result<PexMessage> r = parsePexMessage(asBytes(text));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::ProtocolError);
    QVERIFY2(r.error().detail.rfind("ut_pex: ", 0) == 0, r.error().detail.c_str());
  }

  void encodeKeepsToTheCapsAndSkipsUnusable() {
    PexMessage m;
    m.added.push_back({v4(1, 2, 3, 4, 0), kPexSeed});  // port 0: never sent
    for (std::uint8_t i = 0; i < 30; ++i) {
      m.added.push_back({v4(10, 0, 0, i, 1), 0});
      m.added.push_back({v6(0x20, i, 1), 0});
      m.dropped.push_back(v4(10, 1, 0, i, 1));
      m.dropped.push_back(v6(0x21, i, 1));
    }
    const PexMessage back = parseOk(encodePexMessage(m));
    QCOMPARE(back.added.size(), kMaxPexAddedPerMessage);
    QCOMPARE(back.dropped.size(), kMaxPexDroppedPerMessage);
    QVERIFY(back.added.front().address == v4(10, 0, 0, 0, 1));  // not the port-0 one
    // Interleaved v4/v6: the first 50 are 25 of each.
    QCOMPARE(std::count_if(back.added.begin(), back.added.end(),
                           [](const PexPeer& p) { return p.address.isV4(); }),
             std::ptrdiff_t{25});
  }

  void usableAddresses() {
    QVERIFY(bt::isUsablePexAddress(v4(1, 2, 3, 4, 1)));
    QVERIFY(bt::isUsablePexAddress(SocketAddress::loopbackV4(6881)));  // tests run on loopback
    QVERIFY(!bt::isUsablePexAddress(SocketAddress()));
    QVERIFY(!bt::isUsablePexAddress(v4(1, 2, 3, 4, 0)));
    QVERIFY(!bt::isUsablePexAddress(v4(239, 255, 255, 250, 1900)));
    QVERIFY(!bt::isUsablePexAddress(SocketAddress::anyV6(1)));
    QVERIFY(bt::isUsablePexAddress(SocketAddress::loopbackV6(1)));
  }
};

QTEST_GUILESS_MAIN(TestPexMessage)
#include "tst_pex_message.moc"
