// hybrid::HttpWebSeedClient against a scripted local HTTP server: a run of
// pieces crossing files becomes one Range request per file and its bytes
// arrive in order; a second run reuses the connection; redirects are
// followed; a server that ignores Range, promises fewer bytes than the range,
// serves a file of another size or has no such file fails the fetch before
// any of its bytes is delivered; BEP 17 fetches pieces by info-hash and
// delivers only the range asked for.
#include <QtTest>

#include <future>
#include <memory>

#include "engine/bt/Metainfo.h"
#include "engine/hybrid/HttpWebSeedFactory.h"
#include "engine/hybrid/WebSeedUrl.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Resolver.h"
#include "engine/loop/WorkerPool.h"
#include "support/BadHttpServer.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary;
using namespace tributary::loop::test;
using tributary::test::BadHttpServer;
using tributary::test::Behaviour;
using tributary::test::Route;

namespace {

constexpr std::int64_t kPiece = 16 * 1024;

std::string pattern(std::size_t size, unsigned seed) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    s[i] = static_cast<char>((i * 31 + seed * 7 + i / 251) & 0xFF);
  }
  return s;
}

// "t/a" (20000 bytes) then "t/b" (30000) in 16 KiB pieces: 4 pieces.
std::shared_ptr<bt::Metainfo> makeMeta() {
  auto meta = std::make_shared<bt::Metainfo>();
  meta->name = "t";
  meta->multiFile = true;
  meta->pieceLength = kPiece;
  meta->files = {{"t/a", 0, 20000}, {"t/b", 20000, 30000}};
  meta->totalLength = 50000;
  meta->pieceHashes.assign(4 * 20, 'x');
  meta->infoHash.fill(std::byte{0xAB});
  return meta;
}

Route normal(std::string payload) {
  Route r;
  r.payload = std::move(payload);
  return r;
}

struct Env {
  std::unique_ptr<loop::Resolver> resolver;
  std::unique_ptr<bt::WebSeedClient> client;
};

struct Outcome {
  std::string data;
  Result<void> result;
  bool fatal = false;
};

}  // namespace

