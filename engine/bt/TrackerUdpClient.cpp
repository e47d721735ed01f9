#include "engine/bt/TrackerUdpClient.h"

#include <algorithm>
#include <string>
#include <utility>

#include "engine/bt/TrackerUdpPacket.h"
#include "engine/bt/TrackerUrl.h"
#include "engine/loop/Timer.h"
#include "engine/util/Log.h"

namespace tributary::bt {

// One announce or scrape: resolve, connect (unless an id is cached), request,
// with the retransmission schedule. Owned by the client's table.
class TrackerUdpClient::Transaction final : public TrackerOperation {
 public:
  Transaction(TrackerUdpClient& client, std::string url)
      : client_(client), url_(std::move(url)), timer_(client.loop_) {}
  ~Transaction() override { unregister(); }

  bool isAnnounce = true;  // else a scrape
  AnnounceParams params;
  std::vector<InfoHashV1> hashes;
  AnnounceCallback announceCallback;
  ScrapeCallback scrapeCallback;

  void start() {
    if (!isAnnounce && hashes.empty()) {
      failLater(Error{ErrorCode::InvalidArgument, "a scrape needs at least one info-hash"});
      return;
    }
    std::optional<UdpTrackerUrl> parsed = parseUdpTrackerUrl(url_);
    if (!parsed) {
      failLater(Error{ErrorCode::InvalidArgument, "not a usable udp:// tracker URL: " + url_});
      return;
    }
    urlData_ = std::move(parsed->urlData);
    lookup_ = client_.resolver_.resolve(
        parsed->host, parsed->port,
        [this](Result<loop::Resolver::Addresses> found) { onResolved(std::move(found)); });
  }

  void cancel() override {
    if (done_) {
      return;
    }
    done_ = true;
    unregister();
    AnnounceCallback a = std::move(announceCallback);
    ScrapeCallback s = std::move(scrapeCallback);
    client_.forget(this);  // may destroy this; the callbacks die after, on the loop thread
  }

  const loop::SocketAddress& endpoint() const { return endpoint_; }

  void onReply(const UdpReplyHeader& header, std::span<const std::byte> bytes) {
    if (header.action == static_cast<std::uint32_t>(UdpTrackerAction::Error)) {
      finish(udpErrorReplyToError(bytes));
      return;
    }
    if (phase_ == Phase::Connecting) {
      Result<std::uint64_t> id = parseUdpConnectReply(bytes);
      if (!id) {
        finish(id.error());
        return;
      }
      client_.storeConnectionId(endpoint_, id.value());
      attempt_ = 0;  // the request proper has its own schedule
      step();
      return;
    }
    if (isAnnounce) {
      finish(parseUdpAnnounceReply(bytes, endpoint_.family()));
    } else {
      finish(parseUdpScrapeReply(bytes, hashes.size()));
    }
  }

 private:
  enum class Phase : std::uint8_t { Resolving, Connecting, Requesting };

  void onResolved(Result<loop::Resolver::Addresses> found) {
    if (!found) {
      finish(found.error());
      return;
    }
    addresses_ = std::move(found.value());
    if (!useNextAddress()) {
      finish(Error{ErrorCode::IoError, "no UDP socket for any address of " + url_});
      return;
    }
    step();
  }

  // Moves to the next address (in the resolver's order, which is the
  // system's) whose family we can send from.
  bool useNextAddress() {
    while (nextAddress_ < addresses_.size()) {
      const loop::SocketAddress& address = addresses_[nextAddress_++];
      if (client_.socketFor(address.family()) != nullptr) {
        endpoint_ = address;
        return true;
      }
    }
    return false;
  }

