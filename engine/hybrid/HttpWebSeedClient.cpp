#include "engine/hybrid/HttpWebSeedClient.h"

#include <algorithm>
#include <array>
#include <utility>

#include "engine/http/HeaderValues.h"
#include "engine/http/HttpDownloadTask.h"
#include "engine/http/HttpStatusError.h"
#include "engine/http/RequestWriter.h"
#include "engine/hybrid/WebSeedUrl.h"
#include "engine/util/Log.h"

namespace tributary::hybrid {
namespace {

constexpr std::size_t kPaddingChunk = 16 * 1024;

// A file of another size is another file: no retry can make its bytes the
// torrent's, so the fetch fails as fatal (the task drops the seed at once).
Error sizeMismatch(const std::string& where, std::uint64_t size, std::uint64_t expected) {
  return Error{ErrorCode::RemoteChanged, where + " is " + std::to_string(size) +
                                             " bytes where the torrent's file has " +
                                             std::to_string(expected)};
}

bool isRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

HttpWebSeedClient::HttpWebSeedClient(const core::TaskContext& context,
                                     std::shared_ptr<const bt::Metainfo> meta, codec::Url seed,
                                     const bt::WebSeedParams& params)
    : context_(context),
      meta_(std::move(meta)),
      seed_(std::move(seed)),
      style_(params.style),
      userAgent_(params.userAgent.empty() ? std::string(http::HttpDownloadTask::kDefaultUserAgent)
                                          : params.userAgent),
      jobs_(*context.loop, *context.workers),
      step_(*context.loop) {
  if (!params.caCertFile.empty()) {
    caFiles_.push_back(params.caCertFile);
  }
}

HttpWebSeedClient::~HttpWebSeedClient() {
  cancel();
  connection_.reset();
}

void HttpWebSeedClient::fetch(std::uint64_t offset, std::uint64_t length, Handler handler) {
  context_.loop->assertInLoopThread();
  cancel();
  handler_ = std::make_shared<Handler>(std::move(handler));
  active_ = true;
  const auto total = static_cast<std::uint64_t>(meta_->totalLength);
  const auto pieceLength = static_cast<std::uint64_t>(meta_->pieceLength);
  if (length == 0 || offset >= total || length > total - offset) {
    // Nothing to ask a server: refused below.
  } else if (style_ == bt::WebSeedStyle::Hoffman) {
    const std::uint64_t end = offset + length;
    for (std::uint64_t piece = offset / pieceLength; piece * pieceLength < end; ++piece) {
      const std::uint64_t begin = piece * pieceLength;
      Part part;
      part.url = httpSeedPieceUrl(seed_, meta_->infoHash, static_cast<std::uint32_t>(piece));
      part.length = static_cast<std::uint64_t>(meta_->pieceSize(static_cast<std::uint32_t>(piece)));
      part.skipFront = std::max(begin, offset) - begin;
      part.keep = std::min(begin + part.length, end) - std::max(begin, offset);
      part.ranged = false;
      parts_.push_back(std::move(part));
    }
  } else {
    for (const WebSeedPart& slice : webSeedParts(*meta_, offset, length)) {
      Part part;
      part.url = webSeedFileUrl(seed_, *meta_, slice.fileIndex);
      part.offset = slice.offset;
      part.length = slice.length;
      part.keep = slice.length;
      part.fileLength = static_cast<std::uint64_t>(meta_->files[slice.fileIndex].length);
      part.padding = slice.padding;
      parts_.push_back(std::move(part));
    }
  }
  if (parts_.empty()) {
    fail({ErrorCode::InvalidArgument, "bytes outside the torrent asked of a web seed"});
    return;
  }
  later([this] { advance(); });
}

void HttpWebSeedClient::cancel() {
  ++generation_;
  active_ = false;
  handler_.reset();
  parts_.clear();
  step_.stop();
  pendingStep_ = {};
  // A connection in the middle of a response is out of step for the next
  // request; an idle keep-alive one is kept.
  if (connection_ && !connection_->idle()) {
    connection_.reset();
  }
}

void HttpWebSeedClient::pauseReading() {
  paused_ = true;
  if (connection_) {
    connection_->pauseReading();
  }
}

void HttpWebSeedClient::resumeReading() {
  paused_ = false;
  if (connection_) {
    connection_->resumeReading();
  }
}

void HttpWebSeedClient::later(util::UniqueFunction<void()> step) {
  pendingStep_ = std::move(step);
  step_.start(std::chrono::milliseconds{0}, std::chrono::milliseconds{0}, [this] {
    auto run = std::move(pendingStep_);
    pendingStep_ = {};
    if (run) {
      run();
    }
  });
}

bool HttpWebSeedClient::deliver(std::span<const std::byte> bytes) {
  const std::uint64_t generation = generation_;
  std::weak_ptr<char> alive = life_;
  std::shared_ptr<Handler> handler = handler_;  // lives through a cancel() inside the call
  if (handler && handler->onData) {
    handler->onData(bytes);
  }
  return !alive.expired() && generation == generation_;
}

void HttpWebSeedClient::advance() {
  while (!parts_.empty() && parts_.front().padding) {
    // BEP 47 padding: zeros no server holds; the piece hash covers them.
    static const std::array<std::byte, kPaddingChunk> kZeros{};
    std::uint64_t left = parts_.front().length;
    while (left > 0) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kPaddingChunk));
      if (!deliver(std::span<const std::byte>(kZeros.data(), n))) {
        return;
      }
      left -= n;
    }
    parts_.pop_front();
  }
  if (parts_.empty()) {
    finish({Result<void>{}, std::chrono::milliseconds{0}});
    return;
  }
  currentUrl_ = parts_.front().url;
  redirects_ = 0;
  sendPart();
}

