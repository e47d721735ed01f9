// KRPC (BEP 5 / BEP 32) encode/decode: round trips of every message kind, and
// the limits and malformed inputs the decoder must refuse.
#include <QtTest>

#include <string>

#include "engine/codec/Bencode.h"
#include "engine/dht/CompactAddress.h"
#include "engine/dht/Krpc.h"

using namespace tributary;
using namespace tributary::dht;
using loop::SocketAddress;

namespace {

NodeId idOf(char fill) {
  NodeId::Bytes bytes;
  bytes.fill(static_cast<std::uint8_t>(fill));
  return NodeId(bytes);
}

KrpcMessage roundTrip(const KrpcMessage& in) {
  KrpcDecodeFailure failure;
  auto out = decodeKrpc(encodeKrpc(in), failure);
  if (!out) {
    qWarning() << "decode failed:" << krpcErrorName(failure.code).data();
    return {};
  }
  return *out;
}

KrpcError failureOf(std::string_view datagram, KrpcDecodeFailure* out = nullptr) {
  KrpcDecodeFailure failure;
  const bool ok = decodeKrpc(datagram, failure).has_value();
  if (out) {
    *out = failure;
  }
  return ok ? KrpcError::Ok : failure.code;
}

const std::string kId20(20, 'a');

}  // namespace

class TstDhtKrpc : public QObject {
  Q_OBJECT
 private slots:
  void pingQueryMatchesBep5Bytes() {
    KrpcMessage m;
    m.kind = KrpcKind::Query;
    m.transactionId = "aa";
    m.query.method = KrpcMethod::Ping;
    m.query.id = *NodeId::fromBytes(std::string_view("abcdefghij0123456789"));
    // The example from BEP 5, byte for byte.
    QCOMPARE(encodeKrpc(m),
             std::string("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"));
    const KrpcMessage back = roundTrip(m);
    QCOMPARE(back.kind, KrpcKind::Query);
    QCOMPARE(back.query.method, KrpcMethod::Ping);
    QCOMPARE(back.transactionId, std::string("aa"));
    QCOMPARE(back.query.id, m.query.id);
  }

  void queriesRoundTrip() {
    KrpcMessage m;
    m.transactionId = std::string("\x00\x01", 2);
    m.query.id = idOf('i');
    m.query.method = KrpcMethod::FindNode;
    m.query.target = idOf('t');
    m.query.wantV4 = true;
    m.query.wantV6 = true;
    KrpcMessage back = roundTrip(m);
    QCOMPARE(back.query.method, KrpcMethod::FindNode);
    QCOMPARE(back.query.target, idOf('t'));
    QVERIFY(back.query.wantV4 && back.query.wantV6);
    QCOMPARE(back.transactionId, m.transactionId);

    m.query.method = KrpcMethod::GetPeers;
    m.query.infoHash = idOf('h');
    back = roundTrip(m);
    QCOMPARE(back.query.method, KrpcMethod::GetPeers);
    QCOMPARE(back.query.infoHash, idOf('h'));

    m.query.method = KrpcMethod::AnnouncePeer;
    m.query.port = 6881;
    m.query.token = "tok";
    m.query.impliedPort = true;
    back = roundTrip(m);
    QCOMPARE(back.query.method, KrpcMethod::AnnouncePeer);
    QCOMPARE(back.query.port, std::uint16_t{6881});
    QCOMPARE(back.query.token, std::string("tok"));
    QVERIFY(back.query.impliedPort);
  }

  void responseRoundTripWithNodesAndValues() {
    KrpcMessage m;
    m.kind = KrpcKind::Response;
    m.transactionId = "xy";
    m.version = "TR01";
    m.response.id = idOf('r');
    m.response.nodes.push_back({idOf('1'), SocketAddress::v4({10, 0, 0, 1}, 6881)});
    m.response.nodes.push_back({idOf('2'), *SocketAddress::parse("2001:db8::1", 51413)});
    m.response.values.push_back(SocketAddress::v4({1, 2, 3, 4}, 80));
    m.response.values.push_back(*SocketAddress::parse("2001:db8::2", 443));
    m.response.token = "secret";
    const std::string wire = encodeKrpc(m);
    QVERIFY(wire.find("5:nodes26:") != std::string::npos);
    QVERIFY(wire.find("6:nodes638:") != std::string::npos);
    const KrpcMessage back = roundTrip(m);
    QCOMPARE(back.kind, KrpcKind::Response);
    QCOMPARE(back.version, std::string("TR01"));
    QCOMPARE(back.response.id, idOf('r'));
    QCOMPARE(back.response.nodes.size(), std::size_t{2});
    QCOMPARE(back.response.nodes[0], m.response.nodes[0]);
    QCOMPARE(back.response.nodes[1], m.response.nodes[1]);
    QCOMPARE(back.response.values, m.response.values);
    QCOMPARE(back.response.token, std::string("secret"));
  }

  void errorRoundTrip() {
    KrpcMessage m;
    m.kind = KrpcKind::Error;
    m.transactionId = "ee";
    m.error = {kKrpcMethodUnknown, "Method Unknown"};
    QCOMPARE(encodeKrpc(m), std::string("d1:eli204e14:Method Unknowne1:t2:ee1:y1:ee"));
    const KrpcMessage back = roundTrip(m);
    QCOMPARE(back.kind, KrpcKind::Error);
    QCOMPARE(back.error.code, kKrpcMethodUnknown);
    QCOMPARE(back.error.message, std::string("Method Unknown"));
  }

  void unknownQueryDecodesAsUnknown() {
    const std::string wire = "d1:ad2:id20:" + kId20 + "e1:q9:vote_left1:t1:z1:y1:qe";
    KrpcDecodeFailure failure;
    const auto m = decodeKrpc(wire, failure);
    QVERIFY(m);
    QCOMPARE(m->query.method, KrpcMethod::Unknown);
    QCOMPARE(m->query.name, std::string("vote_left"));
  }

