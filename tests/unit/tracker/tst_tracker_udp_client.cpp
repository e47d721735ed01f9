// TrackerUdpClient against a fake UDP tracker on loopback: connect + announce,
// connection id reuse and expiry, lost replies and the back-off, giving up,
// wrong transaction ids and spoofed senders ignored, error replies, scrape,
// cancellation. The back-off base is milliseconds here; the schedule is the
// same as BEP 15's 15 s · 2^n.
#include <QtTest>

#include <chrono>
#include <future>
#include <memory>

#include "engine/bt/TrackerUdpClient.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Resolver.h"
#include "engine/loop/Timer.h"
#include "unit/loop/LoopTestUtil.h"
#include "unit/tracker/FakeUdpTracker.h"

using namespace tributary;
using namespace tributary::bt;
using namespace tributary::bt::test;
using namespace tributary::loop::test;
using namespace std::chrono_literals;
using loop::SocketAddress;

namespace {

struct Env {
  std::unique_ptr<loop::Resolver> resolver;
  std::unique_ptr<FakeUdpTracker> fake;
  std::unique_ptr<TrackerUdpClient> client;
  std::vector<TrackerRequest> requests;
};

AnnounceParams sampleParams() {
  AnnounceParams p;
  p.infoHash = hashFrom(0xe0);
  p.peerId = peerIdOf("-TY0100-udptestpeer1");
  p.port = 6881;
  p.left = 1000;
  p.event = AnnounceEvent::Started;
  p.key = 0x01020304;
  p.numWant = 30;
  return p;
}

long long msBetween(std::chrono::steady_clock::time_point a,
                    std::chrono::steady_clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count();
}

}  // namespace

