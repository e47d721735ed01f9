// Our tracker clients against a real opentracker on 127.0.0.1: two fake
// peers announce one info-hash over HTTP (through HttpGetterImpl, the getter
// the session wires in) and over UDP (BEP 15), and each sees the other;
// scrape over both; a TrackerList hands the other peer to its callback;
// "stopped" takes a peer out of the swarm. And an https tracker (a static
// answer served by nginx over TLS) through the same getter.
#include <QtTest>

#include <chrono>
#include <future>
#include <memory>

#include "engine/bt/TrackerHttpClient.h"
#include "engine/bt/TrackerList.h"
#include "engine/bt/TrackerUdpClient.h"
#include "engine/http/HttpGetterImpl.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Resolver.h"
#include "engine/net/TlsContext.h"
#include "support/NginxServer.h"
#include "support/OpenTracker.h"
#include "support/TestCertificates.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary;
using namespace tributary::bt;
using namespace tributary::loop::test;
using namespace std::chrono_literals;

namespace {

// "ABCDEFGHIJKLMNOPQRST" for HTTP, "abcdefghijklmnopqrst" for UDP: one swarm each.
InfoHashV1 hashOf(char first) {
  InfoHashV1 out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::byte>(first + static_cast<char>(i));
  }
  return out;
}

QString hexOf(const InfoHashV1& hash) {
  return QByteArray(reinterpret_cast<const char*>(hash.data()), static_cast<qsizetype>(hash.size()))
      .toHex();
}

PeerId peerIdOf(const std::string& text) {
  PeerId out{};
  std::memcpy(out.data(), text.data(), std::min(text.size(), out.size()));
  return out;
}

AnnounceParams peer(const InfoHashV1& hash, const std::string& id, std::uint16_t port,
                    AnnounceEvent event) {
  AnnounceParams p;
  p.infoHash = hash;
  p.peerId = peerIdOf(id);
  p.port = port;
  p.left = 1000;
  p.event = event;
  p.numWant = 50;
  p.key = port;
  return p;
}

bool hasPeer(const AnnounceResponse& r, std::uint16_t port) {
  for (const TrackerPeer& p : r.peers) {
    if (p.address.isLoopback() && p.address.port() == port) {
      return true;
    }
  }
  return false;
}

struct Env {
  std::unique_ptr<loop::Resolver> resolver;
  std::unique_ptr<http::HttpGetterImpl> getter;
  std::unique_ptr<TrackerHttpClient> http;
  std::unique_ptr<TrackerUdpClient> udp;
  std::unique_ptr<TrackerList> list;
  std::vector<core::HttpGetter::Request> httpRequests;
  std::vector<TrackerRequest> udpRequests;
};

}  // namespace

class TstTrackerOpentracker : public QObject {
  Q_OBJECT
 private:
  test::OpenTracker tracker_;
  std::unique_ptr<loop::EventLoop> loop_;
  std::shared_ptr<Env> env_;
  std::string httpUrl_;
  std::string udpUrl_;

  Result<AnnounceResponse> overHttp(const AnnounceParams& params) {
    auto promise = std::make_shared<std::promise<Result<AnnounceResponse>>>();
    auto future = promise->get_future();
    const bool sent = runOn(*loop_, [env = env_, url = httpUrl_, params, promise] {
      auto request = env->http->announce(
          url, params, [promise](Result<AnnounceResponse> r) { promise->set_value(std::move(r)); });
      if (!request) {
        promise->set_value(request.error());
        return false;
      }
      env->httpRequests.push_back(std::move(request.value()));
      return true;
    });
    if (!sent || !waitReady(future)) {
      return sent ? Error{ErrorCode::Internal, "timed out"} : future.get();
    }
    return future.get();
  }

  Result<AnnounceResponse> overUdp(const AnnounceParams& params) {
    auto promise = std::make_shared<std::promise<Result<AnnounceResponse>>>();
    auto future = promise->get_future();
    runOn(*loop_, [env = env_, url = udpUrl_, params, promise] {
      env->udpRequests.push_back(env->udp->announce(
          url, params,
          [promise](Result<AnnounceResponse> r) { promise->set_value(std::move(r)); }));
    });
    if (!waitReady(future)) {
      return Error{ErrorCode::Internal, "timed out"};
    }
    return future.get();
  }