  void externalIpIsRead() {
    const std::string wire = "d2:ip6:" + std::string("\x7f\x00\x00\x01\x1a\xe1", 6) +
                             "1:rd2:id20:" + kId20 + "e1:t1:z1:y1:re";
    KrpcDecodeFailure failure;
    const auto m = decodeKrpc(wire, failure);
    QVERIFY(m);
    QCOMPARE(m->externalAddress, SocketAddress::loopbackV4(6881));
  }

  void malformedInputsAreRefused_data() {
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("expected");
    const auto add = [](const char* name, const std::string& wire, KrpcError e) {
      QTest::newRow(name) << QByteArray(wire.data(), static_cast<qsizetype>(wire.size()))
                          << static_cast<int>(e);
    };
    add("not bencode", "d1:t", KrpcError::Bencode);
    add("list root", "l1:ae", KrpcError::NotADict);
    add("no t", "d1:y1:qe", KrpcError::BadTransactionId);
    add("t too long", "d1:t17:" + std::string(17, 'x') + "1:y1:re", KrpcError::BadTransactionId);
    add("bad y", "d1:t1:a1:y1:xe", KrpcError::BadType);
    add("query without a", "d1:q4:ping1:t1:a1:y1:qe", KrpcError::MissingArguments);
    add("short id", "d1:ad2:id3:abce1:q4:ping1:t1:a1:y1:qe", KrpcError::BadNodeId);
    add("find_node without target", "d1:ad2:id20:" + kId20 + "e1:q9:find_node1:t1:a1:y1:qe",
        KrpcError::BadTarget);
    add("announce without token",
        "d1:ad2:id20:" + kId20 + "9:info_hash20:" + kId20 +
            "4:porti1ee1:q13:announce_peer1:t1:a1:y1:qe",
        KrpcError::BadToken);
    add("announce port 0",
        "d1:ad2:id20:" + kId20 + "9:info_hash20:" + kId20 +
            "4:porti0e5:token1:ke1:q13:announce_peer1:t1:a1:y1:qe",
        KrpcError::BadPort);
    add("nodes not multiple of 26",
        "d1:rd2:id20:" + kId20 + "5:nodes25:" + std::string(25, 'n') + "e1:t1:a1:y1:re",
        KrpcError::BadNodes);
    add("nodes6 not multiple of 38",
        "d1:rd2:id20:" + kId20 + "6:nodes626:" + std::string(26, 'n') + "e1:t1:a1:y1:re",
        KrpcError::BadNodes);
    add("values not a list", "d1:rd2:id20:" + kId20 + "6:valuesi1ee1:t1:a1:y1:re",
        KrpcError::BadValues);
    std::string many = "l";
    for (int i = 0; i < 201; ++i) {
      many += "6:" + std::string(6, 'p');
    }
    many += "e";
    add("201 values", "d1:rd2:id20:" + kId20 + "6:values" + many + "e1:t1:a1:y1:re",
        KrpcError::TooManyValues);
    add("error without code", "d1:eli", KrpcError::Bencode);
    add("error list empty", "d1:ele1:t1:a1:y1:ee", KrpcError::BadErrorList);
  }
  void malformedInputsAreRefused() {
    QFETCH(QByteArray, wire);
    QFETCH(int, expected);
    QCOMPARE(static_cast<int>(failureOf(std::string_view(wire.constData(), wire.size()))),
             expected);
  }

  void malformedQueryKeepsTransactionForError203() {
    KrpcDecodeFailure failure;
    QCOMPARE(failureOf("d1:ad2:id3:abce1:q4:ping1:t2:zz1:y1:qe", &failure), KrpcError::BadNodeId);
    QVERIFY(failure.wasQuery);
    QCOMPARE(failure.transactionId, std::string("zz"));
  }

  void twoHundredValuesAreAccepted() {
    std::string list = "l";
    for (int i = 0; i < 200; ++i) {
      list += "6:" + std::string("\x7f\x00\x00\x01\x00\x50", 6);
    }
    list += "e";
    KrpcDecodeFailure failure;
    const auto m =
        decodeKrpc("d1:rd2:id20:" + kId20 + "6:values" + list + "e1:t1:a1:y1:re", failure);
    QVERIFY(m);
    QCOMPARE(m->response.values.size(), std::size_t{200});
  }

  void oversizedAndDeepInputsAreRefused() {
    std::string big = "d1:t1:a1:y1:r1:rd2:id20:" + kId20 + "3:pad" + std::to_string(70 * 1024) +
                      ":" + std::string(70 * 1024, 'x') + "ee";
    QCOMPARE(failureOf(big), KrpcError::TooLarge);
    std::string deep = "d1:t1:a1:y1:r1:rd2:id20:" + kId20 + "1:x" + std::string(50, 'l') +
                       std::string(50, 'e') + "ee";
    QCOMPARE(failureOf(deep), KrpcError::Bencode);
  }

  void compactNodesSkipPortZero() {
    std::string bytes;
    appendCompactNode(bytes, {idOf('a'), SocketAddress::v4({1, 1, 1, 1}, 0)});
    appendCompactNode(bytes, {idOf('b'), SocketAddress::v4({1, 1, 1, 2}, 7)});
    QCOMPARE(bytes.size(), std::size_t{52});
    const auto nodes = parseCompactNodes(bytes, false);
    QVERIFY(nodes);
    QCOMPARE(nodes->size(), std::size_t{1});
    QCOMPARE(nodes->front().id, idOf('b'));
  }
};

QTEST_GUILESS_MAIN(TstDhtKrpc)
#include "tst_dht_krpc.moc"
