#include <QtTest>

#include <QSet>

#include <string>

#include "ResponseDriver.h"
#include "engine/http/ResponseParser.h"

using namespace tributary::http;
using namespace tributary::http::test;

// Runs input through every split and leaves the reference outcome in `out`.
#define DRIVE(out, input, ...)                                          \
  Outcome out;                                                          \
  do {                                                                  \
    const std::string diff_ = compareSplits(input, out, ##__VA_ARGS__); \
    QVERIFY2(diff_.empty(), diff_.c_str());                             \
  } while (0)

namespace {

DriveOptions headRequest() {
  DriveOptions o;
  o.headRequest = true;
  return o;
}

DriveOptions noClose() {
  DriveOptions o;
  o.closeAtEnd = false;
  return o;
}

}  // namespace

class TstResponseParser : public QObject {
  Q_OBJECT
 private slots:
  void contentLengthBody() {
    const std::string in =
        "HTTP/1.1 200 OK\r\nServer: test\r\nContent-Length: 11\r\nETag: \"x\"\r\n\r\nhello world";
    DRIVE(o, in);
    QCOMPARE(o.headEvents, 1);
    QCOMPARE(o.status, 200);
    QCOMPARE(o.framing, BodyFraming::Length);
    QCOMPARE(o.contentLength.value_or(0), std::uint64_t{11});
    QVERIFY(o.keepAlive);
    QCOMPARE(o.body, std::string("hello world"));
    QVERIFY(o.done);
    QCOMPARE(o.leftover, std::size_t{0});
    QCOMPARE(o.fields.size(), std::size_t{3});
    QCOMPARE(o.fields[0].name, std::string("Server"));
    QCOMPARE(o.fields[2].value, std::string("\"x\""));
    QVERIFY(!o.bodyOutsideInput);
    QVERIFY(!o.protocolViolation);
  }

  void headAccessors() {
    ResponseParser parser;
    const std::string in =
        "HTTP/1.0 206 Partial Content\r\nX-A:  one \r\nx-a: two\r\nCONNECTION: Keep-Alive, "
        "Upgrade\r\nContent-Length: 0\r\n\r\n";
    const auto r = parser.feed(in);
    QCOMPARE(r.event, ResponseParser::Event::HeadReady);
    QCOMPARE(r.consumed, in.size());
    QVERIFY(parser.headReady());
    const ResponseHead& head = parser.head();
    QCOMPARE(head.versionMajor, 1);
    QCOMPARE(head.versionMinor, 0);
    QCOMPARE(head.reason, std::string("Partial Content"));
    QCOMPARE(*head.find("x-A"), std::string("one"));
    QCOMPARE(head.findAll("X-a").size(), std::size_t{2});
    QCOMPARE(head.findAll("X-a")[1], std::string_view("two"));
    QVERIFY(head.find("missing") == nullptr);
    QVERIFY(head.hasToken("connection", "keep-alive"));
    QVERIFY(head.hasToken("Connection", "upgrade"));
    QVERIFY(!head.hasToken("Connection", "close"));
    QVERIFY(head.keepAlive);  // HTTP/1.0 with keep-alive
    QCOMPARE(parser.feed({}).event, ResponseParser::Event::Done);
    QVERIFY(parser.done());
    QCOMPARE(parser.offset(), std::uint64_t(in.size()));
  }

  void keepAliveDecision_data() {
    QTest::addColumn<QString>("head");
    QTest::addColumn<bool>("keepAlive");
    QTest::newRow("1.1 default") << "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" << true;
    QTest::newRow("1.1 close")
        << "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        << false;
    QTest::newRow("1.1 close in list")
        << "HTTP/1.1 200 OK\r\nConnection: foo, CLOSE\r\nContent-Length: 0\r\n\r\n"
        << false;
    QTest::newRow("1.1 close in second field")
        << "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: close\r\nContent-Length: "
           "0\r\n\r\n"
        << false;
    QTest::newRow("1.0 default") << "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n" << false;
    QTest::newRow("1.0 keep-alive")
        << "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"
        << true;
    QTest::newRow("1.1 until close") << "HTTP/1.1 200 OK\r\n\r\n" << false;
    QTest::newRow("1.1 chunked") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" << true;
    QTest::newRow("chunked plus length")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
        << false;
    QTest::newRow("1.0 chunked") << "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                                    "Transfer-Encoding: chunked\r\n\r\n"
                                 << false;
    QTest::newRow("1.2 is 1.1") << "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n" << true;
  }
  void keepAliveDecision() {
    QFETCH(QString, head);
    QFETCH(bool, keepAlive);
    ResponseParser parser;
    const std::string in = head.toStdString();
    QCOMPARE(parser.feed(in).event, ResponseParser::Event::HeadReady);
    QCOMPARE(parser.head().keepAlive, keepAlive);
  }

  void untilCloseBody() {
    const std::string in = "HTTP/1.0 200 OK\r\nContent-Type: x\r\n\r\nall of this is body\r\n\r\n";
    DRIVE(o, in);
    QCOMPARE(o.framing, BodyFraming::UntilClose);
    QVERIFY(!o.keepAlive);
    QCOMPARE(o.body, std::string("all of this is body\r\n\r\n"));
    QVERIFY(o.done);
    // Without the close the message is simply not over yet.
    DRIVE(open, in, noClose());
    QVERIFY(!open.done);
    QCOMPARE(open.error, ParseError::None);
    QCOMPARE(open.body, o.body);
  }

  void chunkedBody() {
    const std::string in =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5\r\nhello\r\n"
        "1;name=value;quoted=\"a;b\"\r\n \r\n"
        "0000A \t\r\n0123456789\r\n"
        "fF\r\n" +
        std::string(255, 'z') +
        "\r\n"
        "0\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n";
    DRIVE(o, in);
    QCOMPARE(o.framing, BodyFraming::Chunked);
    QVERIFY(!o.contentLength.has_value());
    QCOMPARE(o.body, "hello 0123456789" + std::string(255, 'z'));
    QVERIFY(o.done);
    QCOMPARE(o.trailers.size(), std::size_t{2});
    QCOMPARE(o.trailers[0].name, std::string("X-Checksum"));
    QCOMPARE(o.trailers[1].value, std::string("d"));
    QVERIFY(!o.bodyOutsideInput);
  }

  void chunkedWithBareLineFeeds() {
    const std::string in = "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n";
    DRIVE(o, in);
    QCOMPARE(o.body, std::string("abc"));
    QVERIFY(o.done);
  }

  void chunkedWinsOverContentLength() {
    const std::string in =
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
        "3\r\nabc\r\n0\r\n\r\nNEXT";
    DRIVE(o, in);
    QCOMPARE(o.framing, BodyFraming::Chunked);
    QVERIFY(!o.contentLength.has_value());  // never trust the overridden length
    QVERIFY(!o.keepAlive);
    QCOMPARE(o.body, std::string("abc"));
    QCOMPARE(o.leftover, std::size_t{4});
  }

  void transferCodingNamesAreCaseInsensitive() {
    const std::string in = "HTTP/1.1 200 OK\r\nTransfer-Encoding:  Chunked \r\n\r\n0\r\n\r\n";
    DRIVE(o, in);
    QVERIFY(o.done);
    QCOMPARE(o.framing, BodyFraming::Chunked);
  }

  void duplicateIdenticalContentLengths() {
    DRIVE(a, std::string("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"));
    QVERIFY(a.done);
    QCOMPARE(a.body, std::string("abc"));
    DRIVE(b, std::string("HTTP/1.1 200 OK\r\nContent-Length: 3, 3 ,3\r\n\r\nabc"));
    QVERIFY(b.done);
    QCOMPARE(b.contentLength.value_or(0), std::uint64_t{3});
    DRIVE(c, std::string("HTTP/1.1 200 OK\r\nContent-Length: 003\r\n\r\nabc"));
    QCOMPARE(c.contentLength.value_or(0), std::uint64_t{3});
  }

  void noBodyResponses_data() {
    QTest::addColumn<QString>("head");
    QTest::addColumn<bool>("isHead");
    QTest::newRow("HEAD with length") << "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" << true;
    QTest::newRow("HEAD with chunked") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                       << true;
    QTest::newRow("204") << "HTTP/1.1 204 No Content\r\nContent-Length: 1000\r\n\r\n" << false;
    QTest::newRow("304") << "HTTP/1.1 304 Not Modified\r\nContent-Length: 1000\r\n\r\n" << false;
    QTest::newRow("304 odd coding")
        << "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: gzip\r\n\r\n"
        << false;
    QTest::newRow("zero length") << "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" << false;
  }
  void noBodyResponses() {
    QFETCH(QString, head);
    QFETCH(bool, isHead);
    // Bytes after the head belong to the next response, not to this body.
    const std::string in = head.toStdString() + "HTTP/1.1 200 OK\r\n";
    DriveOptions options;
    options.headRequest = isHead;
    DRIVE(o, in, options);
    QCOMPARE(o.headEvents, 1);
    QVERIFY(o.done);
    QVERIFY(o.body.empty());
    QCOMPARE(o.leftover, std::size_t{17});
    QVERIFY(o.keepAlive);
  }

  void headResponseReportsLength() {
    DRIVE(o, std::string("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n"),
          headRequest());
    QCOMPARE(o.contentLength.value_or(0), std::uint64_t{18446744073709551615ULL});
    QCOMPARE(o.framing, BodyFraming::None);
  }

  void interimResponsesAreSkipped() {
    const std::string in =
        "HTTP/1.1 100 Continue\r\n\r\n"
        "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    DRIVE(o, in);
    QCOMPARE(o.headEvents, 1);
    QCOMPARE(o.status, 200);
    QCOMPARE(o.fields.size(), std::size_t{1});  // nothing of the 103 leaks into the head
    QCOMPARE(o.body, std::string("ok"));
    QVERIFY(o.done);
  }

  void blankLinesBeforeStatusAreTolerated() {
    DRIVE(o, std::string("\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"));
    QVERIFY(o.done);
    QCOMPARE(o.body, std::string("x"));
  }

  void statusLineVariants() {
    DRIVE(a, std::string("HTTP/1.1 404\r\nContent-Length: 0\r\n\r\n"));
    QCOMPARE(a.status, 404);
    DRIVE(b, std::string("HTTP/1.1 500 \r\nContent-Length: 0\r\n\r\n"));
    QCOMPARE(b.status, 500);
    DRIVE(c, std::string("HTTP/1.1 200 caf\xC3\xA9 \t ok\r\nContent-Length: 0\r\n\r\n"));
    QCOMPARE(c.status, 200);
  }

  void emptyFieldValueIsKept() {
    DRIVE(o,
          std::string("HTTP/1.1 200 OK\r\nX-Empty:\r\nX-Blank:   \r\nContent-Length: 0\r\n\r\n"));
    QCOMPARE(o.fields.size(), std::size_t{3});
    QCOMPARE(o.fields[0].value, std::string());
    QCOMPARE(o.fields[1].value, std::string());
  }

  void pipelinedResponsesWithReset() {
    const std::string in =
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n";
    ResponseParser parser;
    std::span<const char> data(in);
    std::string bodies;
    int responses = 0;
    for (int guard = 0; guard < 50 && responses < 2; ++guard) {
      const auto r = parser.feed(data);
      data = data.subspan(r.consumed);
      if (r.event == ResponseParser::Event::Body) {
        bodies.append(r.body.data(), r.body.size());
      } else if (r.event == ResponseParser::Event::Done) {
        ++responses;
        bodies += '|';
        parser.reset();
      } else {
        QVERIFY(r.event == ResponseParser::Event::HeadReady);
      }
    }
    QCOMPARE(responses, 2);
    QCOMPARE(bodies, std::string("abc|de|"));
    QVERIFY(data.empty());
  }

  void stickyTerminalStates() {
    ResponseParser parser;
    const std::string in = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxEXTRA";
    std::span<const char> data(in);
    auto r = parser.feed(data);
    QCOMPARE(r.event, ResponseParser::Event::HeadReady);
    data = data.subspan(r.consumed);
    r = parser.feed(data);
    QCOMPARE(r.event, ResponseParser::Event::Body);
    QCOMPARE(r.body.size(), std::size_t{1});
    QCOMPARE(parser.bodyBytes(), std::uint64_t{1});
    data = data.subspan(r.consumed);
    r = parser.feed(data);
    QCOMPARE(r.event, ResponseParser::Event::Done);
    QCOMPARE(r.consumed, std::size_t{0});
    QCOMPARE(parser.finish().event, ResponseParser::Event::Done);

    ResponseParser broken;
    QCOMPARE(broken.feed(std::string_view("JUNK\r\n")).event, ResponseParser::Event::Error);
    const auto again = broken.feed(std::string_view("HTTP/1.1 200 OK\r\n"));
    QCOMPARE(again.event, ResponseParser::Event::Error);
    QCOMPARE(again.consumed, std::size_t{0});
    QCOMPARE(broken.finish().event, ResponseParser::Event::Error);
    QCOMPARE(broken.error(), ParseError::BadStatusLine);
    broken.reset();
    QCOMPARE(broken.error(), ParseError::None);
    QCOMPARE(broken.feed(std::string_view("HTTP/1.1 200 OK\r\n\r\n")).event,
             ResponseParser::Event::HeadReady);
  }

  void bigBodyInPieces() {
    std::string body(1 << 20, '\0');
    for (std::size_t i = 0; i < body.size(); ++i) {
      body[i] = static_cast<char>(i * 7 + (i >> 8));
    }
    const std::string in =
        "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    const Outcome a = drive(in, {65536});
    const Outcome b = drive(in, {1000, 1, 4093});
    QVERIFY(a.done);
    QVERIFY(a.body == body);
    QVERIFY(a == b);
    QVERIFY(!a.bodyOutsideInput);
  }

  void truncatedMessages_data() {
    QTest::addColumn<QString>("input");
    QTest::newRow("nothing") << "";
    QTest::newRow("half a status line") << "HTTP/1.1 2";
    QTest::newRow("head without end") << "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n";
    QTest::newRow("short body") << "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc";
    QTest::newRow("chunk cut") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab";
    QTest::newRow("chunk without CRLF")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab";
    QTest::newRow("no last chunk")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n";
    QTest::newRow("trailers cut")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\r\n";
  }
  void truncatedMessages() {
    QFETCH(QString, input);
    const std::string in = input.toStdString();
    DRIVE(o, in);
    QVERIFY(!o.done);
    QCOMPARE(o.error, ParseError::UnexpectedEof);
    // The stream ended after every byte was accepted: the error is at its end.
    QCOMPARE(o.errorOffset, std::uint64_t(in.size()));
  }

  void errorNamesAreDistinct() {
    QSet<QString> names;
    const int last = static_cast<int>(ParseError::UnexpectedEof);
    for (int i = 0; i <= last; ++i) {
      names.insert(QString::fromLatin1(parseErrorName(static_cast<ParseError>(i)).data()));
    }
    QCOMPARE(names.size(), last + 1);
    QVERIFY(!names.contains("unknown"));
  }
};

QTEST_GUILESS_MAIN(TstResponseParser)
#include "tst_response_parser.moc"