  // Sends what the request needs now: a connect without a live id, else the request.
  void step() {
    const std::optional<std::uint64_t> id = client_.connectionIdFor(endpoint_);
    const Phase phase = id ? Phase::Requesting : Phase::Connecting;
    if (phase != phase_) {
      // A retransmission keeps its id, so a late answer to an earlier copy still counts.
      unregister();
      phase_ = phase;
      transactionId_ = client_.newTransactionId();
      client_.waiting_[transactionId_] = this;
      registered_ = true;
    }
    std::vector<std::byte> packet;
    if (!id) {
      packet = encodeUdpConnect(transactionId_);
    } else if (isAnnounce) {
      packet = encodeUdpAnnounce(*id, transactionId_, params, urlData_);
    } else {
      packet = encodeUdpScrape(*id, transactionId_, hashes);
    }
    if (Result<void> sent = client_.send(endpoint_, packet); !sent) {
      // An address the host cannot reach (IPv6 without a route): try the next one.
      if (useNextAddress()) {
        step();
        return;
      }
      finish(sent.error());
      return;
    }
    const unsigned shift = std::min(attempt_, 20u);
    const auto wait = client_.options_.retryBase * (std::int64_t{1} << shift);
    timer_.start(wait, std::chrono::milliseconds{0}, [this] { onTimeout(); });
  }

  void onTimeout() {
    if (attempt_ >= client_.options_.maxRetransmits) {
      finish(Error{ErrorCode::Timeout, "no answer from " + url_ + " (" + endpoint_.toString() +
                                           ") after " + std::to_string(attempt_ + 1) + " tries"});
      return;
    }
    ++attempt_;
    step();
  }

  void unregister() {
    if (registered_) {
      client_.waiting_.erase(transactionId_);
      registered_ = false;
    }
  }

  void failLater(Error error) {
    pending_ = std::move(error);
    timer_.start(std::chrono::milliseconds{0}, std::chrono::milliseconds{0},
                 [this] { finish(std::move(pending_)); });
  }

  template <class R>
  void finish(R result) {
    if (done_) {
      return;
    }
    done_ = true;
    unregister();
    AnnounceCallback a = std::move(announceCallback);
    ScrapeCallback s = std::move(scrapeCallback);
    client_.forget(this);  // destroys this: only locals from here
    if constexpr (std::is_same_v<R, Error>) {
      if (a) {
        a(Result<AnnounceResponse>(result));
      } else if (s) {
        s(Result<std::vector<ScrapeInfo>>(std::move(result)));
      }
    } else if constexpr (std::is_same_v<R, Result<AnnounceResponse>>) {
      if (a) {
        a(std::move(result));
      }
    } else {
      if (s) {
        s(std::move(result));
      }
    }
  }

