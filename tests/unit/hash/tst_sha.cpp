// Sha1 / Sha256: the FIPS 180 vectors, incremental == one-shot over random
// splits, reuse after finish(), moves, and the per-thread one-shot contexts.
#include <QtTest>

#include <cstddef>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/util/Sha.h"

using namespace tributary;
using namespace tributary::util;

namespace {

const std::string kTwoBlock = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string kFourBlock =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
    "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

std::vector<std::byte> randomBytes(std::size_t size, std::mt19937_64& rng) {
  std::vector<std::byte> out(size);
  for (auto& b : out) {
    b = static_cast<std::byte>(rng());
  }
  return out;
}

// Feeds `data` in pieces cut at random points (empty pieces included).
template <class Hasher>
typename Hasher::Digest hashInPieces(std::span<const std::byte> data, std::mt19937_64& rng) {
  Hasher hasher;
  std::size_t at = 0;
  while (at < data.size()) {
    const std::size_t left = data.size() - at;
    const std::size_t n =
        std::uniform_int_distribution<std::size_t>(0, std::min<std::size_t>(left, 300))(rng);
    hasher.update(data.subspan(at, n));
    at += n;
  }
  hasher.update(std::span<const std::byte>{});
  return hasher.finish();
}

}  // namespace

class TestSha : public QObject {
  Q_OBJECT

 private slots:
  void vectors_data() {
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("sha1");
    QTest::addColumn<QString>("sha256");
    QTest::newRow("empty") << QByteArray() << "da39a3ee5e6b4b0d3255bfef95601890afd80709"
                           << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QTest::newRow("abc") << QByteArray("abc") << "a9993e364706816aba3e25717850c26c9cd0d89d"
                         << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("two blocks")
        << QByteArray::fromStdString(kTwoBlock) << "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    QTest::newRow("896 bits") << QByteArray::fromStdString(kFourBlock)
                              << "a49b2446a02c645bf419f995b67091253a04a259"
                              << "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1";
    QTest::newRow("million a")
        << QByteArray(1000000, 'a') << "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  }

  void vectors() {
    QFETCH(QByteArray, message);
    QFETCH(QString, sha1);
    QFETCH(QString, sha256);
    const std::string text = message.toStdString();

    QCOMPARE(QString::fromStdString(toHex(util::sha1(text))), sha1);
    QCOMPARE(QString::fromStdString(toHex(util::sha256(text))), sha256);

    // Byte by byte for the short ones, 1000-byte pieces for the million.
    const std::size_t step = text.size() > 1000 ? 1000 : 1;
    Sha1 h1;
    Sha256 h256;
    for (std::size_t at = 0; at < text.size(); at += step) {
      h1.update(std::string_view(text).substr(at, step));
      h256.update(std::string_view(text).substr(at, step));
    }
    QCOMPARE(QString::fromStdString(toHex(h1.finish())), sha1);
    QCOMPARE(QString::fromStdString(toHex(h256.finish())), sha256);
  }

  void incrementalMatchesOneShot() {
    std::mt19937_64 rng(20240611);
    for (int round = 0; round < 40; ++round) {
      const std::size_t size = std::uniform_int_distribution<std::size_t>(0, 20000)(rng);
      const auto data = randomBytes(size, rng);
      QCOMPARE(hashInPieces<Sha1>(data, rng), util::sha1(data));
      QCOMPARE(hashInPieces<Sha256>(data, rng), util::sha256(data));
    }
    // And the one-shot is not an alias of the incremental path: a different message differs.
    auto data = randomBytes(1000, rng);
    const auto before = util::sha256(data);
    data[500] ^= std::byte{1};
    QVERIFY(util::sha256(data) != before);
  }

  void finishStartsANewMessage() {
    Sha1 h1;
    Sha256 h256;
    h1.update("garbage that must not leak into the next message");
    h256.update("garbage that must not leak into the next message");
    (void)h1.finish();
    (void)h256.finish();
    h1.update("abc");
    h256.update("abc");
    QCOMPARE(toHex(h1.finish()), std::string("a9993e364706816aba3e25717850c26c9cd0d89d"));
    QCOMPARE(toHex(h256.finish()),
             std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(toHex(h1.finish()), std::string("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
  }

  void movesCarryTheMessage() {
    Sha256 a;
    a.update("a");
    Sha256 b(std::move(a));
    b.update("b");
    Sha256 c;
    c.update("unrelated");
    c = std::move(b);
    c.update("c");
    QCOMPARE(c.finish(), util::sha256("abc"));

    Sha1 d;
    d.update("ab");
    Sha1 e(std::move(d));
    e.update("c");
    QCOMPARE(e.finish(), util::sha1("abc"));
  }

  void toHexIsLowerCase() {
    const std::array<std::byte, 4> bytes{std::byte{0x00}, std::byte{0x0f}, std::byte{0xab},
                                         std::byte{0xff}};
    QCOMPARE(toHex(bytes), std::string("000fabff"));
    QCOMPARE(toHex(std::span<const std::byte>{}), std::string());
  }

  // The one-shots keep a context per thread: threads must not share one.
  void oneShotOnSeveralThreads() {
    std::mt19937_64 rng(7);
    const auto data = randomBytes(200000, rng);
    Sha256 reference;
    reference.update(data);
    const auto expected = reference.finish();
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 20; ++i) {
          if (util::sha256(data) != expected) {
            ++wrong;
          }
        }
      });
    }
    for (auto& t : threads) {
      t.join();
    }
    QCOMPARE(wrong.load(), 0);
  }
};

QTEST_GUILESS_MAIN(TestSha)
#include "tst_sha.moc"
