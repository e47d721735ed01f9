// RC4 against the published test vectors, the DH exchange, the key derivation.
#include <QtTest/QtTest>

#include <string>
#include <vector>

#include "engine/bt/MseCrypto.h"

using namespace tributary;
using namespace tributary::bt;

namespace {

std::vector<std::byte> bytesOf(std::string_view text) {
  const auto* p = reinterpret_cast<const std::byte*>(text.data());
  return {p, p + text.size()};
}

QByteArray hex(std::span<const std::byte> bytes) {
  return QByteArray(reinterpret_cast<const char*>(bytes.data()),
                    static_cast<qsizetype>(bytes.size()))
      .toHex();
}

}  // namespace

class TestMseCrypto : public QObject {
  Q_OBJECT

 private slots:
  void rc4Vectors_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("plain");
    QTest::addColumn<QByteArray>("cipher");
    QTest::newRow("Key") << "Key"
                         << "Plaintext" << QByteArray("bbf316e8d940af0ad3");
    QTest::newRow("Wiki") << "Wiki"
                          << "pedia" << QByteArray("1021bf0420");
    QTest::newRow("Secret") << "Secret"
                            << "Attack at dawn" << QByteArray("45a01f645fc35b383552544b9bf5");
  }
  void rc4Vectors() {
    QFETCH(QString, key);
    QFETCH(QString, plain);
    QFETCH(QByteArray, cipher);
    const std::vector<std::byte> k = bytesOf(key.toStdString());
    std::vector<std::byte> data = bytesOf(plain.toStdString());
    Rc4 rc4(k);
    rc4.apply(data);
    QCOMPARE(hex(data), cipher);
    Rc4 back(k);
    back.apply(data);
    QCOMPARE(data, bytesOf(plain.toStdString()));
  }

  void rc4SplitEqualsWhole() {
    const std::vector<std::byte> key = bytesOf("0123456789abcdefghij");
    std::vector<std::byte> whole(3000, std::byte{0x5a});
    std::vector<std::byte> split = whole;
    Rc4 a(key);
    a.discard(1024);
    a.apply(whole);
    Rc4 b(key);
    std::vector<std::byte> dropped(1024);
    b.apply(dropped);  // discard() must equal encrypting 1024 bytes
    for (std::size_t at = 0; at < split.size(); at += 7) {
      b.apply(std::span(split).subspan(at, std::min<std::size_t>(7, split.size() - at)));
    }
    QCOMPARE(split, whole);
  }

  void dhAgrees() {
    const MseKeyPair a;
    const MseKeyPair b;
    QVERIFY(a.publicKey() != b.publicKey());
    const auto sa = a.sharedSecret(b.publicKey());
    const auto sb = b.sharedSecret(a.publicKey());
    QVERIFY(sa && sb);
    QCOMPARE(*sa, *sb);
  }

  void dhRejectsDegenerateKeys() {
    const MseKeyPair a;
    MseDhValue zero{};
    QVERIFY(!a.sharedSecret(zero));
    MseDhValue one{};
    one.back() = std::byte{1};
    QVERIFY(!a.sharedSecret(one));
    MseDhValue all{};
    all.fill(std::byte{0xff});  // > P
    QVERIFY(!a.sharedSecret(all));
    MseDhValue two{};
    two.back() = std::byte{2};
    QVERIFY(a.sharedSecret(two).has_value());
  }

  void streamsPair() {
    const MseKeyPair a;
    const MseKeyPair b;
    const MseDhValue s = *a.sharedSecret(b.publicKey());
    util::Sha1::Digest skey{};
    skey[0] = std::byte{7};
    MseStreams initiator = mseStreams(true, s, skey);
    MseStreams responder = mseStreams(false, s, skey);
    std::vector<std::byte> data = bytesOf("hello, encrypted world");
    const std::vector<std::byte> original = data;
    initiator.out.apply(data);
    QVERIFY(data != original);
    responder.in.apply(data);
    QCOMPARE(data, original);
    responder.out.apply(data);
    initiator.in.apply(data);
    QCOMPARE(data, original);
    // keyA and keyB differ: the two directions are different streams.
    MseStreams again = mseStreams(true, s, skey);
    std::vector<std::byte> x(16), y(16);
    again.out.apply(x);
    again.in.apply(y);
    QVERIFY(x != y);
  }

  void req2HashIsSha1OfTagAndInfoHash() {
    util::Sha1::Digest ih{};
    ih.fill(std::byte{0xab});
    std::string concat = "req2" + std::string(20, '\xab');
    QCOMPARE(mseReq2Hash(ih), util::sha1(concat));
  }
};

QTEST_GUILESS_MAIN(TestMseCrypto)
#include "tst_mse_crypto.moc"
