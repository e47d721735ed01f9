// A scripted core::HttpGetter for the tracker list tests: it records every
// URL asked for and answers through `script` on a later loop tick, or holds
// the request unanswered (a tracker that never replies). Loop thread only.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/HttpGetter.h"
#include "engine/loop/EventLoop.h"

namespace tributary::bt::test {

struct SeenGet {
  std::string url;
  std::chrono::steady_clock::time_point at;
};

class FakeHttpGetter final : public core::HttpGetter {
 public:
  // nullopt: never answer (until cancelled).
  using Script =
      std::function<std::optional<Result<core::HttpGetResponse>>(const std::string& url)>;

  explicit FakeHttpGetter(loop::EventLoop& loop) : loop_(loop) {}
  ~FakeHttpGetter() override { *alive_ = false; }

  Script script;

  Request get(core::HttpGetRequest request, Callback callback) override {
    seen_.push_back({request.url, std::chrono::steady_clock::now()});
    auto op = std::make_shared<Op>();
    op->url = request.url;
    op->callback = std::move(callback);
    ops_.push_back(op);
    std::optional<Result<core::HttpGetResponse>> answer =
        script ? script(request.url) : std::optional<Result<core::HttpGetResponse>>{};
    if (answer) {
      std::weak_ptr<Op> weak = op;
      loop_.post([weak, alive = alive_, answer = std::move(*answer)]() mutable {
        const std::shared_ptr<Op> o = weak.lock();
        if (!*alive || !o || o->cancelled || !o->callback) {
          return;
        }
        Callback cb = std::move(o->callback);
        o->finished = true;
        cb(std::move(answer));
      });
    }
    return Request(std::weak_ptr<Operation>(op));
  }

  // Answers the oldest request still held whose URL contains `part`, on a
  // later tick (a slow tracker that replies in the end); false if none is held.
  bool answerHeld(const std::string& part, Result<core::HttpGetResponse> answer) {
    for (const auto& op : ops_) {
      if (op->callback && !op->finished && !op->cancelled &&
          op->url.find(part) != std::string::npos) {
        op->finished = true;  // taken: a second call answers the next one
        std::weak_ptr<Op> weak = op;
        loop_.post([weak, alive = alive_, answer = std::move(answer)]() mutable {
          const std::shared_ptr<Op> o = weak.lock();
          if (!*alive || !o || !o->callback) {
            return;
          }
          Callback cb = std::move(o->callback);
          cb(std::move(answer));
        });
        return true;
      }
    }
    return false;
  }

  const std::vector<SeenGet>& seen() const { return seen_; }
  int cancelled() const {
    int n = 0;
    for (const auto& op : ops_) {
      n += op->cancelled ? 1 : 0;
    }
    return n;
  }

  static core::HttpGetResponse ok(std::string body) {
    core::HttpGetResponse r;
    r.status = 200;
    r.body = std::move(body);
    return r;
  }
  static core::HttpGetResponse status(int code, std::string body = {}) {
    core::HttpGetResponse r;
    r.status = code;
    r.body = std::move(body);
    return r;
  }

 private:
  struct Op final : Operation {
    void cancel() override {
      cancelled = !finished;
      callback = nullptr;
    }
    std::string url;
    Callback callback;
    bool cancelled = false;
    bool finished = false;
  };

  loop::EventLoop& loop_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::vector<SeenGet> seen_;
  std::vector<std::shared_ptr<Op>> ops_;
};

}  // namespace tributary::bt::test