  TrackerUdpClient& client_;
  std::string url_;
  std::string urlData_;
  loop::Resolver::Request lookup_;
  loop::Resolver::Addresses addresses_;
  std::size_t nextAddress_ = 0;
  loop::SocketAddress endpoint_;
  loop::Timer timer_;
  Phase phase_ = Phase::Resolving;
  std::uint32_t transactionId_ = 0;
  bool registered_ = false;
  unsigned attempt_ = 0;
  bool done_ = false;
  Error pending_;
};

TrackerUdpClient::TrackerUdpClient(loop::EventLoop& loop, loop::Resolver& resolver,
                                   TrackerUdpOptions options)
    : loop_(loop), resolver_(resolver), options_(std::move(options)) {}

TrackerUdpClient::~TrackerUdpClient() {
  // Transactions first: they unregister from waiting_ as they go.
  auto active = std::move(active_);
  active_.clear();
  active.clear();
  waiting_.clear();
}

TrackerRequest TrackerUdpClient::announce(std::string_view url, const AnnounceParams& params,
                                          AnnounceCallback callback) {
  loop_.assertInLoopThread();
  auto transaction = std::make_shared<Transaction>(*this, std::string(url));
  transaction->params = params;
  transaction->announceCallback = std::move(callback);
  return add(std::move(transaction));
}

TrackerRequest TrackerUdpClient::scrape(std::string_view url, std::vector<InfoHashV1> infoHashes,
                                        ScrapeCallback callback) {
  loop_.assertInLoopThread();
  auto transaction = std::make_shared<Transaction>(*this, std::string(url));
  if (infoHashes.size() > kMaxUdpScrapeHashes) {
    infoHashes.resize(kMaxUdpScrapeHashes);
  }
  transaction->isAnnounce = false;
  transaction->hashes = std::move(infoHashes);
  transaction->scrapeCallback = std::move(callback);
  return add(std::move(transaction));
}

TrackerRequest TrackerUdpClient::add(std::shared_ptr<Transaction> transaction) {
  Transaction* raw = transaction.get();
  active_.emplace(raw, transaction);
  TrackerRequest request{std::weak_ptr<TrackerOperation>(transaction)};
  raw->start();
  return request;
}

void TrackerUdpClient::forget(Transaction* transaction) {
  const auto it = active_.find(transaction);
  if (it == active_.end()) {
    return;
  }
  std::shared_ptr<Transaction> last = std::move(it->second);
  active_.erase(it);
}

loop::UdpSocket* TrackerUdpClient::socketFor(loop::SocketAddress::Family family) {
  const bool v6 = family == loop::SocketAddress::Family::V6;
  std::unique_ptr<loop::UdpSocket>& socket = v6 ? v6_ : v4_;
  if (socket && socket->isBound()) {
    return socket.get();
  }
  if (family == loop::SocketAddress::Family::Unspecified) {
    return nullptr;
  }
  socket = std::make_unique<loop::UdpSocket>(loop_);
  if (Result<void> bound = socket->bind(v6 ? options_.bindV6 : options_.bindV4); !bound) {
    TLOG(Info, "tracker") << "UDP trackers over " << (v6 ? "IPv6" : "IPv4")
                          << " unavailable: " << bound.error().detail;
    socket.reset();
    return nullptr;
  }
  socket->setOnReceive([this](const loop::SocketAddress& from, std::span<const std::byte> bytes) {
    onDatagram(from, bytes);
  });
  return socket.get();
}

void TrackerUdpClient::onDatagram(const loop::SocketAddress& from,
                                  std::span<const std::byte> bytes) {
  const std::optional<UdpReplyHeader> header = readUdpReplyHeader(bytes);
  const auto it = header ? waiting_.find(header->transactionId) : waiting_.end();
  if (it == waiting_.end() || it->second->endpoint() != from) {
    ++ignored_;  // late, spoofed or stray: only the tracker knows a live transaction id
    return;
  }
  it->second->onReply(*header, bytes);
}

std::uint32_t TrackerUdpClient::newTransactionId() {
  for (;;) {
    const std::uint32_t id = random_();
    if (waiting_.count(id) == 0) {
      return id;
    }
  }
}

std::optional<std::uint64_t> TrackerUdpClient::connectionIdFor(const loop::SocketAddress& tracker) {
  const auto it = connectionIds_.find(tracker);
  if (it == connectionIds_.end()) {
    return std::nullopt;
  }
  if (loop_.nowMs() >= it->second.expiresAtMs) {
    connectionIds_.erase(it);
    return std::nullopt;
  }
  return it->second.id;
}

void TrackerUdpClient::storeConnectionId(const loop::SocketAddress& tracker, std::uint64_t id) {
  const std::uint64_t now = loop_.nowMs();
  std::erase_if(connectionIds_,
                [now](const auto& entry) { return now >= entry.second.expiresAtMs; });
  connectionIds_[tracker] =
      CachedId{id, now + static_cast<std::uint64_t>(options_.connectionIdLifetime.count())};
}

Result<void> TrackerUdpClient::send(const loop::SocketAddress& to,
                                    const std::vector<std::byte>& packet) {
  loop::UdpSocket* socket = socketFor(to.family());
  if (socket == nullptr) {
    return Error{ErrorCode::IoError, "no UDP socket for " + to.toString()};
  }
  Result<void> sent = socket->send(to, packet);
  if (sent) {
    ++sent_;
  }
  return sent;
}

}  // namespace tributary::bt