void HttpWebSeedClient::withTls(util::UniqueFunction<void()> then) {
  if (tls_) {
    then();
    return;
  }
  if (!context_.tls) {
    fail({ErrorCode::TlsFailure, "no TLS support in this engine"});
    return;
  }
  if (std::shared_ptr<net::TlsContext> ready = context_.tls->peek(caFiles_)) {
    tls_ = std::move(ready);
    then();
    return;
  }
  const std::uint64_t generation = generation_;
  std::weak_ptr<char> alive = life_;
  jobs_.submit([cache = context_.tls, files = caFiles_] { return cache->get(files); },
               [this, alive, generation,
                then = std::move(then)](Result<std::shared_ptr<net::TlsContext>> made) mutable {
                 if (alive.expired()) {
                   return;
                 }
                 if (made) {
                   tls_ = made.value();
                 }
                 if (generation != generation_) {
                   return;  // cancelled meanwhile
                 }
                 if (!made) {
                   fail(made.error());
                   return;
                 }
                 then();
               });
}

http::HttpConnection& HttpWebSeedClient::connectionFor(const codec::Url& url) {
  http::Origin origin{url.scheme, url.host, url.port};
  if (connection_ &&
      (connection_->closed() || !connection_->idle() || !(connection_->origin() == origin))) {
    connection_.reset();
  }
  if (!connection_) {
    http::ConnectionOptions options;
    options.tls = tls_;
    connection_ = std::make_unique<http::HttpConnection>(*context_.loop, *context_.resolver,
                                                         std::move(origin), options);
    if (paused_) {
      connection_->pauseReading();
    }
  }
  return *connection_;
}

void HttpWebSeedClient::sendPart() {
  if (currentUrl_.isHttps() && !tls_) {
    withTls([this] { sendPart(); });
    return;
  }
  const Part& part = parts_.front();
  http::RequestOptions options;
  options.userAgent = userAgent_;
  if (part.ranged) {
    options.range = http::ByteRange{part.offset, part.offset + part.length - 1};
  }
  Result<std::string> head = http::writeRequestHead(currentUrl_, options);
  if (!head) {
    fail(head.error());
    return;
  }
  received_ = 0;
  readingRetryBody_ = false;
  retryBody_.clear();
  http::HttpConnection::Handler handler;
  handler.onHead = [this](const http::ResponseHead& h) { return onHead(h); };
  handler.onBody = [this](std::span<const char> bytes) { return onBody(bytes); };
  handler.onEnd = [this](Result<void> result) { onEnd(std::move(result)); };
  connectionFor(currentUrl_).send(std::move(head.value()), false, std::move(handler));
}

std::optional<Error> HttpWebSeedClient::checkHead(const http::ResponseHead& head) const {
  const Part& part = parts_.front();
  const std::string where = currentUrl_.toString(false);
  if (!part.ranged) {
    if (head.status != 200) {
      return http::httpStatusError(head.status, currentUrl_);
    }
    if (head.contentLength && *head.contentLength != part.length) {
      return Error{ErrorCode::ProtocolError,
                   where + " sent " + std::to_string(*head.contentLength) +
                       " bytes for a piece of " + std::to_string(part.length)};
    }
    return std::nullopt;
  }
  if (head.status == 200) {
    // Only right when the whole file was asked for and this is its size.
    if (head.contentLength && *head.contentLength != part.fileLength) {
      return sizeMismatch(where, *head.contentLength, part.fileLength);
    }
    if (part.offset == 0 && part.length == part.fileLength) {
      return std::nullopt;
    }
    return Error{ErrorCode::ProtocolError,
                 where +
                     " ignores Range requests (200 with the whole file where a range of it "
                     "was asked for)"};
  }
  if (head.status != 206) {
    return http::httpStatusError(head.status, currentUrl_);
  }
  std::optional<http::ContentRange> range;
  if (const std::string* value = head.find("Content-Range")) {
    range = http::parseContentRange(*value);
  }
  if (!range || range->unsatisfied || range->first != part.offset ||
      range->length() != part.length) {
    return Error{ErrorCode::ProtocolError, where + " answered with another range than asked for"};
  }
  if (range->completeLength && *range->completeLength != part.fileLength) {
    return sizeMismatch(where, *range->completeLength, part.fileLength);
  }
  if (head.contentLength && *head.contentLength != part.length) {
    return Error{ErrorCode::ProtocolError,
                 where + " announced " + std::to_string(*head.contentLength) +
                     " bytes for a range of " + std::to_string(part.length)};
  }
  return std::nullopt;
}

