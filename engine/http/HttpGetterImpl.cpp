#include "engine/http/HttpGetterImpl.h"

#include <algorithm>
#include <set>
#include <span>
#include <utility>

#include "engine/codec/Url.h"
#include "engine/http/HeaderValues.h"
#include "engine/http/HttpConnection.h"
#include "engine/http/RequestWriter.h"
#include "engine/loop/Timer.h"

namespace tributary::http {

namespace {

bool isRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

// One get: its hops, its deadline and its callback. Owned by the getter's
// table while running; Requests hold weak references.
class HttpGetterImpl::Fetch final : public core::HttpGetter::Operation {
 public:
  Fetch(HttpGetterImpl& owner, core::HttpGetRequest request, Callback callback)
      : owner_(owner),
        request_(std::move(request)),
        callback_(std::move(callback)),
        deadline_(owner.loop_),
        hop_(owner.loop_) {}

  void start() {
    deadline_.start(request_.timeout, std::chrono::milliseconds{0}, [this] {
      finish(Error{ErrorCode::Timeout, "no complete answer from " + request_.url + " in " +
                                           std::to_string(request_.timeout.count()) + " ms"});
    });
    Result<codec::Url> url = codec::parseUrl(request_.url);
    if (!url) {
      finishLater(url.error());
      return;
    }
    url_ = std::move(url.value());
    // On a fresh stack: the caller holds no callback of ours yet.
    hop_.start(std::chrono::milliseconds{0}, std::chrono::milliseconds{0}, [this] { open(); });
  }

  void cancel() override {
    if (done_) {
      return;
    }
    done_ = true;
    Callback dropped = std::move(callback_);
    owner_.forget(this);  // may destroy this; `dropped` dies after, on the loop thread
  }

 private:
  void open() {
    if (url_.isHttps() && !owner_.tls_) {
      finish(Error{ErrorCode::TlsFailure, "no TLS context for " + url_.toString(false)});
      return;
    }
    RequestOptions options;
    options.userAgent = owner_.options_.userAgent;
    options.keepAlive = false;  // one request per connection: the server may close at once
    options.extraFields = request_.headers;
    Result<std::string> head = writeRequestHead(url_, options);
    if (!head) {
      finish(head.error());
      return;
    }
    ConnectionOptions connection;
    connection.tls = owner_.tls_;
    connection.connectTimeout = std::min(owner_.options_.connectTimeout, request_.timeout);
    connection.readTimeout = request_.timeout;
    connection.headTimeout = request_.timeout;
    connection_ = std::make_unique<HttpConnection>(
        owner_.loop_, owner_.resolver_, Origin{url_.scheme, url_.host, url_.port}, connection);
    HttpConnection::Handler handler;
    handler.onHead = [this](const ResponseHead& h) { return onHead(h); };
    handler.onBody = [this](std::span<const char> bytes) { return onBody(bytes); };
    handler.onEnd = [this](Result<void> result) { onEnd(std::move(result)); };
    connection_->send(std::move(head.value()), false, std::move(handler));
  }

  bool onHead(const ResponseHead& head) {
    if (isRedirect(head.status) && head.find("Location") != nullptr) {
      followRedirect(*head.find("Location"));
      return false;  // the connection closes; the next hop runs on a fresh stack
    }
    if (head.contentLength && *head.contentLength > request_.maxBodyBytes) {
      finish(bodyTooLarge());
      return false;
    }
    response_.status = head.status;
    response_.headers.clear();
    for (const HeaderField& field : head.fields) {
      response_.headers.emplace_back(field.name, field.value);
    }
    response_.finalUrl = url_.toString(false);
    return true;
  }

  bool onBody(std::span<const char> bytes) {
    if (bytes.size() > request_.maxBodyBytes - response_.body.size()) {
      finish(bodyTooLarge());
      return false;
    }
    response_.body.append(bytes.data(), bytes.size());
    return true;
  }

  void onEnd(Result<void> result) {
    if (!result) {
      finish(result.error());
      return;
    }
    finish(std::move(response_));
  }

  void followRedirect(const std::string& location) {
    codec::UrlParseError parseError;
    std::optional<codec::Url> next = parseLocation(url_, location, parseError);
    Error error;
    if (!next) {
      error = {ErrorCode::ProtocolError,
               "a redirect without a usable Location from " + url_.toString(false)};
    } else if (visited_.insert(url_.toString()), visited_.count(next->toString()) > 0) {
      error = {ErrorCode::RedirectLoop, "redirect loop at " + next->toString(false)};
    } else if (++redirects_ > request_.maxRedirects) {
      error = {ErrorCode::TooManyRedirects, "more than " + std::to_string(request_.maxRedirects) +
                                                " redirects from " + request_.url};
    } else {
      url_ = std::move(*next);
      hop_.start(std::chrono::milliseconds{0}, std::chrono::milliseconds{0}, [this] { open(); });
      return;
    }
    finishLater(std::move(error));
  }

  Error bodyTooLarge() const {
    return {ErrorCode::ProtocolError, "a body over " + std::to_string(request_.maxBodyBytes) +
                                          " bytes from " + url_.toString(false)};
  }

  // For a failure found where the caller (or a connection handler that is
  // about to return false) must not see the callback run.
  void finishLater(Error error) {
    pendingError_ = std::move(error);
    hop_.start(std::chrono::milliseconds{0}, std::chrono::milliseconds{0},
               [this] { finish(std::move(pendingError_)); });
  }

  void finish(Result<core::HttpGetResponse> result) {
    if (done_) {
      return;
    }
    done_ = true;
    Callback callback = std::move(callback_);
    owner_.forget(this);  // destroys this (and its connection): only locals from here
    if (callback) {
      callback(std::move(result));
    }
  }

  HttpGetterImpl& owner_;
  core::HttpGetRequest request_;
  Callback callback_;
  codec::Url url_;
  std::set<std::string> visited_;
  unsigned redirects_ = 0;
  loop::Timer deadline_;
  loop::Timer hop_;  // the next step, on a fresh stack
  std::unique_ptr<HttpConnection> connection_;
  core::HttpGetResponse response_;
  Error pendingError_;
  bool done_ = false;
};

HttpGetterImpl::HttpGetterImpl(loop::EventLoop& loop, loop::Resolver& resolver,
                               std::shared_ptr<net::TlsContext> tls, HttpGetterOptions options)
    : loop_(loop), resolver_(resolver), tls_(std::move(tls)), options_(std::move(options)) {}

HttpGetterImpl::~HttpGetterImpl() {
  // Callbacks are destroyed unrun; a Fetch must not reach back into a half-gone getter.
  auto active = std::move(active_);
  active_.clear();
  active.clear();
}

core::HttpGetter::Request HttpGetterImpl::get(core::HttpGetRequest request, Callback callback) {
  loop_.assertInLoopThread();
  auto fetch = std::make_shared<Fetch>(*this, std::move(request), std::move(callback));
  Fetch* raw = fetch.get();
  active_.emplace(raw, fetch);
  raw->start();
  return Request(std::weak_ptr<Operation>(fetch));
}

void HttpGetterImpl::forget(Fetch* fetch) {
  const auto it = active_.find(fetch);
  if (it == active_.end()) {
    return;
  }
  std::shared_ptr<Fetch> last = std::move(it->second);
  active_.erase(it);
  // `last` may be the final reference: the Fetch dies here, after the table is consistent.
}

}  // namespace tributary::http
