// Internal: core::HttpGetter on our own client (HttpConnection, the loop's
// Resolver, TLS for https). One fresh connection per hop, closed after its
// response: trackers and other small documents are fetched minutes apart, so
// keeping connections alive would only hold sockets. Redirects (301, 302,
// 303, 307, 308) are followed up to the request's limit, refusing loops; the
// body is capped and the whole chain has one deadline.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "engine/core/HttpGetter.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/Resolver.h"
#include "engine/net/TlsContext.h"

namespace tributary::http {

struct HttpGetterOptions {
  std::string userAgent = "Tributary/0.1";
  std::chrono::milliseconds connectTimeout{15000};  // per address tried, within the deadline
};

class HttpGetterImpl final : public core::HttpGetter {
 public:
  // `tls` may be null: https URLs then fail with TlsFailure. The resolver and
  // the loop outlive the getter.
  HttpGetterImpl(loop::EventLoop& loop, loop::Resolver& resolver,
                 std::shared_ptr<net::TlsContext> tls, HttpGetterOptions options = {});
  ~HttpGetterImpl() override;  // cancels every get: no callback runs
  HttpGetterImpl(const HttpGetterImpl&) = delete;
  HttpGetterImpl& operator=(const HttpGetterImpl&) = delete;

  [[nodiscard]] Request get(core::HttpGetRequest request, Callback callback) override;

  // For a TLS context built later (off the loop): used by gets started after this.
  void setTlsContext(std::shared_ptr<net::TlsContext> tls) { tls_ = std::move(tls); }
  std::size_t activeCount() const { return active_.size(); }

 private:
  class Fetch;

  // Drops the getter's reference; the Fetch may be destroyed by this call.
  void forget(Fetch* fetch);

  loop::EventLoop& loop_;
  loop::Resolver& resolver_;
  std::shared_ptr<net::TlsContext> tls_;
  HttpGetterOptions options_;
  std::unordered_map<Fetch*, std::shared_ptr<Fetch>> active_;
};

}  // namespace tributary::http