bool HttpWebSeedClient::onHead(const http::ResponseHead& head) {
  if (isRedirect(head.status) && head.find("Location") != nullptr) {
    codec::UrlParseError parseError;
    std::optional<codec::Url> next =
        http::parseLocation(currentUrl_, *head.find("Location"), parseError);
    if (!next) {
      fail({ErrorCode::ProtocolError,
            "a redirect without a usable Location from " + currentUrl_.toString(false)});
    } else if (++redirects_ > kMaxRedirects) {
      fail({ErrorCode::TooManyRedirects, "more than " + std::to_string(kMaxRedirects) +
                                             " redirects from " +
                                             parts_.front().url.toString(false)});
    } else {
      currentUrl_ = std::move(*next);
      later([this] { sendPart(); });  // a fresh connection: this one closes now
    }
    return false;
  }
  if (head.status == 503 || head.status == 429) {
    // BEP 17: the body is the seconds to wait; anyone may send Retry-After.
    retryError_ = http::httpStatusError(head.status, currentUrl_);
    retryAfter_ = std::chrono::milliseconds{0};
    if (const std::string* value = head.find("Retry-After")) {
      if (auto seconds = parseRetryAfterSeconds(*value)) {
        retryAfter_ = *seconds;
      }
    }
    if (style_ == bt::WebSeedStyle::Hoffman && head.status == 503 &&
        (!head.contentLength || *head.contentLength <= kMaxRetryBody)) {
      readingRetryBody_ = true;
      return true;
    }
    fail(retryError_, retryAfter_);
    return false;
  }
  if (std::optional<Error> wrong = checkHead(head)) {
    const bool fatal = wrong->code == ErrorCode::RemoteChanged;
    fail(std::move(*wrong), std::chrono::milliseconds{0}, fatal);
    return false;
  }
  return true;
}

bool HttpWebSeedClient::onBody(std::span<const char> bytes) {
  if (readingRetryBody_) {
    if (bytes.size() > kMaxRetryBody - retryBody_.size()) {
      fail(retryError_, retryAfter_);
      return false;
    }
    retryBody_.append(bytes.data(), bytes.size());
    return true;
  }
  const Part& part = parts_.front();
  if (bytes.size() > part.length - received_) {
    fail({ErrorCode::ProtocolError, currentUrl_.toString(false) + " sent more than the " +
                                        std::to_string(part.length) + " bytes asked for"});
    return false;
  }
  // Only [skipFront, skipFront + keep) of what the server sends is asked for.
  const std::uint64_t from = std::max(received_, part.skipFront);
  const std::uint64_t to = std::min(received_ + bytes.size(), part.skipFront + part.keep);
  const std::uint64_t at = received_;
  received_ += bytes.size();
  if (from >= to) {
    return true;
  }
  return deliver(std::as_bytes(
      bytes.subspan(static_cast<std::size_t>(from - at), static_cast<std::size_t>(to - from))));
}

void HttpWebSeedClient::onEnd(Result<void> result) {
  if (!result) {
    fail(result.error());
    return;
  }
  if (readingRetryBody_) {
    if (auto seconds = parseRetryAfterSeconds(retryBody_)) {
      retryAfter_ = *seconds;
      retryError_.detail += " (busy: retry in " + std::to_string(seconds->count()) + " s)";
    }
    fail(retryError_, retryAfter_);
    return;
  }
  if (received_ != parts_.front().length) {
    fail({ErrorCode::ProtocolError, currentUrl_.toString(false) + " ended after " +
                                        std::to_string(received_) + " of " +
                                        std::to_string(parts_.front().length) + " bytes"});
    return;
  }
  parts_.pop_front();
  advance();  // the connection is idle again: the next request can go out on it
}

void HttpWebSeedClient::fail(Error error, std::chrono::milliseconds retryAfter, bool fatal) {
  parts_.clear();
  bt::WebSeedOutcome outcome{std::move(error), retryAfter, fatal};
  auto shared = std::make_shared<bt::WebSeedOutcome>(std::move(outcome));
  later([this, shared] { finish(std::move(*shared)); });
}

void HttpWebSeedClient::finish(bt::WebSeedOutcome outcome) {
  std::shared_ptr<Handler> handler = std::move(handler_);
  handler_.reset();
  active_ = false;
  ++generation_;
  parts_.clear();
  if (handler && handler->onEnd) {
    handler->onEnd(std::move(outcome));  // may start the next fetch
  }
}

}  // namespace tributary::hybrid
