// BEP 10 extension handshake: ours encodes to canonical bencode with the
// fields other clients read, round-trips, and a peer's is parsed with limits:
// ids outside 0..255 and oversize names dropped, "v" capped and made printable,
// values out of range ignored, and only a non-dictionary refused.
#include <QtTest>

#include "engine/bt/ExtensionHandshake.h"
#include "engine/bt/PeerId.h"

using namespace tributary::bt;

namespace {

std::span<const std::byte> asBytes(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

}  // namespace

class TestExtensionHandshake : public QObject {
  Q_OBJECT

 private slots:
  void oursEncodesCanonically() {
    const std::array<std::byte, 4> address{std::byte{127}, std::byte{0}, std::byte{0},
                                           std::byte{1}};
    const ExtensionHandshake ours = makeOurExtensionHandshake(6881, 12345, address, true);
    const std::string encoded = encodeExtensionHandshake(ours);
    QCOMPARE(encoded, std::string("d1:md11:ut_metadatai1e6:ut_pexi2ee13:metadata_sizei12345e"
                                  "1:pi6881e4:reqqi500e1:v15:Tributary 0.1.06:yourip4:") +
                          std::string("\x7f\x00\x00\x01", 4) + "e");
  }

  void oursRoundTrips() {
    const ExtensionHandshake ours = makeOurExtensionHandshake(51413, 0, {}, false);
    const std::string encoded = encodeExtensionHandshake(ours);
    QVERIFY(encoded.find("metadata_size") == std::string::npos);  // unknown yet: left out
    QVERIFY(encoded.find("ut_pex") == std::string::npos);
    const ExtensionHandshakeParse parsed = parseExtensionHandshake(asBytes(encoded));
    QVERIFY(parsed.handshake.has_value());
    QVERIFY(*parsed.handshake == ours);
    QCOMPARE(parsed.handshake->extensionId(kUtMetadata), std::optional<std::uint8_t>(1));
    QCOMPARE(parsed.handshake->extensionId(kUtPex), std::nullopt);
  }

  void parsesARealLibtorrentHandshake() {
    static constexpr char kPayload[] =
        "d12:complete_agoi-1e1:md11:lt_donthavei7e10:share_modei8e11:upload_onlyi3e12:"
        "ut_holepunchi4e11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei31235e4:reqqi500e"
        "11:upload_onlyi0e1:v17:libtorrent 2.0.9 6:yourip4:\x7f\x00\x00\x01"
        "e";
    const ExtensionHandshakeParse parsed =
        parseExtensionHandshake(asBytes(std::string_view(kPayload, sizeof(kPayload) - 1)));
    QVERIFY2(parsed.handshake.has_value(), parsed.detail.c_str());
    const ExtensionHandshake& h = *parsed.handshake;
    QCOMPARE(h.extensionId("ut_metadata"), std::optional<std::uint8_t>(2));
    QCOMPARE(h.extensionId("ut_pex"), std::optional<std::uint8_t>(1));
    QCOMPARE(h.metadataSize, std::uint64_t{31235});
    QCOMPARE(h.requestQueue, std::uint32_t{500});
    QCOMPARE(h.clientName, std::string("libtorrent 2.0.9 "));
    QCOMPARE(h.yourIp.size(), std::size_t{4});
    QCOMPARE(h.listenPort, std::uint16_t{0});
  }

  void idsOutOfRangeAndDisabledEntries() {
    const std::string payload = "d1:md1:ai0e1:bi256e1:ci-1e1:di255e1:e3:str1:fi1eee";
    const ExtensionHandshakeParse parsed = parseExtensionHandshake(asBytes(payload));
    QVERIFY(parsed.handshake.has_value());
    const ExtensionHandshake& h = *parsed.handshake;
    QCOMPARE(h.extensions.size(), std::size_t{3});  // a (disabled), d, f
    QCOMPARE(h.extensionId("a"), std::nullopt);     // id 0 disables
    QCOMPARE(h.extensionId("b"), std::nullopt);
    QCOMPARE(h.extensionId("c"), std::nullopt);
    QCOMPARE(h.extensionId("d"), std::optional<std::uint8_t>(255));
    QCOMPARE(h.extensionId("e"), std::nullopt);
    QCOMPARE(h.extensionId("f"), std::optional<std::uint8_t>(1));
  }

