// The MSE handshake state machine: our initiator against our responder in
// memory (whole and byte by byte, plaintext and RC4), and hand-made hostile
// peers for each way a handshake must fail.
#include <QtTest/QtTest>

#include <memory>
#include <optional>
#include <vector>

#include "engine/bt/MseCrypto.h"
#include "engine/bt/MseHandshake.h"

using namespace tributary;
using namespace tributary::bt;

namespace {

using Bytes = std::vector<std::byte>;

util::Sha1::Digest digestOf(unsigned char fill) {
  util::Sha1::Digest d{};
  d.fill(static_cast<std::byte>(fill));
  return d;
}

const util::Sha1::Digest kInfoHash = digestOf(0x11);
const util::Sha1::Digest kOtherHash = digestOf(0x22);

MseHandshake::Lookup lookupOf(std::vector<util::Sha1::Digest> known) {
  return [known](const util::Sha1::Digest& req2) -> std::optional<util::Sha1::Digest> {
    for (const auto& ih : known) {
      if (mseReq2Hash(ih) == req2) {
        return ih;
      }
    }
    return std::nullopt;
  };
}

Bytes handshakeBytes() {
  Bytes ia(68);
  for (std::size_t n = 0; n < ia.size(); ++n) {
    ia[n] = static_cast<std::byte>(n * 3 + 1);
  }
  return ia;
}

// Feeds `bytes` whole or one byte at a time, as a socket would: once the
// handshake is over, the rest is the caller's (`rest`). Returns the answers.
Bytes deliver(MseHandshake& to, const Bytes& bytes, bool byteByByte, Bytes* rest = nullptr) {
  Bytes out;
  if (!byteByByte) {
    return to.feed(bytes);
  }
  for (std::byte b : bytes) {
    if (to.state() != MseHandshake::State::Running) {
      if (rest != nullptr) {
        rest->push_back(b);
      }
      continue;
    }
    Bytes reply = to.feed(std::span(&b, 1));
    out.insert(out.end(), reply.begin(), reply.end());
  }
  return out;
}

void appendBe(Bytes& out, std::uint32_t value, int size) {
  for (int n = size - 1; n >= 0; --n) {
    out.push_back(static_cast<std::byte>((value >> (8 * n)) & 0xff));
  }
}

Bytes xorOf(const util::Sha1::Digest& a, const util::Sha1::Digest& b) {
  Bytes out(20);
  for (std::size_t n = 0; n < 20; ++n) {
    out[n] = a[n] ^ b[n];
  }
  return out;
}

// A hand-made initiator's step 3 with chosen fields.
struct Step3 {
  std::array<std::byte, 8> vc{};
  std::uint32_t provide = kMseRc4;
  std::size_t padC = 0;
  util::Sha1::Digest skey = kInfoHash;
  Bytes ia = handshakeBytes();
};

// Runs steps 1-3 of a fake initiator against `responder`.
void fakeInitiator(MseHandshake& responder, const Step3& fields, std::size_t padA = 0) {
  const MseKeyPair keys;
  Bytes step1(keys.publicKey().begin(), keys.publicKey().end());
  step1.resize(step1.size() + padA, std::byte{0x33});
  const Bytes step2 = responder.feed(step1);
  if (responder.state() != MseHandshake::State::Running) {
    return;
  }
  QVERIFY(step2.size() >= kMseKeySize && step2.size() <= kMseKeySize + kMseMaxPad);
  const auto s =
      keys.sharedSecret(std::span<const std::byte, kMseKeySize>(step2.data(), kMseKeySize));
  QVERIFY(s.has_value());
  Bytes step3;
  const auto req1 = mseHash("req1", *s);
  step3.insert(step3.end(), req1.begin(), req1.end());
  const Bytes req2 = xorOf(mseReq2Hash(fields.skey), mseHash("req3", *s));
  step3.insert(step3.end(), req2.begin(), req2.end());
  MseStreams streams = mseStreams(true, *s, fields.skey);
  Bytes secret(fields.vc.begin(), fields.vc.end());
  appendBe(secret, fields.provide, 4);
  appendBe(secret, static_cast<std::uint32_t>(fields.padC), 2);
  secret.resize(secret.size() + fields.padC);
  appendBe(secret, static_cast<std::uint32_t>(fields.ia.size()), 2);
  secret.insert(secret.end(), fields.ia.begin(), fields.ia.end());
  streams.out.apply(secret);
  step3.insert(step3.end(), secret.begin(), secret.end());
  responder.feed(step3);
}

// A fake responder answering `initiator` with a chosen step 4.
void fakeResponder(MseHandshake& initiator, std::uint32_t select, std::size_t padD) {
  const Bytes step1 = initiator.start();
  const MseKeyPair keys;
  const auto s =
      keys.sharedSecret(std::span<const std::byte, kMseKeySize>(step1.data(), kMseKeySize));
  QVERIFY(s.has_value());
  Bytes step2(keys.publicKey().begin(), keys.publicKey().end());
  const Bytes step3 = initiator.feed(step2);
  QVERIFY(!step3.empty());
  MseStreams streams = mseStreams(false, *s, kInfoHash);
  Bytes step4(8);
  appendBe(step4, select, 4);
  appendBe(step4, static_cast<std::uint32_t>(padD), 2);
  step4.resize(step4.size() + padD);
  streams.out.apply(step4);
  initiator.feed(step4);
}

}  // namespace

