// TcpSocket::detach() / adopt(): a connection accepted on one loop goes on
// on another, the bytes keep flowing both ways, and nothing leaks when the
// DetachedSocket is dropped or the target loop stops with one in flight.
#include <QDir>
#include <QtTest>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <string_view>

#include <unistd.h>

#include "engine/loop/DetachedSocket.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/TcpListener.h"
#include "engine/loop/TcpSocket.h"
#include "unit/net_loop/NetTestUtil.h"

using namespace tributary;
using namespace tributary::loop;
using namespace tributary::loop::test;
using namespace std::chrono_literals;

namespace {

// Open sockets of this process (the loops' own descriptors are not sockets):
// a connection that is not closed shows here.
int openSocketCount() {
  int count = 0;
  const QStringList fds =
      QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
  for (const QString& fd : fds) {
    char target[64] = {};
    const QByteArray path = QByteArrayLiteral("/proc/self/fd/") + fd.toLatin1();
    if (::readlink(path.constData(), target, sizeof target - 1) > 0 &&
        std::string_view(target).starts_with("socket:")) {
      ++count;
    }
  }
  return count;
}

// Collects bytes on the socket until `want` of them arrived.
std::future<std::string> collect(TcpSocket& socket, std::size_t want) {
  auto done = std::make_shared<std::promise<std::string>>();
  auto got = std::make_shared<std::string>();
  socket.setOnData([done, got, want, reported = false](util::Buffer& in) mutable {
    got->append(in.retrieveAllAsString());
    if (got->size() >= want && !reported) {
      reported = true;
      done->set_value(*got);
    }
  });
  return done->get_future();
}

// Reports how the socket's connection ended.
std::future<Result<void>> watchClose(TcpSocket& socket) {
  auto done = std::make_shared<std::promise<Result<void>>>();
  socket.setOnClosed([done](Result<void> r) { done->set_value(std::move(r)); });
  return done->get_future();
}

// Detaches the pair's server socket on its loop, keeping the bytes it read.
struct Detached {
  DetachedSocket socket;
  std::string alreadyRead;
};

Detached detachServer(EventLoop& loop, const std::shared_ptr<LoopbackPair>& pair) {
  return runOn(loop, [pair] {
    Detached out;
    pair->server->pauseReading();
    out.alreadyRead = pair->server->readBuffer().retrieveAllAsString();
    auto detached = pair->server->detach();
    if (detached.ok()) {
      out.socket = std::move(detached.value());
    }
    return out;
  });
}

}  // namespace

class TstTcpHandOff : public QObject {
  Q_OBJECT
 private:
  std::unique_ptr<EventLoop> a_;
  std::unique_ptr<EventLoop> b_;
  int socketsAtStart_ = 0;

 private slots:
  void init() {
    a_ = std::make_unique<EventLoop>("listening");
    b_ = std::make_unique<EventLoop>("owning");
    a_->start();
    b_->start();
    socketsAtStart_ = openSocketCount();
  }
  void cleanup() {
    QCOMPARE(a_->stop(), 0);
    QCOMPARE(b_->stop(), 0);
    a_.reset();
    b_.reset();
  }

