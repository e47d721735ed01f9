// Hostile and malformed responses: every one must fail with the right error at the
// right byte, the same way however the bytes were split, within bounded memory.
#include <QtTest>

#include <random>
#include <string>

#include "ResponseDriver.h"
#include "engine/http/ResponseParser.h"

using namespace tributary::http;
using namespace tributary::http::test;

Q_DECLARE_METATYPE(tributary::http::ParseError)

namespace {

// "@@" marks the byte the error must point at; it is removed from the input.
std::pair<std::string, std::uint64_t> marked(const QByteArray& text) {
  std::string s = text.toStdString();
  const std::size_t at = s.find("@@");
  if (at == std::string::npos) {
    qFatal("test input without @@ marker");
  }
  s.erase(at, 2);
  return {s, at};
}

const char* const kChunkedHead = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

}  // namespace

class TstResponseHostile : public QObject {
  Q_OBJECT
 private slots:
  void malformed_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<ParseError>("error");
    const QByteArray ok = "HTTP/1.1 200 OK\r\n";
    const QByteArray chunked = kChunkedHead;
    auto row = [](const char* name, const QByteArray& in, ParseError e) {
      QTest::newRow(name) << in << e;
    };
    // Status line.
    row("HTTP/2", "HTTP/@@2.0 200 OK\r\n\r\n", ParseError::BadVersion);
    row("two digit status", "HTTP/1.1 20@@ OK\r\n\r\n", ParseError::BadStatusLine);
    row("status 099", "HTTP/1.1 @@099 x\r\n\r\n", ParseError::BadStatus);
    row("status 600", "HTTP/1.1 @@600\r\n\r\n", ParseError::BadStatus);
    row("four digit status", "HTTP/1.1 200@@0\r\n\r\n", ParseError::BadStatusLine);
    row("double space", "HTTP/1.1 @@ 200 OK\r\n\r\n", ParseError::BadStatusLine);
    row("ICY", "@@ICY 200 OK\r\n\r\n", ParseError::BadStatusLine);
    row("lower-case http", "@@http/1.1 200 OK\r\n\r\n", ParseError::BadStatusLine);
    row("tab separator", "@@HTTP/1.1\t200 OK\r\n\r\n", ParseError::BadStatusLine);
    row("NUL in reason", QByteArray("HTTP/1.1 200 O@@\0K\r\n\r\n", 22), ParseError::BadStatusLine);
    row("TLS bytes", QByteArray("@@\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\n", 14),
        ParseError::BadStatusLine);
    row("101", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n@@\r\n",
        ParseError::UnexpectedUpgrade);
    // Field lines.
    row("obs-fold", ok + "X-A: one\r\n@@ two\r\n\r\n", ParseError::ObsoleteLineFolding);
    row("space after status line", ok + "@@ X-A: one\r\n\r\n", ParseError::ObsoleteLineFolding);
    row("space before colon", ok + "Content-Length@@ : 5\r\n\r\n", ParseError::BadHeaderName);
    row("no colon", ok + "NoColon@@\r\n\r\n", ParseError::BadHeaderName);
    row("empty name", ok + "@@: v\r\n\r\n", ParseError::BadHeaderName);
    row("non-token name", ok + "X@@<Y: v\r\n\r\n", ParseError::BadHeaderName);
    row("NUL in name", ok + QByteArray("X@@\0Y: v\r\n\r\n", 12), ParseError::BadHeaderName);
    row("NUL in value", ok + QByteArray("X: a@@\0b\r\n\r\n", 12), ParseError::BadHeaderValue);
    row("bare CR in value", ok + "X: a@@\rb\r\n\r\n", ParseError::BadHeaderValue);
    row("DEL in value", ok + "X: a@@\x7f\r\n\r\n", ParseError::BadHeaderValue);
    row("CR splitting a field", ok + "Location: /a@@\r Set-Cookie: x=y\r\n\r\n",
        ParseError::BadHeaderValue);
    // Framing.
    row("negative length", ok + "Content-Length: -1\r\n@@\r\n", ParseError::BadContentLength);
    row("plus length", ok + "Content-Length: +5\r\n@@\r\n", ParseError::BadContentLength);
    row("hex length", ok + "Content-Length: 0x10\r\n@@\r\n", ParseError::BadContentLength);
    row("empty length", ok + "Content-Length:\r\n@@\r\n", ParseError::BadContentLength);
    row("spaced digits", ok + "Content-Length: 5 5\r\n@@\r\n", ParseError::BadContentLength);
    row("trailing comma", ok + "Content-Length: 5,\r\n@@\r\n", ParseError::BadContentLength);
    row("length overflow", ok + "Content-Length: 18446744073709551616\r\n@@\r\n",
        ParseError::BadContentLength);
    row("length far overflow", ok + "Content-Length: 99999999999999999999999999\r\n@@\r\n",
        ParseError::BadContentLength);
    row("two lengths", ok + "Content-Length: 5\r\nContent-Length: 6\r\n@@\r\n",
        ParseError::ConflictingContentLength);
    row("length list", ok + "Content-Length: 5, 6\r\n@@\r\n", ParseError::ConflictingContentLength);
    row("bad length hides behind chunked",
        ok + "Transfer-Encoding: chunked\r\nContent-Length: x\r\n@@\r\n",
        ParseError::BadContentLength);
    row("gzip", ok + "Transfer-Encoding: gzip, chunked\r\n@@\r\n",
        ParseError::UnsupportedTransferEncoding);
    row("chunked twice", ok + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n@@\r\n",
        ParseError::UnsupportedTransferEncoding);
    row("chunked not last", ok + "Transfer-Encoding: chunked, identity\r\n@@\r\n",
        ParseError::UnsupportedTransferEncoding);
    row("empty coding", ok + "Transfer-Encoding: \r\n@@\r\n",
        ParseError::UnsupportedTransferEncoding);
    // Chunks.
    row("non-hex size", chunked + "@@zz\r\n", ParseError::BadChunkSize);
    row("empty size", chunked + "@@\r\n", ParseError::BadChunkSize);
    row("negative size", chunked + "@@-5\r\n", ParseError::BadChunkSize);
    row("space before size", chunked + "@@ 5\r\nhello\r\n", ParseError::BadChunkSize);
    row("junk after size", chunked + "5@@x\r\nhello\r\n", ParseError::BadChunkSize);
    row("two sizes", chunked + "5 @@6\r\nhello\r\n", ParseError::BadChunkSize);
    row("0x prefix", chunked + "0@@x5\r\nhello\r\n", ParseError::BadChunkSize);
    row("size overflow", chunked + "1000000000000000@@0\r\n", ParseError::ChunkSizeOverflow);
    row("size far overflow", chunked + "ffffffffffffffff@@ff\r\n", ParseError::ChunkSizeOverflow);
    row("NUL in extension", chunked + QByteArray("5;a=@@\0\r\nhello\r\n0\r\n\r\n", 21),
        ParseError::BadChunkExtension);
    row("data too long", chunked + "5\r\nhello@@XX\r\n0\r\n\r\n", ParseError::BadChunkTerminator);
    row("CR then junk", chunked + "5\r\nhello\r@@X\r\n0\r\n\r\n", ParseError::BadChunkTerminator);
    row("obs-fold trailer", chunked + "0\r\nX: a\r\n@@ b\r\n\r\n", ParseError::ObsoleteLineFolding);
    row("NUL in trailer", chunked + QByteArray("0\r\nX: @@\0\r\n\r\n", 13),
        ParseError::BadHeaderValue);
    row("trailer without colon", chunked + "0\r\njunk@@\r\n\r\n", ParseError::BadHeaderName);
  }
  void malformed() {
    QFETCH(QByteArray, input);
    QFETCH(ParseError, error);
    const auto [in, offset] = marked(input);
    Outcome o;
    const std::string diff = compareSplits(in, o);
    QVERIFY2(diff.empty(), diff.c_str());
    QCOMPARE(o.error, error);
    QCOMPARE(o.errorOffset, offset);
    QVERIFY(!o.done);
  }

  void hugeHeaderBlock() {
    std::string in = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; in.size() < 80 * 1024; ++i) {
      in += "X-Pad-" + std::to_string(i) + ": " + std::string(4000, 'a') + "\r\n";
    }
    in += "\r\n";
    Outcome o;
    const std::string diff = compareSplits(in, o, {}, 4);
    QVERIFY2(diff.empty(), diff.c_str());
    QCOMPARE(o.error, ParseError::HeadTooLarge);
    QCOMPARE(o.errorOffset, std::uint64_t{64 * 1024});
  }

  void headJustUnderTheLimitIsFine() {
    std::string in = "HTTP/1.1 200 OK\r\n";
    const std::string tail = "Content-Length: 0\r\n\r\n";
    while (in.size() + 4010 + tail.size() < 64 * 1024) {
      in += "X: " + std::string(4005, 'b') + "\r\n";
    }
    in += "Y: " + std::string(64 * 1024 - in.size() - tail.size() - 5, 'c') + "\r\n";
    in += tail;
    QCOMPARE(in.size(), std::size_t{64 * 1024});
    const Outcome o = drive(in, {});
    QCOMPARE(o.error, ParseError::None);
    QVERIFY(o.done);
    // One byte more and the same head is refused at the limit.
    std::string plus = in;
    plus.insert(in.size() - tail.size() - 2, "c");
    const Outcome over = drive(plus, {});
    QCOMPARE(over.error, ParseError::HeadTooLarge);
    QCOMPARE(over.errorOffset, std::uint64_t{64 * 1024});
  }

  void headerCountLimit() {
    std::string head = "HTTP/1.1 200 OK\r\n";
    for (int i = 0; i < 100; ++i) {
      head += "X-" + std::to_string(i) + ": v\r\n";
    }
    const Outcome fine = drive(head + "\r\n", {});
    QCOMPARE(fine.error, ParseError::None);
    QCOMPARE(fine.fields.size(), std::size_t{100});
    const std::string over = head + "X-100: v\r\n\r\n";
    Outcome o;
    const std::string diff = compareSplits(over, o, {}, 4);
    QVERIFY2(diff.empty(), diff.c_str());
    QCOMPARE(o.error, ParseError::TooManyHeaders);
    QCOMPARE(o.errorOffset, std::uint64_t(head.size()));
  }

  void lineLengthLimit() {
    const std::string prefix = "HTTP/1.1 200 OK\r\n";
    const std::string exact = "X: " + std::string(16 * 1024 - 3, 'v');
    const Outcome fine = drive(prefix + exact + "\r\nContent-Length: 0\r\n\r\n", {});
    QCOMPARE(fine.error, ParseError::None);
    QVERIFY(fine.done);
    Outcome o;
    const std::string diff = compareSplits(prefix + exact + "v\r\n\r\n", o, {}, 4);
    QVERIFY2(diff.empty(), diff.c_str());
    QCOMPARE(o.error, ParseError::LineTooLong);
    QCOMPARE(o.errorOffset, std::uint64_t(prefix.size() + 16 * 1024));
  }

  void endlessLineWithoutNewline() {
    // A megabyte with no LF: refused at the line limit, never buffered whole.
    const std::string in = "HTTP/1.1 200 OK\r\nX: " + std::string(1 << 20, 'a');
    const Outcome o = drive(in, {4096});
    QCOMPARE(o.error, ParseError::LineTooLong);
    QCOMPARE(o.errorOffset, std::uint64_t{17 + 16 * 1024});
    const Outcome status = drive(std::string(1 << 20, 'H'), {1000});
    QCOMPARE(status.error, ParseError::LineTooLong);
    QCOMPARE(status.errorOffset, std::uint64_t{16 * 1024});
  }

  void endlessBlankLines() {
    const Outcome o = drive(std::string(200 * 1024, '\n'), {333});
    QCOMPARE(o.error, ParseError::HeadTooLarge);
    QCOMPARE(o.errorOffset, std::uint64_t{64 * 1024});
  }

  void endlessInterimResponses() {
    std::string in;
    for (int i = 0; i < 17; ++i) {
      in += "HTTP/1.1 100 Continue\r\n\r\n";
    }
    Outcome o;
    const std::string diff = compareSplits(in + "HTTP/1.1 200 OK\r\n\r\n", o);
    QVERIFY2(diff.empty(), diff.c_str());
    QCOMPARE(o.error, ParseError::TooManyInterimResponses);
    QCOMPARE(o.errorOffset, std::uint64_t(in.size() - 2));
    // Sixteen are allowed.
    const Outcome fine = drive(in.substr(25) + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", {});
    QCOMPARE(fine.error, ParseError::None);
    QCOMPARE(fine.status, 200);
  }

  void customLimits() {
    DriveOptions options;
    options.limits.maxHeadBytes = 60;
    options.limits.maxHeaderCount = 2;
    options.limits.maxLineLength = 24;
    options.limits.maxTrailerBytes = 10;
    const Outcome big = drive(
        "HTTP/1.1 200 OK\r\nA: 12345678901234567890\r\nB: 1234567890123\r\n\r\n", {}, options);
    QCOMPARE(big.error, ParseError::HeadTooLarge);
    QCOMPARE(big.errorOffset, std::uint64_t{60});
    const Outcome many = drive("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", {}, options);
    QCOMPARE(many.error, ParseError::TooManyHeaders);
    QCOMPARE(many.errorOffset, std::uint64_t{29});
    const Outcome longLine =
        drive("HTTP/1.1 200 OK\r\nA: 1234567890123456789012\r\n\r\n", {}, options);
    QCOMPARE(longLine.error, ParseError::LineTooLong);
    QCOMPARE(longLine.errorOffset, std::uint64_t{17 + 24});
  }

  void customBodyLimits() {
    DriveOptions options;
    options.limits.maxHeaderCount = 2;
    options.limits.maxLineLength = 30;
    options.limits.maxTrailerBytes = 10;
    const std::string chunked = kChunkedHead;
    const Outcome trailers = drive(chunked + "0\r\nT: 123456\r\n\r\n", {}, options);
    QCOMPARE(trailers.error, ParseError::TrailerTooLarge);
    // The budget starts after the last-chunk line "0\r\n".
    QCOMPARE(trailers.errorOffset, std::uint64_t(chunked.size() + 3 + 10));
    const Outcome fits = drive(chunked + "0\r\nT:12\r\n\r\n", {}, options);
    QVERIFY(fits.done);
    QCOMPARE(fits.trailers.size(), std::size_t{1});
    options.limits.maxTrailerBytes = 100;
    const Outcome trailerCount = drive(chunked + "0\r\nA:1\r\nB:2\r\nC:3\r\n\r\n", {}, options);
    QCOMPARE(trailerCount.error, ParseError::TooManyHeaders);
    QCOMPARE(trailerCount.errorOffset, std::uint64_t(chunked.size() + 3 + 10));
    const Outcome longExtension =
        drive(chunked + "1;" + std::string(30, 'e') + "\r\nx\r\n0\r\n\r\n", {}, options);
    QCOMPARE(longExtension.error, ParseError::LineTooLong);
    QCOMPARE(longExtension.errorOffset, std::uint64_t(chunked.size() + 30));
  }

  void largestChunkSizeIsAccepted() {
    DriveOptions options;
    options.closeAtEnd = false;
    const Outcome o = drive(std::string(kChunkedHead) + "ffffffffffffffff\r\nabc", {}, options);
    QCOMPARE(o.error, ParseError::None);
    QCOMPARE(o.body, std::string("abc"));
    QVERIFY(!o.done);
    const Outcome lead =
        drive(std::string(kChunkedHead) + "00000000000000000000003\r\nabc\r\n0\r\n\r\n", {});
    QVERIFY(lead.done);
    QCOMPARE(lead.body, std::string("abc"));
  }

  // Random damage to valid responses: never a crash, never a body byte from outside
  // the input, never a different result for a different split.
  void mutatedResponsesAgreeAcrossSplits() {
    const std::string seeds[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"a\"\r\n\r\nhello",
        std::string(kChunkedHead) + "5;x=y\r\nhello\r\n3\r\nabc\r\n0\r\nT: v\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nbody",
        "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
    };
    std::mt19937 rng(20240601);
    int errors = 0;
    for (int round = 0; round < 300; ++round) {
      std::string in = seeds[rng() % std::size(seeds)];
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !in.empty(); ++e) {
        const std::size_t at = rng() % in.size();
        switch (rng() % 4) {
          case 0:
            in[at] = static_cast<char>(rng());
            break;
          case 1:
            in.erase(at, 1 + rng() % 3);
            break;
          case 2:
            in.insert(at, 1, "\r\n:; \t0\"x"[rng() % 9]);
            break;
          default:
            in.insert(at, in.substr(at, rng() % 8));
            break;
        }
      }
      Outcome o;
      const std::string diff = compareSplits(in, o, {}, 3);
      QVERIFY2(diff.empty(), diff.c_str());
      QVERIFY(!o.bodyOutsideInput);
      QVERIFY(!o.protocolViolation);
      QVERIFY(o.errorOffset <= in.size());
      errors += o.error != ParseError::None ? 1 : 0;
    }
    QVERIFY(errors > 0);  // the mutations did reach the error paths
  }
};

QTEST_GUILESS_MAIN(TstResponseHostile)
#include "tst_response_hostile.moc"