class TestMseHandshake : public QObject {
  Q_OBJECT

 private slots:
  void roundTrip_data() {
    QTest::addColumn<std::uint32_t>("provide");
    QTest::addColumn<std::uint32_t>("accept");
    QTest::addColumn<std::uint32_t>("expected");
    QTest::addColumn<bool>("byteByByte");
    QTest::newRow("rc4 whole") << (kMsePlaintext | kMseRc4) << (kMsePlaintext | kMseRc4) << kMseRc4
                               << false;
    QTest::newRow("rc4 bytewise") << kMseRc4 << (kMsePlaintext | kMseRc4) << kMseRc4 << true;
    QTest::newRow("plain whole") << (kMsePlaintext | kMseRc4) << kMsePlaintext << kMsePlaintext
                                 << false;
    QTest::newRow("plain bytewise")
        << kMsePlaintext << (kMsePlaintext | kMseRc4) << kMsePlaintext << true;
  }
  void roundTrip() {
    QFETCH(std::uint32_t, provide);
    QFETCH(std::uint32_t, accept);
    QFETCH(std::uint32_t, expected);
    QFETCH(bool, byteByByte);
    auto a = MseHandshake::initiator(kInfoHash, provide, handshakeBytes());
    auto b = MseHandshake::responder(lookupOf({kOtherHash, kInfoHash}), accept);
    QVERIFY(b->start().empty());
    const Bytes step1 = a->start();
    QVERIFY(step1.size() >= kMseKeySize && step1.size() <= kMseKeySize + kMseMaxPad);
    const Bytes step2 = deliver(*b, step1, byteByByte);
    const Bytes step3 = deliver(*a, step2, byteByByte);
    QCOMPARE(a->state(), MseHandshake::State::Running);
    Bytes step4 = deliver(*b, step3, byteByByte);
    QCOMPARE(b->state(), MseHandshake::State::Done);
    MseResult& rb = b->result();
    QCOMPARE(rb.method, expected);
    QCOMPARE(rb.infoHash, kInfoHash);
    QCOMPARE(rb.payload, handshakeBytes());  // IA
    QCOMPARE(rb.streams != nullptr, expected == kMseRc4);

    // The responder's first payload bytes ride with step 4.
    Bytes extra = {std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}, std::byte{5}};
    Bytes wire = extra;
    if (rb.streams) {
      rb.streams->out.apply(wire);
    }
    step4.insert(step4.end(), wire.begin(), wire.end());
    Bytes rest;
    QVERIFY(deliver(*a, step4, byteByByte, &rest).empty());
    QCOMPARE(a->state(), MseHandshake::State::Done);
    MseResult& ra = a->result();
    QCOMPARE(ra.method, expected);
    if (byteByByte) {
      // The handshake ended on its own last byte; the caller decrypts the rest.
      QVERIFY(ra.payload.empty());
      if (ra.streams) {
        ra.streams->in.apply(rest);
      }
      QCOMPARE(rest, extra);
    } else {
      QCOMPARE(ra.payload, extra);
    }
    QCOMPARE(ra.streams != nullptr, expected == kMseRc4);

