#include <QtTest>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "engine/loop/EventLoop.h"
#include "engine/loop/Resolver.h"
#include "engine/loop/Timer.h"
#include "unit/net_loop/NetTestUtil.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;

namespace {

using Answer = Result<Resolver::Addresses>;

// A label longer than 63 octets: getaddrinfo rejects it locally, without a
// DNS query, so this exercises its error path with no network.
std::string overlongLabelName() {
  return std::string(64, 'a') + ".example";
}

}  // namespace

class TstResolver : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;

  // Resolves on the loop thread and waits for the answer.
  Answer resolveAndWait(Resolver& resolver, const std::string& host, std::uint16_t port,
                        bool* calledInside = nullptr) {
    auto promise = std::make_shared<std::promise<Answer>>();
    auto future = promise->get_future();
    auto request = std::make_shared<std::optional<Resolver::Request>>();
    auto ranInside = std::make_shared<bool>(false);
    runOn(*loop_, [&, promise, request, ranInside] {
      auto inside = std::make_shared<bool>(true);
      *request = resolver.resolve(host, port, [promise, inside, ranInside](Answer a) {
        *ranInside = *ranInside || *inside;
        promise->set_value(std::move(a));
      });
      *inside = false;
    });
    if (!waitReady(future)) {
      qFatal("resolve(%s) did not answer", host.c_str());
    }
    runOn(*loop_, [request] { request->reset(); });
    if (calledInside != nullptr) {
      *calledInside = *ranInside;
    }
    return future.get();
  }

 private slots:
  void init() {
    loop_ = std::make_unique<EventLoop>("resolver");
    loop_->start();
  }
  void cleanup() {
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void localhostResolvesThroughGetaddrinfo() {
    auto resolver = runOn(*loop_, [this] { return std::make_shared<Resolver>(*loop_); });
    const Answer a = resolveAndWait(*resolver, "localhost", 8080);
    QVERIFY2(a.ok(), a.ok() ? "" : a.error().detail.c_str());
    QVERIFY(!a.value().empty());
    for (const SocketAddress& address : a.value()) {
      QVERIFY2(address.isLoopback(), address.toString().c_str());
      QCOMPARE(address.port(), std::uint16_t{8080});
    }
    QCOMPARE(resolver->systemLookups(), std::uint64_t{1});
    runOn(*loop_, [&resolver] { resolver.reset(); });
  }

  void ipLiteralsResolveWithoutThreadPool_data() {
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("expected");
    QTest::newRow("v4") << "127.0.0.1"
                        << "127.0.0.1:443";
    QTest::newRow("v6") << "::1"
                        << "[::1]:443";
    QTest::newRow("v6 bracketed") << "[::1]"
                                  << "[::1]:443";
    QTest::newRow("v6 long") << "2001:DB8:0:0:0:0:0:1"
                             << "[2001:db8::1]:443";
  }
  void ipLiteralsResolveWithoutThreadPool() {
    QFETCH(QString, host);
    QFETCH(QString, expected);
    auto resolver = runOn(*loop_, [this] { return std::make_shared<Resolver>(*loop_); });
    bool calledInside = true;
    const Answer a = resolveAndWait(*resolver, host.toStdString(), 443, &calledInside);
    QVERIFY(a.ok());
    QCOMPARE(a.value().size(), std::size_t{1});
    QCOMPARE(QString::fromStdString(a.value().front().toString()), expected);
    QCOMPARE(resolver->systemLookups(), std::uint64_t{0});
    QCOMPARE(resolver->cacheSize(), std::size_t{0});
    QVERIFY(!calledInside);  // even a known answer comes on a later tick
    runOn(*loop_, [&resolver] { resolver.reset(); });
  }

  void invalidNamesFailAtOnce() {
    auto resolver = runOn(*loop_, [this] { return std::make_shared<Resolver>(*loop_); });
    for (const char* host : {"nothing.invalid", "NOTHING.INVALID.", "invalid"}) {
      const Answer a = resolveAndWait(*resolver, host, 80);
      QVERIFY2(!a.ok(), host);
      QCOMPARE(a.error().code, ErrorCode::DnsFailure);
    }
    for (const char* host : {"", "bad host", "tab\there"}) {
      const Answer a = resolveAndWait(*resolver, host, 80);
      QVERIFY2(!a.ok(), host);
      QCOMPARE(a.error().code, ErrorCode::DnsFailure);
    }
    QCOMPARE(resolver->systemLookups(), std::uint64_t{0});
    runOn(*loop_, [&resolver] { resolver.reset(); });
  }

  void getaddrinfoFailureIsDnsFailureWithItsText() {
    auto resolver = runOn(*loop_, [this] { return std::make_shared<Resolver>(*loop_); });
    const std::string host = overlongLabelName();
    const Answer a = resolveAndWait(*resolver, host, 80);
    QVERIFY(!a.ok());
    QCOMPARE(a.error().code, ErrorCode::DnsFailure);
    // "resolve <host>: <getaddrinfo's text>"
    QVERIFY2(a.error().detail.rfind("resolve " + host + ": ", 0) == 0, a.error().detail.c_str());
    QVERIFY(a.error().detail.size() > host.size() + 10);
    QCOMPARE(resolver->systemLookups(), std::uint64_t{1});
    QCOMPARE(resolver->cacheSize(), std::size_t{0});  // failures are not cached
    runOn(*loop_, [&resolver] { resolver.reset(); });
  }

  void secondLookupIsACacheHit() {
    auto resolver = runOn(*loop_, [this] { return std::make_shared<Resolver>(*loop_); });
    const Answer first = resolveAndWait(*resolver, "localhost", 80);
    QVERIFY(first.ok());
    const Answer second = resolveAndWait(*resolver, "LocalHost", 81);
    QVERIFY(second.ok());
    QCOMPARE(resolver->systemLookups(), std::uint64_t{1});
    QCOMPARE(resolver->cacheHits(), std::uint64_t{1});
    QCOMPARE(second.value().size(), first.value().size());
    for (std::size_t i = 0; i < first.value().size(); ++i) {
      QCOMPARE(second.value()[i], first.value()[i].withPort(81));
    }
    runOn(*loop_, [resolver] { resolver->clearCache(); });
    QVERIFY(resolveAndWait(*resolver, "localhost", 80).ok());
    QCOMPARE(resolver->systemLookups(), std::uint64_t{2});
    runOn(*loop_, [&resolver] { resolver.reset(); });
  }

  void cacheEntriesExpire() {
    auto resolver = runOn(*loop_, [this] {
      return std::make_shared<Resolver>(*loop_, ResolverOptions{30ms, 256});
    });
    QVERIFY(resolveAndWait(*resolver, "localhost", 80).ok());
    QCOMPARE(resolver->cacheSize(), std::size_t{1});
    QVERIFY(settle(*loop_, 80ms));
    QVERIFY(resolveAndWait(*resolver, "localhost", 80).ok());
    QCOMPARE(resolver->systemLookups(), std::uint64_t{2});
    QCOMPARE(resolver->cacheHits(), std::uint64_t{0});
    runOn(*loop_, [&resolver] { resolver.reset(); });
  }

  void concurrentLookupsShareOneCall() {
    auto resolver = runOn(*loop_, [this] { return std::make_shared<Resolver>(*loop_); });
    struct State {
      std::optional<Resolver::Request> a, b;
      int answers = 0;
      std::promise<void> done;
    };
    auto s = std::make_shared<State>();
    runOn(*loop_, [s, resolver] {
      auto onAnswer = [s](Answer answer) {
        if (answer.ok() && ++s->answers == 2) {
          s->done.set_value();
        }
      };
      s->a = resolver->resolve("localhost", 1, onAnswer);
      s->b = resolver->resolve("localhost", 2, onAnswer);
    });
    auto f = s->done.get_future();
    QVERIFY(waitReady(f));
    QCOMPARE(resolver->systemLookups(), std::uint64_t{1});
    runOn(*loop_, [s, &resolver] {
      s->a.reset();
      s->b.reset();
      resolver.reset();
    });
  }

  void cancelledLookupNeverCallsBack() {
    auto resolver = runOn(*loop_, [this] { return std::make_shared<Resolver>(*loop_); });
    struct Requester {
      Resolver::Request request;
    };
    struct State {
      std::unique_ptr<Requester> joined, alone, literal;
      std::atomic<int> cancelledCalls{0};
      std::optional<Resolver::Request> witness;
      std::promise<void> witnessDone;
      bool pendingBefore = false, pendingAfter = true;
    };
    auto s = std::make_shared<State>();
    auto live = makeCounter();
    runOn(*loop_, [s, resolver, live] {
      auto never = [s, token = LifeToken(live)](Answer) { ++s->cancelledCalls; };
      // One that shares its getaddrinfo call with a live request...
      s->joined = std::make_unique<Requester>();
      s->joined->request = resolver->resolve("localhost", 80, std::move(never));
      s->witness = resolver->resolve("localhost", 80, [s](Answer) { s->witnessDone.set_value(); });
      // ...one that waits alone for a different name, and one whose answer is already posted.
      s->alone = std::make_unique<Requester>();
      s->alone->request =
          resolver->resolve(std::string(64, 'b') + ".example", 80,
                            [s, token = LifeToken(live)](Answer) { ++s->cancelledCalls; });
      s->literal = std::make_unique<Requester>();
      s->literal->request = resolver->resolve(
          "127.0.0.1", 80, [s, token = LifeToken(live)](Answer) { ++s->cancelledCalls; });
      s->pendingBefore = s->joined->request.pending();
      // The requesters go away before any answer can arrive.
      s->joined.reset();
      s->alone.reset();
      s->literal.reset();
    });
    QCOMPARE(live->load(), 0);  // callbacks destroyed at once
    QVERIFY(s->pendingBefore);
    auto f = s->witnessDone.get_future();
    QVERIFY(waitReady(f));
    QVERIFY(settle(*loop_,
                   100ms));  // the other lookup and the posted literal answer have had their turn
    QCOMPARE(s->cancelledCalls.load(), 0);
    runOn(*loop_, [s, &resolver] {
      s->pendingAfter = s->witness->pending();
      s->witness.reset();
      resolver.reset();
    });
    QVERIFY(!s->pendingAfter);
  }

  void destroyingTheResolverCancelsEverything() {
    auto calls = std::make_shared<std::atomic<int>>(0);
    auto live = makeCounter();
    auto request = std::make_shared<std::optional<Resolver::Request>>();
    runOn(*loop_, [this, calls, live, request] {
      auto resolver = std::make_unique<Resolver>(*loop_);
      *request = resolver->resolve("localhost", 80,
                                   [calls, token = LifeToken(live)](Answer) { ++*calls; });
      resolver.reset();  // before the answer; the token outlives the resolver
    });
    QCOMPARE(live->load(), 0);
    // A second resolver's answer for the same name shows the first lookup has had time to finish.
    auto witness = runOn(*loop_, [this] { return std::make_shared<Resolver>(*loop_); });
    QVERIFY(resolveAndWait(*witness, "localhost", 80).ok());
    QVERIFY(settle(*loop_, 100ms));
    QCOMPARE(calls->load(), 0);
    const bool stillPending = runOn(*loop_, [request, &witness] {
      const bool pending = (*request)->pending();
      request->reset();  // harmless after the resolver is gone
      witness.reset();
      return pending;
    });
    QVERIFY(!stillPending);
  }
};

QTEST_GUILESS_MAIN(TstResolver)
#include "tst_resolver.moc"
