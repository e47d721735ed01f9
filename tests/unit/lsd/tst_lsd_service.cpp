// session::LsdService inside a private network namespace (root only, see
// PrivateNetwork.h): two services find each other's info-hashes through the
// group, ignore their own announces, batch what the rate limit holds back and
// stop announcing what was unsubscribed.
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/bt/LsdMessage.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/UdpSocket.h"
#include "engine/session/LsdService.h"
#include "unit/loop/LoopTestUtil.h"
#include "unit/lsd/PrivateNetwork.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;
using session::LsdService;
using session::LsdServiceOptions;

namespace {

util::Sha1::Digest hashOf(unsigned char seed) {
  util::Sha1::Digest d{};
  d.fill(static_cast<std::byte>(seed));
  return d;
}

struct Found {
  util::Sha1::Digest infoHash{};
  SocketAddress peer;
  friend bool operator==(const Found&, const Found&) = default;
};

// One announce a bare group member heard, with the loop's time.
struct Heard {
  std::vector<util::Sha1::Digest> infoHashes;
  std::uint16_t port = 0;
  std::uint64_t atMs = 0;
};

LsdServiceOptions optionsFor(std::uint16_t port, std::chrono::milliseconds minSend,
                             std::chrono::milliseconds reannounce) {
  LsdServiceOptions options;
  options.group = SocketAddress::v4({239, 192, 152, 143}, port);
  options.interfaceAddress = SocketAddress::loopbackV4(0);
  options.minSendInterval = minSend;
  options.reannounceInterval = reannounce;
  return options;
}

}  // namespace

class TstLsdService : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> loop_;
  QString noMulticast_;
  std::vector<std::shared_ptr<LsdService>> services_;
  std::unique_ptr<UdpSocket> listener_;  // loop thread only
  std::vector<Found> found_;             // loop thread only
  std::vector<Heard> heard_;             // loop thread only

  std::shared_ptr<LsdService> startService(LsdServiceOptions options) {
    auto service = std::make_shared<LsdService>(*loop_, std::move(options));
    if (!runOn(*loop_, [service] { return service->start().ok(); })) {
      return nullptr;
    }
    services_.push_back(service);
    return service;
  }

  // A plain member of the group that records every announce.
  bool listen(std::uint16_t port) {
    return runOn(*loop_, [this, port] {
      listener_ = std::make_unique<UdpSocket>(*loop_);
      UdpBindOptions shared;
      shared.reuseAddress = true;
      if (!listener_->bind(SocketAddress::anyV4(port), shared).ok() ||
          !listener_
               ->joinMulticastGroup(SocketAddress::v4({239, 192, 152, 143}, 0),
                                    SocketAddress::loopbackV4(0))
               .ok()) {
        return false;
      }
      listener_->setOnReceive([this](const SocketAddress&, std::span<const std::byte> bytes) {
        if (auto parsed = bt::parseLsdAnnounce(bytes)) {
          heard_.push_back({parsed.value().infoHashes, parsed.value().port, loop_->nowMs()});
        }
      });
      return true;
    });
  }

  LsdService::PeerCallback recorder(const util::Sha1::Digest& infoHash) {
    return [this, infoHash](const SocketAddress& peer) { found_.push_back({infoHash, peer}); };
  }

  std::size_t heardCount() {
    return runOn(*loop_, [this] { return heard_.size(); });
  }

 private slots:
  void initTestCase() { noMulticast_ = tributary::test::enterPrivateNetwork(); }
  void init() {
    if (!noMulticast_.isEmpty()) {
      QSKIP(qPrintable(noMulticast_));
    }
    loop_ = std::make_unique<EventLoop>("lsd");
    loop_->start();
  }
  void cleanup() {
    if (!loop_) {
      return;
    }
    runOn(*loop_, [this] {
      for (auto& service : services_) {
        service->stop();
      }
      listener_.reset();
      found_.clear();
      heard_.clear();
    });
    services_.clear();
    QCOMPARE(loop_->stop(), 0);
    loop_.reset();
  }

  void twoServicesFindEachOther() {
    auto a = startService(optionsFor(6771, 50ms, 10min));
    auto b = startService(optionsFor(6771, 50ms, 10min));
    QVERIFY(a && b);
    QVERIFY(runOn(*loop_, [&] { return a->cookie() != b->cookie(); }));
    a->subscribe(hashOf(1), 1111, *loop_, recorder(hashOf(1)));
    b->subscribe(hashOf(1), 2222, *loop_, recorder(hashOf(1)));
    b->subscribe(hashOf(2), 2222, *loop_, recorder(hashOf(2)));
    const Found aFound{hashOf(1), SocketAddress::loopbackV4(2222)};
    const Found bFound{hashOf(1), SocketAddress::loopbackV4(1111)};
    auto both = [&] {
      return runOn(*loop_, [&] {
        return std::count(found_.begin(), found_.end(), aFound) == 1 &&
               std::count(found_.begin(), found_.end(), bFound) == 1;
      });
    };
    QTRY_VERIFY_WITH_TIMEOUT(both(), 10000);
    // hashOf(2) has no other member, and nobody is told of its own announce.
    QCOMPARE(runOn(*loop_, [&] { return found_.size(); }), std::size_t{2});
    QVERIFY(runOn(*loop_, [&] { return a->announcesReceived() >= 1 && b->announcesSent() >= 1; }));
  }

  void theRateLimitBatchesWhatIsDue() {
    QVERIFY(listen(6772));
    auto a = startService(optionsFor(6772, 300ms, 10min));
    QVERIFY(a);
    a->subscribe(hashOf(1), 1111, *loop_, recorder(hashOf(1)));
    a->subscribe(hashOf(2), 1111, *loop_, recorder(hashOf(2)));
    a->subscribe(hashOf(3), 1111, *loop_, recorder(hashOf(3)));
    QTRY_COMPARE_WITH_TIMEOUT(heardCount(), std::size_t{2}, 10000);
    const std::vector<Heard> heard = runOn(*loop_, [this] { return heard_; });
    QCOMPARE(heard[0].infoHashes, std::vector<util::Sha1::Digest>{hashOf(1)});
    QCOMPARE(heard[1].infoHashes, (std::vector<util::Sha1::Digest>{hashOf(2), hashOf(3)}));
    QCOMPARE(heard[1].port, std::uint16_t{1111});
    QVERIFY2(heard[1].atMs - heard[0].atMs >= 250, "the second announce came too soon");
    // Nothing more is due for ten minutes.
    QTest::qWait(700);
    QCOMPARE(heardCount(), std::size_t{2});
  }

  void unsubscribedHashesAreNoLongerAnnounced() {
    QVERIFY(listen(6773));
    auto a = startService(optionsFor(6773, 20ms, 100ms));
    QVERIFY(a);
    const auto id = a->subscribe(hashOf(7), 4444, *loop_, recorder(hashOf(7)));
    QTRY_VERIFY_WITH_TIMEOUT(heardCount() >= 3, 10000);  // it comes round every 100 ms
    a->unsubscribe(id);
    QCOMPARE(runOn(*loop_, [&] { return a->subscriptionCount(); }), std::size_t{0});
    const std::size_t before = heardCount();
    QTest::qWait(400);
    QVERIFY(heardCount() <= before + 1);  // one may have been on its way
  }
};

QTEST_GUILESS_MAIN(TstLsdService)
#include "tst_lsd_service.moc"