    if (expected == kMseRc4) {
      Bytes msg(3000, std::byte{0x42});
      const Bytes original = msg;
      ra.streams->out.apply(msg);
      QVERIFY(msg != original);
      rb.streams->in.apply(msg);
      QCOMPARE(msg, original);
    }
    // Done is final: more bytes change nothing.
    QVERIFY(a->feed(extra).empty());
    QCOMPARE(a->state(), MseHandshake::State::Done);
  }

  void emptyInitialPayload() {
    auto a = MseHandshake::initiator(kInfoHash, kMseRc4, {});
    auto b = MseHandshake::responder(lookupOf({kInfoHash}), kMseRc4);
    const Bytes step3 = a->feed(b->feed(a->start()));
    a->feed(b->feed(step3));
    QCOMPARE(a->state(), MseHandshake::State::Done);
    QCOMPARE(b->state(), MseHandshake::State::Done);
    QVERIFY(b->result().payload.empty());
  }

  void responderAcceptsHandMadeInitiator() {
    auto b = MseHandshake::responder(lookupOf({kInfoHash}), kMseRc4);
    Step3 fields;
    fields.padC = 512;
    fakeInitiator(*b, fields, 512);
    QCOMPARE(b->state(), MseHandshake::State::Done);
    QCOMPARE(b->result().payload, handshakeBytes());
  }

  void responderRejects_data() {
    QTest::addColumn<int>("error");
    QTest::addColumn<int>("vcByte");
    QTest::addColumn<int>("padC");
    QTest::addColumn<int>("padA");
    QTest::addColumn<std::uint32_t>("provide");
    QTest::addColumn<bool>("otherTorrent");
    QTest::newRow("bad VC") << int(MseError::BadVc) << 1 << 0 << 0 << kMseRc4 << false;
    QTest::newRow("unknown SKEY") << int(MseError::UnknownTorrent) << 0 << 0 << 0 << kMseRc4
                                  << true;
    QTest::newRow("PadC 513") << int(MseError::PadTooLong) << 0 << 513 << 0 << kMseRc4 << false;
    QTest::newRow("PadA 513") << int(MseError::NoSync) << 0 << 0 << 513 << kMseRc4 << false;
    QTest::newRow("plaintext only")
        << int(MseError::NoCommonMethod) << 0 << 0 << 0 << kMsePlaintext << false;
  }
  void responderRejects() {
    QFETCH(int, error);
    QFETCH(int, vcByte);
    QFETCH(int, padC);
    QFETCH(int, padA);
    QFETCH(std::uint32_t, provide);
    QFETCH(bool, otherTorrent);
    auto b = MseHandshake::responder(lookupOf({kInfoHash}), kMseRc4);
    Step3 fields;
    fields.vc[7] = static_cast<std::byte>(vcByte);
    fields.padC = static_cast<std::size_t>(padC);
    fields.provide = provide;
    fields.skey = otherTorrent ? kOtherHash : kInfoHash;
    fakeInitiator(*b, fields, static_cast<std::size_t>(padA));
    QCOMPARE(b->state(), MseHandshake::State::Failed);
    QCOMPARE(int(b->error()), error);
  }

  void responderGivesUpSyncAt628() {
    auto b = MseHandshake::responder(lookupOf({kInfoHash}), kMseRc4);
    const MseKeyPair keys;
    Bytes junk(keys.publicKey().begin(), keys.publicKey().end());
    junk.resize(627, std::byte{0x55});
    b->feed(junk);
    QCOMPARE(b->state(), MseHandshake::State::Running);
    const std::byte one{0x55};
    b->feed(std::span(&one, 1));
    QCOMPARE(b->state(), MseHandshake::State::Failed);
    QCOMPARE(b->error(), MseError::NoSync);
  }

  void responderRejectsBadKey() {
    auto b = MseHandshake::responder(lookupOf({kInfoHash}), kMseRc4);
    b->feed(Bytes(kMseKeySize, std::byte{0}));
    QCOMPARE(b->state(), MseHandshake::State::Failed);
    QCOMPARE(b->error(), MseError::BadPublicKey);
  }

  void initiatorRejects_data() {
    QTest::addColumn<std::uint32_t>("provide");
    QTest::addColumn<std::uint32_t>("select");
    QTest::addColumn<int>("padD");
    QTest::addColumn<int>("error");
    QTest::newRow("PadD 513") << kMseRc4 << kMseRc4 << 513 << int(MseError::PadTooLong);
    QTest::newRow("select both") << (kMseRc4 | kMsePlaintext) << (kMseRc4 | kMsePlaintext) << 0
                                 << int(MseError::BadSelect);
    QTest::newRow("select not offered")
        << kMseRc4 << kMsePlaintext << 0 << int(MseError::BadSelect);
    QTest::newRow("ok") << kMseRc4 << kMseRc4 << 512 << int(MseError::None);
  }
  void initiatorRejects() {
    QFETCH(std::uint32_t, provide);
    QFETCH(std::uint32_t, select);
    QFETCH(int, padD);
    QFETCH(int, error);
    auto a = MseHandshake::initiator(kInfoHash, provide, handshakeBytes());
    fakeResponder(*a, select, static_cast<std::size_t>(padD));
    QCOMPARE(int(a->error()), error);
    QCOMPARE(a->state(), error == int(MseError::None) ? MseHandshake::State::Done
                                                      : MseHandshake::State::Failed);
  }

  void initiatorGivesUpVcSyncAt616() {
    auto a = MseHandshake::initiator(kInfoHash, kMseRc4, handshakeBytes());
    a->start();
    const MseKeyPair keys;
    Bytes reply(keys.publicKey().begin(), keys.publicKey().end());
    QVERIFY(!a->feed(reply).empty());
    a->feed(Bytes(519, std::byte{0x66}));
    QCOMPARE(a->state(), MseHandshake::State::Running);
    a->feed(Bytes(1, std::byte{0x66}));
    QCOMPARE(a->state(), MseHandshake::State::Failed);
    QCOMPARE(a->error(), MseError::NoSync);
  }
};

QTEST_GUILESS_MAIN(TestMseHandshake)
#include "tst_mse_handshake.moc"