 private slots:
  void initTestCase() {
    if (test::OpenTracker::executable().isEmpty()) {
      QSKIP("opentracker is not installed");
    }
    const QString failure =
        tracker_.start({hexOf(hashOf('A')), hexOf(hashOf('a')), hexOf(hashOf('K'))});
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    httpUrl_ = tracker_.httpAnnounceUrl().toStdString();
    udpUrl_ = tracker_.udpAnnounceUrl().toStdString();
  }
  void cleanupTestCase() { tracker_.stop(); }

  void init() {
    loop_ = std::make_unique<loop::EventLoop>("opentracker");
    loop_->start();
    env_ = std::make_shared<Env>();
    runOn(*loop_, [this, env = env_] {
      env->resolver = std::make_unique<loop::Resolver>(*loop_);
      env->getter = std::make_unique<http::HttpGetterImpl>(*loop_, *env->resolver, nullptr);
      TrackerHttpOptions options;
      options.timeout = 10s;
      env->http = std::make_unique<TrackerHttpClient>(*env->getter, options);
      TrackerUdpOptions udp;
      udp.bindV4 = loop::SocketAddress::loopbackV4(0);
      udp.retryBase = 500ms;  // loopback answers in microseconds; a lost datagram is retried fast
      udp.maxRetransmits = 3;
      env->udp = std::make_unique<TrackerUdpClient>(*loop_, *env->resolver, udp);
    });
  }
  void cleanup() {
    runOn(*loop_, [env = env_] {
      env->list.reset();
      env->httpRequests.clear();
      env->udpRequests.clear();
      env->udp.reset();
      env->http.reset();
      env->getter.reset();
      env->resolver.reset();
    });
    env_.reset();
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void twoPeersSeeEachOtherOverHttp() {
    const InfoHashV1 hash = hashOf('A');
    const auto a1 = overHttp(peer(hash, "-TY0100-httppeer0001", 41001, AnnounceEvent::Started));
    QVERIFY2(a1.ok(), a1.ok() ? "" : a1.error().detail.c_str());
    QVERIFY(a1.value().interval.has_value());
    const auto b = overHttp(peer(hash, "-TY0100-httppeer0002", 41002, AnnounceEvent::Started));
    QVERIFY2(b.ok(), b.ok() ? "" : b.error().detail.c_str());
    QVERIFY(hasPeer(b.value(), 41001));
    const auto a2 = overHttp(peer(hash, "-TY0100-httppeer0001", 41001, AnnounceEvent::None));
    QVERIFY(a2.ok());
    QVERIFY(hasPeer(a2.value(), 41002));
    QCOMPARE(*a2.value().leechers, std::int64_t{2});

    // Scrape over HTTP: two leechers.
    auto promise =
        std::make_shared<std::promise<Result<std::vector<std::pair<InfoHashV1, ScrapeInfo>>>>>();
    auto future = promise->get_future();
    runOn(*loop_, [env = env_, url = httpUrl_, hash, promise] {
      const std::vector<InfoHashV1> hashes{hash};
      auto request =
          env->http->scrape(url, hashes, [promise](auto r) { promise->set_value(std::move(r)); });
      if (request) {
        env->httpRequests.push_back(std::move(request.value()));
      } else {
        promise->set_value(request.error());
      }
    });
    QVERIFY(waitReady(future));
    const auto scrape = future.get();
    QVERIFY2(scrape.ok(), scrape.ok() ? "" : scrape.error().detail.c_str());
    QCOMPARE(scrape.value().size(), std::size_t{1});
    QVERIFY(scrape.value()[0].first == hash);
    QCOMPARE(scrape.value()[0].second.leechers, std::int64_t{2});

    // "stopped" takes B out: A no longer sees it.
    QVERIFY(overHttp(peer(hash, "-TY0100-httppeer0002", 41002, AnnounceEvent::Stopped)).ok());
    const auto a3 = overHttp(peer(hash, "-TY0100-httppeer0001", 41001, AnnounceEvent::None));
    QVERIFY(a3.ok());
    QVERIFY(!hasPeer(a3.value(), 41002));
    QVERIFY(overHttp(peer(hash, "-TY0100-httppeer0001", 41001, AnnounceEvent::Stopped)).ok());
  }

  void twoPeersSeeEachOtherOverUdp() {
    const InfoHashV1 hash = hashOf('a');
    const auto a1 = overUdp(peer(hash, "-TY0100-udppeer00001", 42001, AnnounceEvent::Started));
    QVERIFY2(a1.ok(), a1.ok() ? "" : a1.error().detail.c_str());
    const auto b = overUdp(peer(hash, "-TY0100-udppeer00002", 42002, AnnounceEvent::Started));
    QVERIFY2(b.ok(), b.ok() ? "" : b.error().detail.c_str());
    QVERIFY(hasPeer(b.value(), 42001));
    const auto a2 = overUdp(peer(hash, "-TY0100-udppeer00001", 42001, AnnounceEvent::None));
    QVERIFY(a2.ok());
    QVERIFY(hasPeer(a2.value(), 42002));
    QCOMPARE(*a2.value().leechers, std::int64_t{2});
    // One connect served all three announces (the id lives 60 s).
    QCOMPARE(runOn(*loop_, [env = env_] { return env->udp->datagramsSent(); }), std::uint64_t{4});

    auto promise = std::make_shared<std::promise<Result<std::vector<ScrapeInfo>>>>();
    auto future = promise->get_future();
    runOn(*loop_, [env = env_, url = udpUrl_, hash, promise] {
      env->udpRequests.push_back(env->udp->scrape(
          url, {hash},
          [promise](Result<std::vector<ScrapeInfo>> r) { promise->set_value(std::move(r)); }));
    });
    QVERIFY(waitReady(future));
    const auto scrape = future.get();
    QVERIFY2(scrape.ok(), scrape.ok() ? "" : scrape.error().detail.c_str());
    QCOMPARE(scrape.value()[0].leechers, std::int64_t{2});

    QVERIFY(overUdp(peer(hash, "-TY0100-udppeer00002", 42002, AnnounceEvent::Stopped)).ok());
    const auto a3 = overUdp(peer(hash, "-TY0100-udppeer00001", 42001, AnnounceEvent::None));
    QVERIFY(a3.ok());
    QVERIFY(!hasPeer(a3.value(), 42002));
    QVERIFY(overUdp(peer(hash, "-TY0100-udppeer00001", 42001, AnnounceEvent::Stopped)).ok());
  }

  void unknownTorrentsAreRefusedWithTheTrackersReason() {
    const auto r =
        overHttp(peer(hashOf('Z'), "-TY0100-httppeer0003", 41003, AnnounceEvent::Started));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, ErrorCode::TrackerError);
    QVERIFY2(r.error().detail.find("not authorized") != std::string::npos,
             r.error().detail.c_str());
  }

