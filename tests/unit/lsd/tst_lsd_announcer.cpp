// bt::LsdAnnouncer against a fake LsdAccess: it subscribes once the listening
// port is known, only once, unsubscribes at stop(), and drops peers that
// arrive after stop().
#include <QtTest>

#include <memory>
#include <vector>

#include "engine/bt/BtShared.h"
#include "engine/bt/LsdAccess.h"
#include "engine/bt/LsdAnnouncer.h"
#include "engine/loop/EventLoop.h"
#include "unit/loop/LoopTestUtil.h"

using namespace tributary;
using namespace tributary::bt;
using namespace tributary::loop;
using namespace tributary::loop::test;

namespace {

// Calls happen on the test's loop thread only, so no locking.
class FakeLsd final : public LsdAccess {
 public:
  struct Sub {
    util::Sha1::Digest infoHash{};
    std::uint16_t port = 0;
    PeerCallback onPeer;
    bool active = true;
  };
  SubscriptionId subscribe(const util::Sha1::Digest& infoHash, std::uint16_t port,
                           EventLoop& /*replyLoop*/, PeerCallback onPeer) override {
    subs.push_back({infoHash, port, std::move(onPeer)});
    return subs.size();
  }
  void unsubscribe(SubscriptionId id) override { subs.at(id - 1).active = false; }
  std::vector<Sub> subs;
};

}  // namespace

class TstLsdAnnouncer : public QObject {
  Q_OBJECT
 private slots:
  void subscribesOnceThePortIsKnown() {
    EventLoop loop("lsd-announcer");
    loop.start();
    auto shared = std::make_shared<BtShared>();
    auto fake = std::make_shared<FakeLsd>();
    shared->lsd = fake;
    util::Sha1::Digest hash{};
    hash.fill(std::byte{9});
    const bool ok = runOn(loop, [&] {
      std::vector<SocketAddress> got;
      LsdAnnouncer announcer(loop, shared, hash,
                             [&got](const SocketAddress& peer) { got.push_back(peer); });
      announcer.poll();
      if (!fake->subs.empty()) {
        return false;  // port 0 would announce a peer nobody can reach
      }
      shared->listenPort = 6881;
      announcer.poll();
      announcer.poll();
      if (fake->subs.size() != 1 || fake->subs[0].port != 6881 || fake->subs[0].infoHash != hash) {
        return false;
      }
      const LsdAccess::PeerCallback first = fake->subs[0].onPeer;
      first(SocketAddress::loopbackV4(1));
      announcer.stop();
      first(SocketAddress::loopbackV4(2));  // posted before stop, run after: dropped
      if (fake->subs[0].active || got != std::vector<SocketAddress>{SocketAddress::loopbackV4(1)}) {
        return false;
      }
      announcer.poll();  // running again: a new subscription
      return fake->subs.size() == 2 && fake->subs[1].active;
    });
    QVERIFY(ok);
    QVERIFY(!fake->subs[1].active);  // the destructor unsubscribed
    QCOMPARE(loop.stop(), 0);
  }

  void doesNothingWithoutLsd() {
    EventLoop loop("lsd-announcer");
    loop.start();
    auto shared = std::make_shared<BtShared>();
    shared->listenPort = 6881;
    const bool ok = runOn(loop, [&] {
      LsdAnnouncer announcer(loop, shared, {}, [](const SocketAddress&) {});
      announcer.poll();
      announcer.stop();
      return !announcer.available();
    });
    QVERIFY(ok);
    QCOMPARE(loop.stop(), 0);
  }
};

QTEST_GUILESS_MAIN(TstLsdAnnouncer)
#include "tst_lsd_announcer.moc"
