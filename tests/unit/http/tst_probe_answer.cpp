// The probe's plan (where it asks from, with which If-Range) and what each
// answer means: a restarted download must ask from its first missing byte and
// never splice bytes of another version of the file onto what it has.
#include <QtTest>

#include <string>

#include "engine/http/ProbeAnswer.h"
#include "engine/http/ResponseParser.h"

using namespace tributary;
using namespace tributary::http;

namespace {

constexpr std::uint64_t kTotal = 10'000;

ResponseHead headOf(const std::string& text) {
  ResponseParser parser;
  if (parser.feed(text).event != ResponseParser::Event::HeadReady) {
    qFatal("head did not parse");
  }
  return parser.head();
}

std::string partial(std::uint64_t first, std::uint64_t total, const std::string& etag,
                    const std::string& lastModified = "Tue, 01 Aug 2023 10:00:00 GMT") {
  std::string head = "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " +
                     std::to_string(first) + "-" + std::to_string(total - 1) + "/" +
                     std::to_string(total) +
                     "\r\nContent-Length: " + std::to_string(total - first) + "\r\n";
  if (!etag.empty()) {
    head += "ETag: " + etag + "\r\n";
  }
  if (!lastModified.empty()) {
    head += "Last-Modified: " + lastModified + "\r\n";
  }
  return head + "\r\n";
}

std::string whole(std::uint64_t total, const std::string& etag) {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(total) + "\r\nETag: " + etag +
         "\r\nLast-Modified: Tue, 01 Aug 2023 10:00:00 GMT\r\n\r\n";
}

ResumeState knownState(core::ByteRanges done) {
  ResumeState state;
  state.url = "http://127.0.0.1/f.bin";
  state.fileName = "f.bin";
  state.totalSize = kTotal;
  state.etag = "\"v1\"";
  state.lastModified = "Tue, 01 Aug 2023 10:00:00 GMT";
  state.done = std::move(done);
  return state;
}

}  // namespace

class TstProbeAnswer : public QObject {
  Q_OBJECT
 private slots:
  void newFileAsksFromZero() {
    const ProbeRequest request = probeRequestFor(nullptr);
    QCOMPARE(request.from, std::uint64_t{0});
  }

  void knownFileAsksFromItsFirstMissingByte() {
    const ResumeState known = knownState({{0, 4000}, {6000, 7000}});
    const ProbeRequest request = probeRequestFor(&known);
    QCOMPARE(request.from, std::uint64_t{4000});
  }

  void holeAtTheStartAsksFromZero() {
    const ResumeState known = knownState({{100, 4000}});
    const ProbeRequest request = probeRequestFor(&known);
    QCOMPARE(request.from, std::uint64_t{0});
  }

  void completeFileAsksForItsLastByte() {
    const ResumeState known = knownState({{0, kTotal}});
    QCOMPARE(probeRequestFor(&known).from, kTotal - 1);
  }

  void sameFileFromTheMissingByteIsKept() {
    const ResumeState known = knownState({{0, 4000}});
    const ProbeRequest request = probeRequestFor(&known);
    const ProbeAnswer answer =
        judgeProbeAnswer(headOf(partial(4000, kTotal, "\"v1\"")), request, &known);
    QCOMPARE(answer.kind, ProbeAnswer::Kind::Ranged);
    QVERIFY(answer.resumeHolds);
    QCOMPARE(answer.total.value_or(0), kTotal);
  }

  void changedFileAsksAgain() {
    const ResumeState known = knownState({{0, 4000}});
    const ProbeRequest request = probeRequestFor(&known);
    // A 206 of the new version shows its new validators...
    QCOMPARE(judgeProbeAnswer(headOf(partial(4000, kTotal, "\"v2\"")), request, &known).kind,
             ProbeAnswer::Kind::AskAgain);
    // ...or the new size.
    QCOMPARE(judgeProbeAnswer(headOf(partial(4000, kTotal + 1, "\"v1\"")), request, &known).kind,
             ProbeAnswer::Kind::AskAgain);
    // The whole new file (no Range support for it, or a server that sends a
    // new version whole): a fresh probe asks it with ranges.
    QCOMPARE(judgeProbeAnswer(headOf(whole(kTotal, "\"v2\"")), request, &known).kind,
             ProbeAnswer::Kind::AskAgain);
    QCOMPARE(judgeProbeAnswer(headOf(whole(kTotal + 5, "\"v1\"")), request, &known).kind,
             ProbeAnswer::Kind::AskAgain);
    // The file shrank below the byte asked for.
    const std::string shrunk =
        "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */3000\r\n"
        "Content-Length: 0\r\n\r\n";
    QCOMPARE(judgeProbeAnswer(headOf(shrunk), request, &known).kind, ProbeAnswer::Kind::AskAgain);
    // Bytes from another offset than asked for.
    QCOMPARE(judgeProbeAnswer(headOf(partial(0, kTotal, "\"v1\"")), request, &known).kind,
             ProbeAnswer::Kind::AskAgain);
    // Another file name (the caller passes no known state): the range alone is useless.
    QCOMPARE(judgeProbeAnswer(headOf(partial(4000, kTotal, "\"v1\"")), request, nullptr).kind,
             ProbeAnswer::Kind::AskAgain);
  }

  void serverIgnoringRangeKeepsTheWholeBody() {
    const ResumeState known = knownState({{0, 4000}});
    const ProbeAnswer answer =
        judgeProbeAnswer(headOf(whole(kTotal, "\"v1\"")), probeRequestFor(&known), &known);
    QCOMPARE(answer.kind, ProbeAnswer::Kind::Whole);
    QVERIFY(!answer.resumeHolds);
    QCOMPARE(answer.total.value_or(0), kTotal);
  }

  void freshProbeAnswers() {
    const ProbeRequest fresh;
    ProbeAnswer answer = judgeProbeAnswer(headOf(partial(0, kTotal, "")), fresh, nullptr);
    QCOMPARE(answer.kind, ProbeAnswer::Kind::Ranged);
    QVERIFY(!answer.resumeHolds);
    answer = judgeProbeAnswer(headOf(whole(kTotal, "\"v1\"")), fresh, nullptr);
    QCOMPARE(answer.kind, ProbeAnswer::Kind::Whole);
    answer = judgeProbeAnswer(headOf("HTTP/1.1 416 No\r\nContent-Range: bytes */0\r\n"
                                     "Content-Length: 0\r\n\r\n"),
                              fresh, nullptr);
    QCOMPARE(answer.kind, ProbeAnswer::Kind::Empty);
    QCOMPARE(answer.total.value_or(1), std::uint64_t{0});
    answer = judgeProbeAnswer(headOf("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"), fresh,
                              nullptr);
    QCOMPARE(answer.kind, ProbeAnswer::Kind::Unusable);
    // A known state whose hole is at byte 0 resumes from a probe from 0.
    const ResumeState known = knownState({{100, 4000}});
    answer = judgeProbeAnswer(headOf(partial(0, kTotal, "\"v1\"")), fresh, &known);
    QCOMPARE(answer.kind, ProbeAnswer::Kind::Ranged);
    QVERIFY(answer.resumeHolds);
    answer = judgeProbeAnswer(headOf(partial(0, kTotal, "\"v2\"")), fresh, &known);
    QCOMPARE(answer.kind, ProbeAnswer::Kind::Ranged);
    QVERIFY(!answer.resumeHolds);
  }
};

QTEST_GUILESS_MAIN(TstProbeAnswer)
#include "tst_probe_answer.moc"
