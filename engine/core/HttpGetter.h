// Internal: a one-shot HTTP(S) GET, as an interface, so code in the layers
// beside http (bt's trackers, later others) can fetch a small document without
// depending on engine/http. The session wires in http::HttpGetterImpl.
//
// One getter serves one loop: get() and the callback run on that loop's
// thread. The callback runs exactly once unless the request is cancelled, and
// never inside get(). Any final status is a response (the caller decides what
// a 404 means); transport failures, a body over the cap, too many redirects
// and the deadline are Errors.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/api/Error.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::core {

struct HttpGetRequest {
  std::string url;  // absolute http:// or https://
  // Sent with every request of the chain (after redirects too). Names must be
  // tokens and values free of CR, LF and NUL, or the get fails with InvalidArgument.
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t maxBodyBytes = std::size_t{1} << 20;  // more is an Error, not a truncation
  std::chrono::milliseconds timeout{30000};         // for the whole chain, redirects included
  unsigned maxRedirects = 5;
};

struct HttpGetResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // of the final response
  std::string body;
  std::string finalUrl;  // after redirects

  // The first header of that name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key.size() == name.size() &&
          std::equal(key.begin(), key.end(), name.begin(),
                     [](char a, char b) { return lower(a) == lower(b); })) {
        return &value;
      }
    }
    return nullptr;
  }

 private:
  static char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
};

class HttpGetter {
 public:
  using Callback = util::UniqueFunction<void(Result<HttpGetResponse>)>;

  // What an implementation keeps for one get: cancel() drops its callback
  // unrun (and destroys it at once) and stops its connection.
  class Operation {
   public:
    virtual ~Operation() = default;
    virtual void cancel() = 0;
  };

  // The cancel token: destroying or cancelling it cancels the get. Move-only;
  // empty when default-made. Loop thread only.
  class Request {
   public:
    Request() = default;
    explicit Request(std::weak_ptr<Operation> operation) : operation_(std::move(operation)) {}
    Request(Request&& other) noexcept : operation_(std::exchange(other.operation_, {})) {}
    Request& operator=(Request&& other) noexcept {
      if (this != &other) {
        cancel();
        operation_ = std::exchange(other.operation_, {});
      }
      return *this;
    }
    Request(const Request&) = delete;
    Request& operator=(const Request&) = delete;
    ~Request() { cancel(); }

    void cancel() {
      if (const std::shared_ptr<Operation> operation = std::exchange(operation_, {}).lock()) {
        operation->cancel();
      }
    }
    // The callback has neither run nor been cancelled.
    bool pending() const { return !operation_.expired(); }

   private:
    std::weak_ptr<Operation> operation_;
  };

  virtual ~HttpGetter() = default;
  [[nodiscard]] virtual Request get(HttpGetRequest request, Callback callback) = 0;
};

}  // namespace tributary::core