  void stringsAndCountsAreBounded() {
    std::string m = "d";
    for (int i = 0; i < 100; ++i) {
      const std::string name = "ext" + std::to_string(1000 + i);
      m += std::to_string(name.size()) + ":" + name + "i1e";
    }
    const std::string longName(300, 'x');
    const std::string payload =
        "d1:m" + m + "e1:v" + std::to_string(longName.size() + 2) + ":" + longName + "\x01\n" + "e";
    ExtensionHandshakeLimits limits;
    limits.maxExtensions = 10;
    const ExtensionHandshakeParse parsed = parseExtensionHandshake(asBytes(payload), limits);
    QVERIFY(parsed.handshake.has_value());
    QCOMPARE(parsed.handshake->extensions.size(), std::size_t{10});
    QCOMPARE(parsed.handshake->clientName.size(), limits.maxClientNameBytes);

    const std::string nameTooLong =
        "d1:md" + std::to_string(longName.size()) + ":" + longName + "i5eee";
    const ExtensionHandshakeParse dropped = parseExtensionHandshake(asBytes(nameTooLong));
    QVERIFY(dropped.handshake.has_value());
    QVERIFY(dropped.handshake->extensions.empty());
  }

  void clientNameIsMadePrintable() {
    const std::string payload = std::string(
                                    "d1:v12:ab\x01\x7f"
                                    "c\xc2\xb5T\xff"
                                    "def") +
                                "e";
    const ExtensionHandshakeParse parsed = parseExtensionHandshake(asBytes(payload));
    QVERIFY(parsed.handshake.has_value());
    QCOMPARE(parsed.handshake->clientName, std::string("abc\xc2\xb5T\xef\xbf\xbd"
                                                       "def"));
  }

  void valuesOutOfRangeAreIgnored() {
    const std::string payload =
        "d13:metadata_sizei999999999999e1:pi70000e4:reqqi99999999e6:yourip3:abce";
    const ExtensionHandshakeParse parsed = parseExtensionHandshake(asBytes(payload));
    QVERIFY(parsed.handshake.has_value());
    QCOMPARE(parsed.handshake->metadataSize, std::uint64_t{0});
    QCOMPARE(parsed.handshake->listenPort, std::uint16_t{0});
    QCOMPARE(parsed.handshake->requestQueue, ExtensionHandshakeLimits{}.maxRequestQueue);
    QVERIFY(parsed.handshake->yourIp.empty());
  }

  void notADictionaryIsRefused() {
    for (const std::string_view bad : {std::string_view("li1ee"), std::string_view("i5e"),
                                       std::string_view("d1:m"), std::string_view(""),
                                       std::string_view("d1:mde1:mdee"),  // duplicate key
                                       std::string_view("de junk")}) {
      const ExtensionHandshakeParse parsed = parseExtensionHandshake(asBytes(bad));
      QVERIFY2(!parsed.handshake.has_value(), std::string(bad).c_str());
      QCOMPARE(parsed.error, PeerWireError::BadExtensionHandshake);
      QVERIFY(!parsed.detail.empty());
    }
  }

  void deepNestingIsRefused() {
    std::string deep = "d1:m";
    for (int i = 0; i < 50; ++i) {
      deep += "l";
    }
    for (int i = 0; i < 50; ++i) {
      deep += "e";
    }
    deep += "e";
    QCOMPARE(parseExtensionHandshake(asBytes(deep)).error, PeerWireError::BadExtensionHandshake);
  }
};

QTEST_GUILESS_MAIN(TestExtensionHandshake)
#include "tst_extension_handshake.moc"