class TstTrackerUdpClient : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<loop::EventLoop> loop_;
  std::shared_ptr<Env> env_;

  bool setUp(TrackerUdpOptions options, bool v6 = false) {
    env_ = std::make_shared<Env>();
    return runOn(*loop_, [this, options, v6, env = env_]() mutable {
      env->resolver = std::make_unique<loop::Resolver>(*loop_);
      const SocketAddress bind = v6 ? SocketAddress::loopbackV6(0) : SocketAddress::loopbackV4(0);
      env->fake = std::make_unique<FakeUdpTracker>(*loop_, bind);
      options.bindV4 = SocketAddress::loopbackV4(0);
      options.bindV6 = SocketAddress::loopbackV6(0);
      env->client = std::make_unique<TrackerUdpClient>(*loop_, *env->resolver, options);
      return env->fake->ok();
    });
  }

  Result<AnnounceResponse> announce(const std::string& url, AnnounceParams params) {
    auto promise = std::make_shared<std::promise<Result<AnnounceResponse>>>();
    auto future = promise->get_future();
    runOn(*loop_, [env = env_, url, params, promise] {
      env->requests.push_back(env->client->announce(
          url, params,
          [promise](Result<AnnounceResponse> r) { promise->set_value(std::move(r)); }));
    });
    if (!waitReady(future)) {
      return Error{ErrorCode::Internal, "the test timed out waiting for the client"};
    }
    return future.get();
  }

  // Lets the loop run for `delay`: for checking that nothing else happens.
  void settle(std::chrono::milliseconds delay) {
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    auto timer = std::make_shared<std::unique_ptr<loop::Timer>>();
    runOn(*loop_, [this, timer, done, delay] {
      *timer = std::make_unique<loop::Timer>(*loop_);
      (*timer)->start(delay, 0ms, [done] { done->set_value(); });
    });
    QVERIFY(waitReady(future));
    runOn(*loop_, [timer] { timer->reset(); });
  }

  template <class F>
  auto onLoop(F&& fn) {
    return runOn(*loop_, std::forward<F>(fn));
  }

 private slots:
  void init() {
    loop_ = std::make_unique<loop::EventLoop>("udp-tracker");
    loop_->start();
  }
  void cleanup() {
    if (env_) {
      runOn(*loop_, [env = env_] {
        env->requests.clear();
        env->client.reset();
        env->fake.reset();
        env->resolver.reset();
      });
      env_.reset();
    }
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void connectsThenAnnounces() {
    QVERIFY(setUp({}));
    onLoop([env = env_] {
      env->fake->peers = {SocketAddress::v4({10, 1, 2, 3}, 6881),
                          SocketAddress::v4({192, 0, 2, 9}, 51413)};
    });
    const std::string url = onLoop([env = env_] { return env->fake->url("/announce?pk=7"); });
    const AnnounceParams params = sampleParams();
    const auto r = announce(url, params);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().detail.c_str());
    QCOMPARE(r.value().interval->count(), 1800);
    QCOMPARE(*r.value().seeders, std::int64_t{1});
    QCOMPARE(*r.value().leechers, std::int64_t{2});
    QCOMPARE(r.value().peers.size(), std::size_t{2});
    QCOMPARE(r.value().peers[0].address.toString(), std::string("10.1.2.3:6881"));
    QCOMPARE(r.value().peers[1].address.toString(), std::string("192.0.2.9:51413"));

    const auto seen = onLoop([env = env_] { return env->fake->seen(); });
    const auto issued = onLoop([env = env_] { return env->fake->issuedIds(); });
    QCOMPARE(seen.size(), std::size_t{2});
    QCOMPARE(seen[0].action, std::uint32_t{0});
    QCOMPARE(seen[0].connectionId, FakeUdpTracker::kProtocolId);
    QCOMPARE(seen[1].action, std::uint32_t{1});
    QVERIFY(issued.count(seen[1].connectionId) == 1);  // the id the tracker gave
    QVERIFY(seen[0].transactionId != seen[1].transactionId);
    const auto& a = seen[1].bytes;
    QVERIFY(std::equal(params.infoHash.begin(), params.infoHash.end(), a.begin() + 16));
    QVERIFY(std::equal(params.peerId.begin(), params.peerId.end(), a.begin() + 36));
    QCOMPARE(getBe(a, 80, 4), std::uint64_t{2});  // started
    QCOMPARE(getBe(a, 88, 4), std::uint64_t{0x01020304});
    QCOMPARE(getBe(a, 92, 4), std::uint64_t{30});
    QCOMPARE(getBe(a, 96, 2), std::uint64_t{6881});
    QCOMPARE(textOf(std::span(a).subspan(100)), std::string("/announce?pk=7"));  // BEP 41
    QCOMPARE(onLoop([env = env_] { return env->client->activeCount(); }), std::size_t{0});
  }

  void announcesOverIpv6() {
    if (!setUp({}, true)) {
      QSKIP("this machine cannot bind ::1");
    }
    onLoop([env = env_] { env->fake->peers = {*SocketAddress::parse("2001:db8::1", 7000)}; });
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    QVERIFY(url.starts_with("udp://[::1]:"));
    const auto r = announce(url, sampleParams());
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().detail.c_str());
    QCOMPARE(r.value().peers.size(), std::size_t{1});
    QCOMPARE(r.value().peers[0].address.toString(), std::string("[2001:db8::1]:7000"));
  }

  void reusesTheConnectionIdUntilItExpires() {
    TrackerUdpOptions options;
    options.connectionIdLifetime = 300ms;
    QVERIFY(setUp(options));
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    QVERIFY(announce(url, sampleParams()).ok());
    QVERIFY(announce(url, sampleParams()).ok());
    QCOMPARE(onLoop([env = env_] { return env->fake->count(0); }), 1);
    QCOMPARE(onLoop([env = env_] { return env->fake->count(1); }), 2);
    settle(400ms);
    QVERIFY(announce(url, sampleParams()).ok());
    QCOMPARE(onLoop([env = env_] { return env->fake->count(0); }), 2);
    // The fresh id went with the third announce.
    const auto seen = onLoop([env = env_] { return env->fake->seen(); });
    const auto issued = onLoop([env = env_] { return env->fake->issuedIds(); });
    QCOMPARE(seen.back().connectionId, *issued.rbegin());
  }

  void lostRepliesAreSentAgainWithTheBackOff() {
    TrackerUdpOptions options;
    options.retryBase = 60ms;
    QVERIFY(setUp(options));
    onLoop([env = env_] {
      env->fake->script = [env](const SeenPacket& p) {
        return p.action == 0 && env->fake->count(0) <= 2 ? FakeReply::Drop : FakeReply::Normal;
      };
    });
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    const auto r = announce(url, sampleParams());
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().detail.c_str());
    const auto seen = onLoop([env = env_] { return env->fake->seen(); });
    QCOMPARE(seen.size(), std::size_t{4});  // 3 connects, 1 announce
    QCOMPARE(seen[2].action, std::uint32_t{0});
    // A retransmission is the same request: the same transaction id.
    QCOMPARE(seen[1].transactionId, seen[0].transactionId);
    QCOMPARE(seen[2].transactionId, seen[0].transactionId);
    // 60 ms, then 120 ms (base · 2^n); timers never fire early.
    QVERIFY(msBetween(seen[0].at, seen[1].at) >= 55);
    QVERIFY(msBetween(seen[1].at, seen[2].at) >= 115);
  }

  void givesUpAfterTheLastRetransmission() {
    TrackerUdpOptions options;
    options.retryBase = 10ms;
    options.maxRetransmits = 3;
    QVERIFY(setUp(options));
    onLoop([env = env_] { env->fake->script = [](const SeenPacket&) { return FakeReply::Drop; }; });
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    const auto r = announce(url, sampleParams());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::Timeout);
    QCOMPARE(onLoop([env = env_] { return env->fake->count(0); }), 4);  // n = 0, 1, 2, 3
    const auto seen = onLoop([env = env_] { return env->fake->seen(); });
    QVERIFY(msBetween(seen[2].at, seen[3].at) >= 38);  // 10 ms · 2^2
  }

  void anExpiredIdIsRenewedBeforeARetransmission() {
    TrackerUdpOptions options;
    options.retryBase = 150ms;
    options.connectionIdLifetime = 100ms;
    QVERIFY(setUp(options));
    onLoop([env = env_] {
      env->fake->script = [env](const SeenPacket& p) {
        return p.action == 1 && env->fake->count(1) == 1 ? FakeReply::Drop : FakeReply::Normal;
      };
    });
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    QVERIFY(announce(url, sampleParams()).ok());
    const auto seen = onLoop([env = env_] { return env->fake->seen(); });
    QCOMPARE(seen.size(), std::size_t{4});
    QCOMPARE(seen[0].action, std::uint32_t{0});
    QCOMPARE(seen[1].action, std::uint32_t{1});
    QCOMPARE(seen[2].action, std::uint32_t{0});  // the id expired while waiting
    QCOMPARE(seen[3].action, std::uint32_t{1});
    QVERIFY(seen[3].connectionId != seen[1].connectionId);
  }

  void wrongTransactionIdsAreIgnored() {
    QVERIFY(setUp({}));
    onLoop([env = env_] {
      env->fake->script = [](const SeenPacket&) { return FakeReply::WrongTransactionFirst; };
    });
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    const auto r = announce(url, sampleParams());
    QVERIFY(r.ok());
    QCOMPARE(onLoop([env = env_] { return env->client->ignoredReplies(); }), std::uint64_t{2});
  }

  void repliesFromAnotherAddressAreIgnored() {
    QVERIFY(setUp({}));
    onLoop([env = env_] {
      env->fake->script = [](const SeenPacket&) { return FakeReply::SpoofedFirst; };
    });
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    QVERIFY(announce(url, sampleParams()).ok());
    const auto seen = onLoop([env = env_] { return env->fake->seen(); });
    const auto issued = onLoop([env = env_] { return env->fake->issuedIds(); });
    QCOMPARE(seen.size(), std::size_t{2});
    // The spoofed connect reply (right transaction id, wrong sender) was not taken.
    QVERIFY(issued.count(seen[1].connectionId) == 1);
    QVERIFY(onLoop([env = env_] { return env->client->ignoredReplies(); }) >= 1);
  }

  void errorRepliesFailWithTheEscapedMessage() {
    QVERIFY(setUp({}));
    onLoop([env = env_] {
      env->fake->errorMessage = "unregistered torrent\n\x1b[2J";
      env->fake->script = [](const SeenPacket& p) {
        return p.action == 1 ? FakeReply::Error : FakeReply::Normal;
      };
    });
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    const auto r = announce(url, sampleParams());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::TrackerError);
    QCOMPARE(r.error().detail, std::string("tracker: unregistered torrent\\x0a\\x1b[2J"));
  }

  void brokenPeerListsAreRefused() {
    QVERIFY(setUp({}));
    onLoop([env = env_] {
      env->fake->peers = {SocketAddress::v4({10, 0, 0, 1}, 1)};
      env->fake->script = [](const SeenPacket&) { return FakeReply::BrokenPeers; };
    });
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    const auto r = announce(url, sampleParams());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::ProtocolError);
  }

  void scrapes() {
    QVERIFY(setUp({}));
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    auto promise = std::make_shared<std::promise<Result<std::vector<ScrapeInfo>>>>();
    auto future = promise->get_future();
    onLoop([env = env_, url, promise] {
      env->requests.push_back(env->client->scrape(
          url, {hashFrom(1), hashFrom(2)},
          [promise](Result<std::vector<ScrapeInfo>> r) { promise->set_value(std::move(r)); }));
    });
    QVERIFY(waitReady(future));
    const auto r = future.get();
    QVERIFY(r.ok());
    QCOMPARE(r.value().size(), std::size_t{2});
    QCOMPARE(r.value()[0], (ScrapeInfo{5, 6, 7}));
    QCOMPARE(r.value()[1], (ScrapeInfo{6, 7, 8}));
    const auto seen = onLoop([env = env_] { return env->fake->seen(); });
    QCOMPARE(seen.back().action, std::uint32_t{2});
    QCOMPARE(seen.back().bytes.size(), std::size_t{16 + 40});
  }

  void cancelledRequestsNeverCallBack() {
    TrackerUdpOptions options;
    options.retryBase = 30ms;
    QVERIFY(setUp(options));
    onLoop([env = env_] {
      // The first connect goes unanswered: the request is then cancelled while it waits.
      env->fake->script = [env](const SeenPacket&) {
        return env->fake->count(0) == 1 ? FakeReply::Drop : FakeReply::Normal;
      };
    });
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    auto called = std::make_shared<std::atomic<int>>(0);
    auto live = makeCounter();
    onLoop([env = env_, url, called, live] {
      TrackerRequest request = env->client->announce(
          url, sampleParams(),
          [called, token = LifeToken(live)](Result<AnnounceResponse>) { ++*called; });
      env->requests.push_back(std::move(request));
    });
    // Wait for the first connect to arrive, then cancel.
    for (int i = 0; i < 200 && onLoop([env = env_] { return env->fake->count(0); }) == 0; ++i) {
      settle(5ms);
    }
    onLoop([env = env_] { env->requests.clear(); });
    QCOMPARE(live->load(), 0);  // the callback was destroyed at once
    settle(150ms);              // past several retransmission times
    QCOMPARE(called->load(), 0);
    QCOMPARE(onLoop([env = env_] { return env->fake->count(0); }), 1);
    QCOMPARE(onLoop([env = env_] { return env->client->activeCount(); }), std::size_t{0});
  }

  void badUrlsAndNamesFailOnALaterTick() {
    QVERIFY(setUp({}));
    auto inside = std::make_shared<bool>(true);
    auto calledInside = std::make_shared<bool>(false);
    auto promise = std::make_shared<std::promise<Result<AnnounceResponse>>>();
    auto future = promise->get_future();
    onLoop([env = env_, inside, calledInside, promise] {
      env->requests.push_back(
          env->client->announce("udp://no-port.example", sampleParams(),
                                [inside, calledInside, promise](Result<AnnounceResponse> r) {
                                  *calledInside = *inside;
                                  promise->set_value(std::move(r));
                                }));
      *inside = false;
    });
    QVERIFY(waitReady(future));
    QCOMPARE(future.get().error().code, ErrorCode::InvalidArgument);
    QVERIFY(!*calledInside);
    // ".invalid" names fail in the resolver without a query (RFC 6761).
    const auto r = announce("udp://tracker.invalid:6969/announce", sampleParams());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::DnsFailure);
  }

  void destroyingTheClientDropsRequests() {
    TrackerUdpOptions options;
    options.retryBase = 20ms;
    QVERIFY(setUp(options));
    onLoop([env = env_] { env->fake->script = [](const SeenPacket&) { return FakeReply::Drop; }; });
    const std::string url = onLoop([env = env_] { return env->fake->url(); });
    auto live = makeCounter();
    onLoop([env = env_, url, live] {
      env->requests.push_back(env->client->announce(
          url, sampleParams(), [token = LifeToken(live)](Result<AnnounceResponse>) {}));
    });
    QCOMPARE(live->load(), 1);
    onLoop([env = env_] { env->client.reset(); });
    QCOMPARE(live->load(), 0);
    onLoop([env = env_] { env->requests.clear(); });  // tokens outliving the client are harmless
  }
};

QTEST_GUILESS_MAIN(TstTrackerUdpClient)
#include "tst_tracker_udp_client.moc"
