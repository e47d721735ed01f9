#include <QtTest>

#include <limits>
#include <random>
#include <string>

#include "engine/codec/Bencode.h"

using namespace tributary::codec;

namespace {

// A random value of bounded size, for round trips.
BencodeNode randomNode(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> kind(0, depth > 3 ? 1 : 3);
  switch (kind(rng)) {
    case 0: {
      std::uniform_int_distribution<std::int64_t> value(std::numeric_limits<std::int64_t>::min(),
                                                        std::numeric_limits<std::int64_t>::max());
      return BencodeNode(value(rng));
    }
    case 1: {
      std::string text(std::uniform_int_distribution<int>(0, 20)(rng), '\0');
      for (char& c : text) {
        c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
      }
      return BencodeNode(std::move(text));
    }
    case 2: {
      BencodeNode list = BencodeNode::makeList();
      const int n = std::uniform_int_distribution<int>(0, 5)(rng);
      for (int i = 0; i < n; ++i) {
        list.push(randomNode(rng, depth + 1));
      }
      return list;
    }
    default: {
      BencodeNode dict;
      const int n = std::uniform_int_distribution<int>(0, 5)(rng);
      for (int i = 0; i < n; ++i) {
        std::string key(std::uniform_int_distribution<int>(0, 4)(rng), 'a');
        for (char& c : key) {
          c = static_cast<char>(std::uniform_int_distribution<int>(0x20, 0xFF)(rng));
        }
        dict.set(key, randomNode(rng, depth + 1));
      }
      return dict;
    }
  }
}

}  // namespace

class TstBencodeEncoder : public QObject {
  Q_OBJECT
 private slots:
  void encodesScalars() {
    QCOMPARE(BencodeNode(42).encode(), std::string("i42e"));
    QCOMPARE(BencodeNode(-7).encode(), std::string("i-7e"));
    QCOMPARE(BencodeNode(0).encode(), std::string("i0e"));
    QCOMPARE(BencodeNode(std::numeric_limits<std::int64_t>::min()).encode(),
             std::string("i-9223372036854775808e"));
    QCOMPARE(BencodeNode("spam").encode(), std::string("4:spam"));
    QCOMPARE(BencodeNode(std::string("a\0b", 3)).encode(), std::string("3:a\0b", 5));
    QCOMPARE(BencodeNode("").encode(), std::string("0:"));
    QCOMPARE(BencodeNode::makeList().encode(), std::string("le"));
    QCOMPARE(BencodeNode().encode(), std::string("de"));
  }

  void sortsKeysAsRawBytes() {
    BencodeNode dict;
    dict.set("zeta", 1);
    dict.set("\xFF", 2);
    dict.set("alpha", 3);
    dict.set("al", 4);
    dict.set("B", 5);
    QCOMPARE(dict.encode(), std::string("d1:Bi5e2:ali4e5:alphai3e4:zetai1e1:\xFFi2ee"));
    // Replacing keeps one entry.
    dict.set("zeta", "x");
    QCOMPARE(dict.size(), std::size_t{5});
    QCOMPARE(dict.find("zeta")->string(), std::string("x"));
    QVERIFY(dict.erase("B"));
    QVERIFY(!dict.erase("B"));
    QVERIFY(dict.find("B") == nullptr);
  }

  void buildsAnExtensionHandshake() {
    BencodeNode handshake;
    handshake["m"].set("ut_metadata", 2);
    handshake["m"].set("ut_pex", 1);
    handshake.set("v", "Tributary 0.1");
    handshake.set("p", 6881);
    handshake.set("metadata_size", 31235);
    QCOMPARE(handshake.encode(),
             std::string("d1:md11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei31235e1:pi6881e"
                         "1:v13:Tributary 0.1e"));
  }

  void preEncodedStaysByteExact() {
    // An unsorted info dictionary must keep its bytes, or its hash changes.
    const std::string info = "d4:name1:x6:lengthi1ee";
    BencodeNode torrent;
    torrent.set("info", BencodeNode::preEncoded(info));
    torrent.set("announce", "http://t/");
    QCOMPARE(torrent.encode(), std::string("d8:announce9:http://t/4:info") + info + "e");
  }

  void roundTripsDecodedValues() {
    const std::string canonical = std::string("d1:ai-3e1:bl4:spami0eld0:0:eee1:cd1:xle1:y3:") +
                                  std::string("\0\1\2", 3) + "ee";
    BencodeParseError error;
    auto doc = decodeBencode(canonical, error);
    QVERIFY2(doc, error.message().c_str());
    const BencodeNode node = BencodeNode::fromValue(doc->root());
    QCOMPARE(node.encode(), canonical);
    QCOMPARE(node.find("b")->items().size(), std::size_t{3});

    // A non-canonical (unsorted) input comes back sorted.
    auto unsorted = decodeBencode("d1:bi2e1:ai1ee", error);
    QVERIFY(unsorted);
    QCOMPARE(BencodeNode::fromValue(unsorted->root()).encode(), std::string("d1:ai1e1:bi2ee"));
  }

  void randomRoundTrips() {
    std::mt19937 rng(20240601);
    BencodeLimits strict;
    strict.rejectUnsortedKeys = true;
    for (int i = 0; i < 500; ++i) {
      const BencodeNode node = randomNode(rng, 0);
      const std::string encoded = node.encode();
      BencodeParseError error;
      auto doc = decodeBencode(encoded, error, strict);
      QVERIFY2(doc, error.message().c_str());
      QCOMPARE(doc->root().raw().size(), encoded.size());
      const BencodeNode back = BencodeNode::fromValue(doc->root());
      QVERIFY(back == node);
      QCOMPARE(back.encode(), encoded);
    }
  }

  void streamingHelpers() {
    std::string out;
    appendBencodeString(out, "ab");
    appendBencodeInteger(out, 12);
    QCOMPARE(out, std::string("2:abi12e"));
  }

  void typeChangesOnUse() {
    BencodeNode node(5);
    node.push("x");
    QVERIFY(node.isList());
    QCOMPARE(node.encode(), std::string("l1:xe"));
    node.set("k", 1);
    QVERIFY(node.isDict());
    QCOMPARE(node.encode(), std::string("d1:ki1ee"));
  }
};

QTEST_GUILESS_MAIN(TstBencodeEncoder)
#include "tst_bencode_encoder.moc"