class TstHttpWebSeedClient : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<loop::WorkerPool> workers_;
  std::shared_ptr<Env> env_;
  BadHttpServer server_;
  std::shared_ptr<bt::Metainfo> meta_ = makeMeta();
  std::string a_ = pattern(20000, 1);
  std::string b_ = pattern(30000, 2);
  std::string all_ = a_ + b_;

  void makeClient(const std::string& url, bt::WebSeedStyle style = bt::WebSeedStyle::GetRight) {
    const bool made = runOn(*loop_, [this, env = env_, url, style] {
      core::TaskContext context;
      context.loop = loop_.get();
      context.workers = workers_.get();
      context.resolver = env->resolver.get();
      bt::WebSeedParams params;
      params.url = url;
      params.style = style;
      hybrid::HttpWebSeedFactory factory;
      auto client = factory.create(context, meta_, params);
      if (!client) {
        return false;
      }
      env->client = std::move(client.value());
      return true;
    });
    QVERIFY(made);
  }

  Outcome fetch(std::uint64_t offset, std::uint64_t length) {
    auto state = std::make_shared<Outcome>();
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    runOn(*loop_, [env = env_, offset, length, state, done] {
      bt::WebSeedClient::Handler handler;
      handler.onData = [state](std::span<const std::byte> bytes) {
        state->data.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      };
      handler.onEnd = [state, done](bt::WebSeedOutcome outcome) {
        state->result = outcome.result;
        state->fatal = outcome.fatal;
        done->set_value();
      };
      env->client->fetch(offset, length, std::move(handler));
    });
    if (!waitReady(future)) {
      state->result = Error{ErrorCode::Internal, "the test timed out waiting for the fetch"};
      return *state;
    }
    // The future is ready, but the loop may still be inside onEnd: read the
    // state on the loop.
    return runOn(*loop_, [state] { return *state; });
  }

 private slots:
  void initTestCase() {
    QCOMPARE(QString::fromStdString(server_.start()), QString());
    server_.setRoute("/seed/t/a", normal(a_));
    server_.setRoute("/seed/t/b", normal(b_));
  }
  void init() {
    loop_ = std::make_unique<loop::EventLoop>("webseed");
    loop_->start();
    workers_ = std::make_unique<loop::WorkerPool>(1, 16);
    env_ = std::make_shared<Env>();
    runOn(*loop_, [this, env = env_] { env->resolver = std::make_unique<loop::Resolver>(*loop_); });
  }
  void cleanup() {
    runOn(*loop_, [env = env_] {
      env->client.reset();
      env->resolver.reset();
    });
    env_.reset();
    QCOMPARE(loop_->stop(), 0);
    workers_.reset();
    loop_.reset();
  }

  void runAcrossFilesIsOneRangePerFile() {
    makeClient(server_.url("/seed"));  // no trailing slash: one is added
    const int before = server_.requestCount("/seed/t/a") + server_.requestCount("/seed/t/b");
    // Pieces 1-2: bytes [16384, 49152): the tail of a, most of b.
    Outcome got = fetch(kPiece, 2 * kPiece);
    QVERIFY2(got.result.ok(), got.result.error().detail.c_str());
    QCOMPARE(got.data.size(), std::size_t{2 * kPiece});
    QVERIFY(got.data == all_.substr(kPiece, 2 * kPiece));
    const auto seenA = server_.requests("/seed/t/a");
    const auto seenB = server_.requests("/seed/t/b");
    QVERIFY(!seenA.empty() && !seenB.empty());
    QCOMPARE(seenA.back().range, std::string("bytes=16384-19999"));
    QCOMPARE(seenB.back().range, std::string("bytes=0-29151"));
    QCOMPARE(server_.requestCount("/seed/t/a") + server_.requestCount("/seed/t/b"), before + 2);
    // The next run, on the same client: the last (short) piece.
    got = fetch(3 * kPiece, all_.size() - 3 * kPiece);
    QVERIFY2(got.result.ok(), got.result.error().detail.c_str());
    QVERIFY(got.data == all_.substr(3 * kPiece));
  }

  void followsRedirects() {
    Route toA;
    toA.behaviour = Behaviour::Redirect;
    toA.location = "/seed/t/a";
    server_.setRoute("/moved/t/a", toA);
    Route toB = toA;
    toB.location = server_.url("/seed/t/b");
    server_.setRoute("/moved/t/b", toB);
    makeClient(server_.url("/moved/"));
    const Outcome got = fetch(0, all_.size());
    QVERIFY2(got.result.ok(), got.result.error().detail.c_str());
    QVERIFY(got.data == all_);
  }

  void serverIgnoringRangeDeliversNothing() {
    Route ignore = normal(a_);
    ignore.behaviour = Behaviour::IgnoreRange;
    server_.setRoute("/ignore/t/a", ignore);
    server_.setRoute("/ignore/t/b", normal(b_));
    makeClient(server_.url("/ignore/"));
    const Outcome got = fetch(kPiece, 1000);  // a range of a: a 200 with all of a is wrong
    QVERIFY(!got.result.ok());
    QCOMPARE(got.result.error().code, ErrorCode::ProtocolError);
    QVERIFY(got.result.error().detail.find("Range") != std::string::npos);
    QVERIFY(!got.fatal);
    QVERIFY(got.data.empty());
  }

  void shortPartialDeliversNothing() {
    Route shortBody = normal(a_);
    shortBody.behaviour = Behaviour::ShortBody;
    server_.setRoute("/short/t/a", shortBody);
    makeClient(server_.url("/short/"));
    const Outcome got = fetch(0, kPiece);
    QVERIFY(!got.result.ok());
    QCOMPARE(got.result.error().code, ErrorCode::ProtocolError);
    QVERIFY(got.data.empty());
  }

  void fileOfAnotherSizeIsRefused() {
    server_.setRoute("/other/t/a", normal(a_ + "more bytes"));
    makeClient(server_.url("/other/"));
    const Outcome got = fetch(0, kPiece);
    QVERIFY(!got.result.ok());
    QCOMPARE(got.result.error().code, ErrorCode::RemoteChanged);
    QVERIFY(got.fatal);  // no retry can make it the torrent's file
    QVERIFY(got.data.empty());
  }

  void missingFileIsNotFound() {
    makeClient(server_.url("/nowhere/"));
    const Outcome got = fetch(0, kPiece);
    QVERIFY(!got.result.ok());
    QCOMPARE(got.result.error().code, ErrorCode::HttpNotFound);
    QVERIFY(got.result.error().detail.find("/nowhere/t/a") != std::string::npos);
  }

  void httpSeedFetchesPiecesByInfoHash() {
    const codec::Url seed = codec::parseUrl(server_.url("/bep17")).value();
    for (std::uint32_t piece = 1; piece <= 2; ++piece) {
      const std::string target =
          hybrid::httpSeedPieceUrl(seed, meta_->infoHash, piece).requestTarget();
      server_.setRoute(target, normal(all_.substr(piece * kPiece, kPiece)));
    }
    makeClient(server_.url("/bep17"), bt::WebSeedStyle::Hoffman);
    Outcome got = fetch(kPiece, 2 * kPiece);
    QVERIFY2(got.result.ok(), got.result.error().detail.c_str());
    QVERIFY(got.data == all_.substr(kPiece, 2 * kPiece));
    // Blocks inside pieces: whole pieces on the wire, the range delivered.
    got = fetch(kPiece + 16384 / 2, 20000);
    QVERIFY2(got.result.ok(), got.result.error().detail.c_str());
    QVERIFY(got.data == all_.substr(kPiece + 16384 / 2, 20000));
  }

  void unusableUrlIsRefused() {
    const bool refused = runOn(*loop_, [this, env = env_] {
      core::TaskContext context;
      context.loop = loop_.get();
      context.workers = workers_.get();
      context.resolver = env->resolver.get();
      bt::WebSeedParams params;
      params.url = "ftp://mirror.example/t/";
      hybrid::HttpWebSeedFactory factory;
      auto client = factory.create(context, meta_, params);
      return !client && client.error().code == ErrorCode::InvalidArgument;
    });
    QVERIFY(refused);
  }
};

QTEST_GUILESS_MAIN(TstHttpWebSeedClient)
#include "tst_http_webseed_client.moc"
