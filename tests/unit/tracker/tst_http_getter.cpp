// http::HttpGetterImpl (the trackers' core::HttpGetter) against a scripted
// local HTTP server: a plain GET, redirects followed, loops and long chains
// refused, the body cap (declared and streamed), the deadline, statuses as
// values, bad input, cancellation, https without TLS.
#include <QtTest>

#include <chrono>
#include <future>
#include <memory>

#include "engine/http/HttpGetterImpl.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Resolver.h"
#include "support/BadHttpServer.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary;
using namespace tributary::loop::test;
using namespace std::chrono_literals;
using tributary::test::BadHttpServer;
using tributary::test::Behaviour;
using tributary::test::Route;

namespace {

struct Env {
  std::unique_ptr<loop::Resolver> resolver;
  std::unique_ptr<http::HttpGetterImpl> getter;
  std::vector<core::HttpGetter::Request> requests;
};

Route normal(std::string payload) {
  Route r;
  r.payload = std::move(payload);
  return r;
}

Route redirect(std::string location) {
  Route r;
  r.behaviour = Behaviour::Redirect;
  r.location = std::move(location);
  return r;
}

}  // namespace

class TstHttpGetter : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<loop::EventLoop> loop_;
  std::shared_ptr<Env> env_;
  BadHttpServer server_;

  Result<core::HttpGetResponse> get(core::HttpGetRequest request) {
    auto promise = std::make_shared<std::promise<Result<core::HttpGetResponse>>>();
    auto future = promise->get_future();
    runOn(*loop_, [env = env_, request = std::move(request), promise]() mutable {
      env->requests.push_back(env->getter->get(
          std::move(request),
          [promise](Result<core::HttpGetResponse> r) { promise->set_value(std::move(r)); }));
    });
    if (!waitReady(future)) {
      return Error{ErrorCode::Internal, "the test timed out waiting for the getter"};
    }
    return future.get();
  }

  Result<core::HttpGetResponse> get(const std::string& url) {
    core::HttpGetRequest request;
    request.url = url;
    return get(std::move(request));
  }

 private slots:
  void initTestCase() { QCOMPARE(QString::fromStdString(server_.start()), QString()); }
  void init() {
    loop_ = std::make_unique<loop::EventLoop>("getter");
    loop_->start();
    env_ = std::make_shared<Env>();
    runOn(*loop_, [this, env = env_] {
      env->resolver = std::make_unique<loop::Resolver>(*loop_);
      env->getter = std::make_unique<http::HttpGetterImpl>(*loop_, *env->resolver, nullptr);
    });
  }
  void cleanup() {
    runOn(*loop_, [env = env_] {
      env->requests.clear();
      env->getter.reset();
      env->resolver.reset();
    });
    env_.reset();
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void getsABody() {
    server_.setRoute("/announce?x=1", normal("d8:intervali1800ee"));
    const auto r = get(server_.url("/announce?x=1"));
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().detail.c_str());
    QCOMPARE(r.value().status, 200);
    QCOMPARE(r.value().body, std::string("d8:intervali1800ee"));
    QVERIFY(r.value().header("content-length") != nullptr);
    QCOMPARE(*r.value().header("Content-Length"), std::string("18"));
    QCOMPARE(r.value().finalUrl, server_.url("/announce?x=1"));
    QCOMPARE(runOn(*loop_, [env = env_] { return env->getter->activeCount(); }), std::size_t{0});
  }

  void statusesAreValues() {
    const auto r = get(server_.url("/nothing-here"));
    QVERIFY(r.ok());
    QCOMPARE(r.value().status, 404);
  }

  void followsRedirects() {
    server_.setRoute("/r1", redirect("/r2"));
    server_.setRoute("/r2", redirect(server_.url("/final")));
    server_.setRoute("/final", normal("done"));
    const auto r = get(server_.url("/r1"));
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().detail.c_str());
    QCOMPARE(r.value().body, std::string("done"));
    QCOMPARE(r.value().finalUrl, server_.url("/final"));
  }

  void refusesRedirectLoops() {
    server_.setRoute("/loop-a", redirect("/loop-b"));
    server_.setRoute("/loop-b", redirect("/loop-a"));
    const auto r = get(server_.url("/loop-a"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::RedirectLoop);
  }

  void refusesLongRedirectChains() {
    for (int i = 0; i < 7; ++i) {
      server_.setRoute("/chain" + std::to_string(i), redirect("/chain" + std::to_string(i + 1)));
    }
    server_.setRoute("/chain7", normal("end"));
    const auto r = get(server_.url("/chain0"));  // 7 redirects, 5 allowed
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::TooManyRedirects);
    core::HttpGetRequest request;
    request.url = server_.url("/chain1");  // 6 redirects
    request.maxRedirects = 6;
    QVERIFY(get(std::move(request)).ok());
  }

  void capsTheBody() {
    server_.setRoute("/big", normal(std::string(2000, 'b')));
    core::HttpGetRequest request;
    request.url = server_.url("/big");
    request.maxBodyBytes = 1999;
    auto r = get(request);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::ProtocolError);
    QVERIFY(r.error().detail.find("body over 1999") != std::string::npos);
    request.maxBodyBytes = 2000;
    QVERIFY(get(request).ok());  // exactly the cap is fine
    // A body without a declared length is counted as it streams in.
    Route chunked = normal(std::string(5000, 'c'));
    chunked.behaviour = Behaviour::MalformedChunked;  // a 1000-byte chunk comes first
    server_.setRoute("/chunked", chunked);
    request.url = server_.url("/chunked");
    request.maxBodyBytes = 500;
    r = get(request);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().detail.find("body over 500") != std::string::npos, r.error().detail.c_str());
    // The default cap is 1 MiB.
    QCOMPARE(core::HttpGetRequest{}.maxBodyBytes, std::size_t{1} << 20);
  }

  void honoursTheDeadline() {
    Route slow = normal("slow");
    slow.behaviour = Behaviour::SlowHeaders;
    slow.trickle = 200ms;
    server_.setRoute("/slow", slow);
    core::HttpGetRequest request;
    request.url = server_.url("/slow");
    request.timeout = 300ms;
    const auto began = std::chrono::steady_clock::now();
    const auto r = get(request);
    const auto took = std::chrono::steady_clock::now() - began;
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Timeout);
    QVERIFY(took >= 290ms && took < 5s);
  }

  void badInputFailsOnALaterTick() {
    auto inside = std::make_shared<bool>(true);
    auto calledInside = std::make_shared<bool>(false);
    auto promise = std::make_shared<std::promise<Result<core::HttpGetResponse>>>();
    auto future = promise->get_future();
    runOn(*loop_, [env = env_, inside, calledInside, promise] {
      core::HttpGetRequest request;
      request.url = "ftp://example.org/x";
      env->requests.push_back(env->getter->get(
          request, [inside, calledInside, promise](Result<core::HttpGetResponse> r) {
            *calledInside = *inside;
            promise->set_value(std::move(r));
          }));
      *inside = false;
    });
    QVERIFY(waitReady(future));
    QCOMPARE(future.get().error().code, ErrorCode::InvalidArgument);
    QVERIFY(!*calledInside);
    core::HttpGetRequest injected;
    injected.url = server_.url("/announce");
    injected.headers = {{"X-Test", "a\r\nHost: evil"}};
    QCOMPARE(get(injected).error().code, ErrorCode::InvalidArgument);
  }

  void httpsNeedsATlsContext() {
    const auto r = get("https://127.0.0.1:1/announce");
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::TlsFailure);
  }

  void connectionFailuresAreErrors() {
    // A port that was just free: nothing listens there.
    const auto r = get("http://127.0.0.1:1/announce");
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::ConnectionRefused);
  }

  void cancelledGetsNeverCallBack() {
    Route slow = normal("slow");
    slow.behaviour = Behaviour::SlowHeaders;
    slow.trickle = 100ms;
    server_.setRoute("/slow-cancel", slow);
    auto live = makeCounter();
    auto called = std::make_shared<std::atomic<int>>(0);
    const bool pending = runOn(*loop_, [env = env_, live, called, this] {
      core::HttpGetRequest request;
      request.url = server_.url("/slow-cancel");
      core::HttpGetter::Request token = env->getter->get(
          request, [token = LifeToken(live), called](Result<core::HttpGetResponse>) { ++*called; });
      const bool was = token.pending();
      token.cancel();
      return was && !token.pending() && env->getter->activeCount() == 0;
    });
    QVERIFY(pending);
    QCOMPARE(live->load(), 0);  // destroyed at once
    // Destroying the getter with gets in flight drops them too.
    runOn(*loop_, [env = env_, live, called, this] {
      core::HttpGetRequest request;
      request.url = server_.url("/slow-cancel");
      env->requests.push_back(env->getter->get(
          request,
          [token = LifeToken(live), called](Result<core::HttpGetResponse>) { ++*called; }));
      env->getter.reset();
    });
    QCOMPARE(live->load(), 0);
    QCOMPARE(called->load(), 0);
  }
};

QTEST_GUILESS_MAIN(TstHttpGetter)
#include "tst_http_getter.moc"
