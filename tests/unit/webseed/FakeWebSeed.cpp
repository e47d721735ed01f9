#include "unit/webseed/FakeWebSeed.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "engine/bt/Metainfo.h"

namespace tributary::test {
namespace {

std::shared_ptr<const std::string> readTorrentBytes(const std::string& parent,
                                                    const bt::Metainfo& meta) {
  auto bytes = std::make_shared<std::string>();
  bytes->reserve(static_cast<std::size_t>(meta.totalLength));
  for (const bt::TorrentFile& file : meta.files) {
    if (file.padding) {
      bytes->append(static_cast<std::size_t>(file.length), '\0');
      continue;
    }
    std::ifstream in(parent + "/" + file.path, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    content.resize(static_cast<std::size_t>(file.length));  // a missing file reads as zeros
    bytes->append(content);
  }
  return bytes;
}

}  // namespace

class FakeWebSeedClient final : public bt::WebSeedClient {
 public:
  FakeWebSeedClient(loop::EventLoop& loop, std::shared_ptr<const std::string> bytes,
                    std::string url, FakeSeedBehaviour behaviour, FakeWebSeedFactory& factory)
      : loop_(loop),
        bytes_(std::move(bytes)),
        url_(std::move(url)),
        behaviour_(behaviour),
        factory_(factory),
        inFlight_(factory.inFlight_),
        alive_(factory.alive_) {
    ++*alive_;
  }
  ~FakeWebSeedClient() override {
    cancel();
    --*alive_;
  }

  void fetch(std::uint64_t offset, std::uint64_t length, Handler handler) override {
    cancel();
    factory_.record({url_, offset, length});
    handler_ = std::make_shared<Handler>(std::move(handler));
    next_ = std::min<std::uint64_t>(offset, bytes_->size());
    end_ = std::min<std::uint64_t>(offset + length, bytes_->size());
    active_ = true;
    ++*inFlight_;
    ++fetches_;
    schedule();
  }

  void cancel() override {
    if (active_) {
      active_ = false;
      --*inFlight_;
    }
    ++generation_;
    handler_.reset();
  }
  void pauseReading() override { paused_ = true; }
  void resumeReading() override {
    paused_ = false;
    if (active_ && stalled_) {
      stalled_ = false;
      schedule();
    }
  }

 private:
  void schedule() {
    loop_.post([this, life = std::weak_ptr<char>(life_), generation = generation_] {
      if (!life.expired() && generation == generation_) {
        step();
      }
    });
  }

  void step() {
    if (paused_) {
      stalled_ = true;
      return;
    }
    std::shared_ptr<Handler> handler = handler_;  // the handler may cancel us
    if (behaviour_.hangFirstFetchAfter > 0 && fetches_ == 1 &&
        delivered_ >= behaviour_.hangFirstFetchAfter) {
      return;  // hangs: only cancel() ends this fetch
    }
    if (behaviour_.failWith != ErrorCode::Ok) {
      finish({Error{behaviour_.failWith, "fake failure from " + url_}, {}});
      return;
    }
    const std::uint64_t n = std::min<std::uint64_t>(behaviour_.chunkBytes, end_ - next_);
    std::string chunk =
        bytes_->substr(static_cast<std::size_t>(next_), static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t at = next_ + i;
      if (at >= behaviour_.corruptBegin && at < behaviour_.corruptEnd) {
        chunk[static_cast<std::size_t>(i)] = static_cast<char>(~chunk[static_cast<std::size_t>(i)]);
      }
    }
    next_ += n;
    delivered_ += n;
    const std::uint64_t generation = generation_;
    std::weak_ptr<char> life = life_;
    handler->onData(std::as_bytes(std::span<const char>(chunk.data(), chunk.size())));
    if (life.expired() || generation != generation_) {
      return;
    }
    if (next_ >= end_) {
      finish({Result<void>{}, {}});
      return;
    }
    schedule();
  }

  void finish(bt::WebSeedOutcome outcome) {
    std::shared_ptr<Handler> handler = std::move(handler_);
    active_ = false;
    --*inFlight_;
    ++generation_;
    handler->onEnd(std::move(outcome));  // may start the next fetch
  }

  loop::EventLoop& loop_;
  std::shared_ptr<const std::string> bytes_;
  std::string url_;
  FakeSeedBehaviour behaviour_;
  FakeWebSeedFactory& factory_;
  std::shared_ptr<std::atomic<int>> inFlight_;
  std::shared_ptr<std::atomic<int>> alive_;
  std::shared_ptr<Handler> handler_;
  std::uint64_t next_ = 0;
  std::uint64_t end_ = 0;
  std::uint64_t generation_ = 0;
  std::uint64_t delivered_ = 0;
  unsigned fetches_ = 0;
  bool active_ = false;
  bool paused_ = false;
  bool stalled_ = false;
  std::shared_ptr<char> life_ = std::make_shared<char>();
};

void FakeWebSeedFactory::setBehaviour(const std::string& url, FakeSeedBehaviour behaviour) {
  std::lock_guard lock(mutex_);
  behaviours_[url] = behaviour;
}

void FakeWebSeedFactory::record(const Fetch& fetch) {
  std::lock_guard lock(mutex_);
  fetches_.push_back(fetch);
}

std::vector<FakeWebSeedFactory::Fetch> FakeWebSeedFactory::fetches() {
  std::lock_guard lock(mutex_);
  return fetches_;
}

Result<std::unique_ptr<bt::WebSeedClient>> FakeWebSeedFactory::create(
    const core::TaskContext& context, std::shared_ptr<const bt::Metainfo> meta,
    const bt::WebSeedParams& params) {
  // http://fake.*: an origin URL (AddParams::alsoFrom), which add() wants as http(s).
  if (params.url.rfind("fake://", 0) != 0 && params.url.rfind("http://fake.", 0) != 0) {
    return Error{ErrorCode::InvalidArgument, "not a fake:// URL: " + params.url};
  }
  FakeSeedBehaviour behaviour;
  {
    std::lock_guard lock(mutex_);
    if (auto it = behaviours_.find(params.url); it != behaviours_.end()) {
      behaviour = it->second;
    }
  }
  return std::unique_ptr<bt::WebSeedClient>(std::make_unique<FakeWebSeedClient>(
      *context.loop, readTorrentBytes(contentParent_, *meta), params.url, behaviour, *this));
}

}  // namespace tributary::test