  void httpsTrackersWorkThroughTheGetter() {
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    test::TestCertificates certs;
    const QString made = certs.generate(dir.path());
    QVERIFY2(made.isEmpty(), qPrintable(made));
    QVERIFY(QDir(dir.path()).mkpath("www"));
    QFile answer(dir.filePath("www/announce"));
    QVERIFY(answer.open(QIODevice::WriteOnly));
    answer.write(
        QByteArray("d8:intervali1800e5:peers6:\x7f\x00\x00\x01\x1a\xe1"
                   "e",
                   33));
    answer.close();
    test::NginxOptions options;
    options.rootDir = dir.filePath("www");
    options.certFile = certs.good.cert;
    options.keyFile = certs.good.key;
    test::NginxServer nginx(options);
    const QString started = nginx.start();
    QVERIFY2(started.isEmpty(), qPrintable(started));
    net::TlsContextOptions tlsOptions;
    tlsOptions.useSystemStore = false;
    tlsOptions.extraCaFiles = {certs.caCert.toStdString()};
    auto tls = net::TlsContext::create(tlsOptions);
    QVERIFY(tls.ok());
    runOn(*loop_, [env = env_, tls = tls.value()] { env->getter->setTlsContext(tls); });
    const std::string url = (nginx.baseUrl() + "/announce").toStdString();
    auto promise = std::make_shared<std::promise<Result<AnnounceResponse>>>();
    auto future = promise->get_future();
    runOn(*loop_, [env = env_, url, promise] {
      auto request = env->http->announce(
          url, peer(hashOf('A'), "-TY0100-httpspeer001", 41004, AnnounceEvent::Started),
          [promise](Result<AnnounceResponse> r) { promise->set_value(std::move(r)); });
      if (request) {
        env->httpRequests.push_back(std::move(request.value()));
      } else {
        promise->set_value(request.error());
      }
    });
    QVERIFY(waitReady(future));
    const auto r = future.get();
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().detail.c_str());
    QCOMPARE(r.value().peers.size(), std::size_t{1});
    QCOMPARE(r.value().peers[0].address.toString(), std::string("127.0.0.1:6881"));
    // Without the test CA the certificate is refused.
    tlsOptions.extraCaFiles.clear();
    auto strict = net::TlsContext::create(tlsOptions);
    QVERIFY(strict.ok());
    runOn(*loop_, [env = env_, tls = strict.value()] { env->getter->setTlsContext(tls); });
    auto refused = std::make_shared<std::promise<Result<AnnounceResponse>>>();
    auto refusedFuture = refused->get_future();
    runOn(*loop_, [env = env_, url, refused] {
      auto request = env->http->announce(
          url, peer(hashOf('A'), "-TY0100-httpspeer001", 41004, AnnounceEvent::Started),
          [refused](Result<AnnounceResponse> r) { refused->set_value(std::move(r)); });
      if (request) {
        env->httpRequests.push_back(std::move(request.value()));
      }
    });
    QVERIFY(waitReady(refusedFuture));
    const auto bad = refusedFuture.get();
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code, ErrorCode::TlsFailure);
  }

  void aTrackerListFindsTheOtherPeer() {
    // A is in the swarm (over UDP); B's list has a dead tier first, then HTTP and UDP.
    const InfoHashV1 hash = hashOf('K');
    QVERIFY(overUdp(peer(hash, "-TY0100-listpeer0001", 43001, AnnounceEvent::Started)).ok());
    auto got = std::make_shared<std::promise<std::vector<TrackerPeer>>>();
    auto future = got->get_future();
    runOn(*loop_, [this, env = env_, hash, got] {
      TrackerIdentity identity;
      identity.infoHash = hash;
      identity.peerId = peerIdOf("-TY0100-listpeer0002");
      identity.port = 43002;
      TrackerListOptions options;
      options.shuffleTiers = false;
      env->list = std::make_unique<TrackerList>(
          *loop_,
          std::vector<std::vector<std::string>>{{"http://127.0.0.1:1/announce"},
                                                {httpUrl_, udpUrl_}},
          identity, TrackerClients{env->getter.get(), env->udp.get()}, options);
      env->list->setTotals([] { return TransferTotals{0, 0, 1000}; });
      auto once = std::make_shared<bool>(false);
      env->list->setOnPeers([got, once](std::vector<TrackerPeer> peers, PeerSource source) {
        if (!*once && source == PeerSource::Tracker) {
          *once = true;
          got->set_value(std::move(peers));
        }
      });
      env->list->start();
    });
    QVERIFY(waitReady(future));
    const auto peers = future.get();
    bool sawA = false;
    for (const TrackerPeer& p : peers) {
      sawA = sawA || (p.address.isLoopback() && p.address.port() == 43001);
    }
    QVERIFY(sawA);
    const auto stats = runOn(*loop_, [env = env_] { return env->list->stats(); });
    QCOMPARE(stats[0].status, TrackerStatus::Failed);  // nothing listens on port 1
    QCOMPARE(stats[1].url, httpUrl_);
    QCOMPARE(stats[1].status, TrackerStatus::Working);
    QVERIFY(stats[1].nextAnnounceIn.has_value());
    // Stopping reaches opentracker well within the deadline.
    auto stopped = std::make_shared<std::promise<void>>();
    auto stopFuture = stopped->get_future();
    const auto began = std::chrono::steady_clock::now();
    runOn(*loop_, [env = env_, stopped] { env->list->stop([stopped] { stopped->set_value(); }); });
    QVERIFY(waitReady(stopFuture, 5s));
    QVERIFY(std::chrono::steady_clock::now() - began < 2s);
    const auto a = overUdp(peer(hash, "-TY0100-listpeer0001", 43001, AnnounceEvent::None));
    QVERIFY(a.ok());
    QVERIFY(!hasPeer(a.value(), 43002));  // B's "stopped" arrived
  }
};

QTEST_GUILESS_MAIN(TstTrackerOpentracker)
#include "tst_tracker_opentracker.moc"