  void dataFlowsBothWaysAfterTheMove() {
    auto pair = makePair(*a_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    auto firstIn = std::make_shared<std::promise<void>>();
    runOn(*a_, [pair, firstIn] {
      // Leaves the bytes in the buffer: they travel with the hand-off.
      pair->server->setOnData([firstIn, reported = false](util::Buffer& in) mutable {
        if (in.readableBytes() >= 5 && !reported) {
          reported = true;
          firstIn->set_value();
        }
      });
      pair->client->write(std::string("first"));
    });
    auto firstArrived = firstIn->get_future();
    QVERIFY(waitReady(firstArrived));
    const auto clientAddress = runOn(*a_, [pair] { return pair->client->localAddress(); });
    const auto serverAddress = runOn(*a_, [pair] { return pair->server->localAddress(); });
    auto clientClosed = runOn(*a_, [pair] { return watchClose(*pair->client); });

    Detached moved = detachServer(*a_, pair);
    QVERIFY(moved.socket.valid());
    QCOMPARE(QString::fromStdString(moved.alreadyRead), QStringLiteral("first"));
    QVERIFY(moved.socket.remoteAddress() == clientAddress);
    QVERIFY(runOn(*a_, [pair] { return pair->server->isClosed(); }));
    // Sent while nobody owns the connection: it waits in the kernel for the adopter.
    runOn(*a_, [pair] { pair->client->write(std::string("second")); });

    auto adopted = std::make_shared<std::unique_ptr<TcpSocket>>();
    auto secondIn = runOn(*b_, [this, adopted, &moved] {
      auto socket = TcpSocket::adopt(*b_, std::move(moved.socket));
      if (!socket.ok()) {
        return std::future<std::string>();
      }
      *adopted = std::move(socket.value());
      return collect(**adopted, 6);
    });
    QVERIFY(*adopted != nullptr);
    QVERIFY(!moved.socket.valid());
    QVERIFY(runOn(*b_, [adopted] {
      TcpSocket& s = **adopted;
      return s.isConnected() && s.readingPaused() && &s.loop() == EventLoop::current();
    }));
    QVERIFY(runOn(*b_, [adopted] { return (*adopted)->remoteAddress(); }) == clientAddress);
    QVERIFY(runOn(*b_, [adopted] { return (*adopted)->localAddress(); }) == serverAddress);
    // Paused: nothing is read until the adopter says so.
    QVERIFY(settle(*b_, 100ms));
    QCOMPARE(secondIn.wait_for(0ms), std::future_status::timeout);
    runOn(*b_, [adopted] { (*adopted)->resumeReading(); });
    QVERIFY(waitReady(secondIn));
    QCOMPARE(QString::fromStdString(secondIn.get()), QStringLiteral("second"));

    auto replyIn = runOn(*a_, [pair] { return collect(*pair->client, 5); });
    runOn(*b_, [adopted] { (*adopted)->write(std::string("reply")); });
    QVERIFY(waitReady(replyIn));
    QCOMPARE(QString::fromStdString(replyIn.get()), QStringLiteral("reply"));
    QCOMPARE(clientClosed.wait_for(0ms), std::future_status::timeout);

    // Closing on the new loop ends the connection the client sees.
    runOn(*b_, [adopted] { adopted->reset(); });
    QVERIFY(waitReady(clientClosed));
    QVERIFY(clientClosed.get().ok());  // a clean EOF
    destroyPair(*a_, pair);
    QCOMPARE(openSocketCount(), socketsAtStart_);
  }

  void aDroppedDetachedSocketClosesTheConnection() {
    auto pair = makePair(*a_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    auto clientClosed = runOn(*a_, [pair] { return watchClose(*pair->client); });
    const int socketsWithPair = openSocketCount();
    auto moved = std::make_unique<Detached>(detachServer(*a_, pair));
    QVERIFY(moved->socket.valid());
    QCOMPARE(openSocketCount(), socketsWithPair);  // the copy replaced the original
    QVERIFY(settle(*a_, 100ms));
    QCOMPARE(clientClosed.wait_for(0ms), std::future_status::timeout);
    moved.reset();  // on this thread: any thread may drop it
    // (The client may already have seen the EOF and closed its side too.)
    QVERIFY(openSocketCount() <= socketsWithPair - 1);
    QVERIFY(waitReady(clientClosed));
    QVERIFY(clientClosed.get().ok());
    destroyPair(*a_, pair);
    QCOMPARE(openSocketCount(), socketsAtStart_);
  }

  void theTokenTravelsWithTheConnection() {
    auto pair = makePair(*a_, SocketAddress::loopbackV4(0));
    QVERIFY(pair != nullptr);
    auto live = makeCounter();
    runOn(*a_,
          [pair, live] { pair->server->attachUntilClosed(std::make_shared<LifeToken>(live)); });
    QCOMPARE(live->load(), 1);
    Detached moved = detachServer(*a_, pair);
    QCOMPARE(live->load(), 1);  // the connection lives on, so does its token
    auto adopted = std::make_shared<std::unique_ptr<TcpSocket>>();
    QVERIFY(runOn(*b_, [this, adopted, &moved] {
      auto socket = TcpSocket::adopt(*b_, std::move(moved.socket));
      if (socket.ok()) {
        *adopted = std::move(socket.value());
      }
      return socket.ok();
    }));
    QCOMPARE(live->load(), 1);
    runOn(*b_, [adopted] { (*adopted)->close(); });
    QCOMPARE(live->load(), 0);
    runOn(*b_, [adopted] { adopted->reset(); });
    destroyPair(*a_, pair);
  }

  void loopStopsWithOneAdoptedAndOneInFlight() {
    auto live = makeCounter();
    auto adoptedPair = makePair(*a_, SocketAddress::loopbackV4(0));
    auto inFlightPair = makePair(*a_, SocketAddress::loopbackV4(0));
    QVERIFY(adoptedPair != nullptr && inFlightPair != nullptr);
    auto adoptedEnd = runOn(*a_, [adoptedPair, live] {
      adoptedPair->server->attachUntilClosed(std::make_shared<LifeToken>(live));
      return watchClose(*adoptedPair->client);
    });
    auto inFlightEnd = runOn(*a_, [inFlightPair, live] {
      inFlightPair->server->attachUntilClosed(std::make_shared<LifeToken>(live));
      return watchClose(*inFlightPair->client);
    });
    Detached first = detachServer(*a_, adoptedPair);
    auto second = std::make_shared<Detached>(detachServer(*a_, inFlightPair));
    QVERIFY(first.socket.valid() && second->socket.valid());

    auto adopted = std::make_shared<std::unique_ptr<TcpSocket>>();
    QVERIFY(runOn(*b_, [this, adopted, &first, second, live] {
      auto socket = TcpSocket::adopt(*b_, std::move(first.socket));
      if (!socket.ok()) {
        return false;
      }
      *adopted = std::move(socket.value());
      (*adopted)->resumeReading();
      // Posted while the loop stops: dropped without running, never adopted.
      b_->addShutdownHook([this, second] {
        b_->post([moved = std::move(second->socket), this]() mutable {
          auto never = TcpSocket::adopt(*b_, std::move(moved));
        });
      });
      return true;
    }));
    QCOMPARE(live->load(), 2);
    QCOMPARE(b_->stop(), 0);  // every handle closed, the adopted one too
    QCOMPARE(live->load(), 0);
    QVERIFY(waitReady(adoptedEnd));
    QVERIFY(waitReady(inFlightEnd));
    QVERIFY(adoptedEnd.get().ok());
    QVERIFY(inFlightEnd.get().ok());
    adopted->reset();  // closed under it by the loop: harmless here
    destroyPair(*a_, adoptedPair);
    destroyPair(*a_, inFlightPair);
    QCOMPARE(openSocketCount(), socketsAtStart_);
  }

  void detachRefusesWhatItCannotMove() {
    auto pair = makePair(*a_, SocketAddress::loopbackV4(0),
                         [](TcpSocket& client) { client.pauseReading(); });
    QVERIFY(pair != nullptr);
    const auto refused = runOn(*a_, [this, pair] {
      TcpSocket idle(*a_);
      const bool idleRefused = !idle.detach().ok();
      // The client does not read: most of this stays queued.
      pair->server->write(std::string(std::size_t{32} << 20, 'q'));
      auto withQueue = pair->server->detach();
      const bool queueRefused =
          !withQueue.ok() && pair->server->isConnected() && pair->server->pendingWriteBytes() > 0;
      return idleRefused && queueRefused;
    });
    QVERIFY(refused);
    QVERIFY(runOn(*b_, [this] { return !TcpSocket::adopt(*b_, DetachedSocket{}).ok(); }));
    destroyPair(*a_, pair);
  }
};

QTEST_GUILESS_MAIN(TstTcpHandOff)
#include "tst_tcp_handoff.moc"
