#include <QtTest>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "engine/util/SendQueue.h"

using tributary::util::SendQueue;

namespace {

using Span = std::span<const std::byte>;
using Report = std::pair<std::size_t, bool>;

std::string toString(Span s) {
  return {reinterpret_cast<const char*>(s.data()), s.size()};
}

SendQueue::Bytes bytesOf(std::string_view s) {
  SendQueue::Bytes b(s.size());
  std::memcpy(b.data(), s.data(), s.size());
  return b;
}

SendQueue::Progress recordInto(std::vector<Report>* log) {
  return [log](std::size_t sent, bool done) { log->emplace_back(sent, done); };
}

}  // namespace

class TstSendQueue : public QObject {
  Q_OBJECT
 private slots:
  void gathersEveryKindOfEntryInOrder() {
    SendQueue q;
    auto shared = std::make_shared<const SendQueue::Bytes>(bytesOf("0123456789"));
    q.push(bytesOf("owned-"));
    q.push(std::string("str-"));
    q.push(shared, 2, 5);
    q.pushCopy("!", 1);
    QCOMPARE(q.pendingBytes(), std::size_t{6 + 4 + 5 + 1});
    QCOMPARE(q.entryCount(), std::size_t{4});

    std::array<Span, 8> spans;
    QCOMPARE(q.gather(spans), std::size_t{4});
    QCOMPARE(toString(spans[0]), std::string("owned-"));
    QCOMPARE(toString(spans[1]), std::string("str-"));
    QCOMPARE(toString(spans[2]), std::string("23456"));
    QCOMPARE(toString(spans[3]), std::string("!"));
    // A shared slice is sent from the shared buffer itself, never copied.
    QCOMPARE(spans[2].data(), shared->data() + 2);
  }

  void gatherHonoursSpanAndByteLimits() {
    SendQueue q;
    q.push(std::string("aaaa"));
    q.push(std::string("bbbb"));
    q.push(std::string("cccc"));
    std::array<Span, 2> two;
    QCOMPARE(q.gather(two), std::size_t{2});
    QCOMPARE(toString(two[1]), std::string("bbbb"));
    std::array<Span, 8> spans;
    QCOMPARE(q.gather(spans, 6), std::size_t{2});
    QCOMPARE(toString(spans[0]), std::string("aaaa"));
    QCOMPARE(toString(spans[1]), std::string("bb"));
    q.consume(5);
    QCOMPARE(q.gather(spans), std::size_t{2});
    QCOMPARE(toString(spans[0]), std::string("bbb"));
  }

  void consumeReportsProgressPerEntry() {
    SendQueue q;
    std::vector<Report> a;
    std::vector<Report> b;
    std::vector<Report> c;
    q.push(std::string("aaaaa"), recordInto(&a));
    q.push(bytesOf("bbb"), recordInto(&b));
    q.push(std::string("cccccc"), recordInto(&c));

    q.consume(2);
    QCOMPARE(a, (std::vector<Report>{{2, false}}));
    q.consume(5);  // the rest of a (3), then 2 of b
    QCOMPARE(a, (std::vector<Report>{{2, false}, {3, true}}));
    QCOMPARE(b, (std::vector<Report>{{2, false}}));
    q.consume(1 + 6);  // the rest of b and all of c
    QCOMPARE(b, (std::vector<Report>{{2, false}, {1, true}}));
    QCOMPARE(c, (std::vector<Report>{{6, true}}));
    QVERIFY(q.empty());
    QCOMPARE(q.pendingBytes(), std::size_t{0});
  }

  void spansStayValidWhileMoreIsPushed() {
    SendQueue q;
    q.push(std::string("short"));  // small enough for the string's inline buffer
    std::array<Span, 1> first;
    QCOMPARE(q.gather(first), std::size_t{1});
    for (int i = 0; i < 2000; ++i) {
      q.push(std::string("x"));
    }
    QCOMPARE(toString(first[0]), std::string("short"));
    std::array<Span, 1> again;
    q.gather(again);
    QCOMPARE(again[0].data(), first[0].data());
  }

  void emptyEntriesReportDoneAtTheirTurn() {
    SendQueue q;
    std::vector<Report> a;
    std::vector<Report> empty;
    std::vector<Report> c;
    q.push(std::string("ab"), recordInto(&a));
    q.push(std::string(), recordInto(&empty));
    q.push(std::string("cd"), recordInto(&c));
    std::array<Span, 4> spans;
    QCOMPARE(q.gather(spans), std::size_t{2});  // the empty entry contributes no span
    q.consume(2);
    QCOMPARE(a, (std::vector<Report>{{2, true}}));
    QCOMPARE(empty, (std::vector<Report>{{0, true}}));
    QVERIFY(c.empty());
    q.consume(2);
    QCOMPARE(c, (std::vector<Report>{{2, true}}));
  }

  void callbackMayPushMore() {
    SendQueue q;
    int pushes = 0;
    q.push(std::string("first"), [&q, &pushes](std::size_t, bool done) {
      if (done && pushes++ == 0) {
        q.push(std::string("next"));
      }
    });
    q.consume(5);
    QCOMPARE(pushes, 1);
    QCOMPARE(q.pendingBytes(), std::size_t{4});
    std::array<Span, 2> spans;
    QCOMPARE(q.gather(spans), std::size_t{1});
    QCOMPARE(toString(spans[0]), std::string("next"));
  }

  void partialCallbackSurvivesForTheNextConsume() {
    SendQueue q;
    std::vector<Report> log;
    q.push(std::string("abcdef"), recordInto(&log));
    q.consume(1);
    q.consume(2);
    q.consume(3);
    QCOMPARE(log, (std::vector<Report>{{1, false}, {2, false}, {3, true}}));
  }

  void clearDropsWithoutCalling() {
    SendQueue q;
    std::vector<Report> log;
    auto token = std::make_shared<int>(1);
    std::weak_ptr<int> weak = token;
    q.push(std::string("abc"), [log = &log, token = std::move(token)](std::size_t n, bool d) {
      log->emplace_back(n, d);
    });
    q.clear();
    QVERIFY(log.empty());
    QVERIFY(weak.expired());
    QVERIFY(q.empty());
    QCOMPARE(q.pendingBytes(), std::size_t{0});
  }
};

QTEST_GUILESS_MAIN(TstSendQueue)
#include "tst_send_queue.moc"
