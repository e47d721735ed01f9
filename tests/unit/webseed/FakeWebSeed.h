// An in-memory bt::WebSeedFactory for the torrent task's web-seed tests: each
// client serves the torrent's bytes read from a folder at creation, in
// chunks that do not line up with blocks, one chunk per loop turn. A seed can
// serve corrupted bytes in a range of the torrent, or fail every fetch with
// a given error. Thread-safe where the test thread looks (counters, log).
// It serves "fake://..." and "http://fake.../" URLs (the latter for origins).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/bt/WebSeedClient.h"

namespace tributary::test {

struct FakeSeedBehaviour {
  // Bytes of the torrent [corruptBegin, corruptEnd) come with every bit flipped.
  std::uint64_t corruptBegin = 0;
  std::uint64_t corruptEnd = 0;
  // Not Ok: every fetch fails with this error before any byte.
  ErrorCode failWith = ErrorCode::Ok;
  std::size_t chunkBytes = 10'000;
  // Non-zero: the first fetch stops delivering after this many bytes and
  // hangs until cancelled (a pause or a removal must end it); later fetches run.
  std::uint64_t hangFirstFetchAfter = 0;
};

class FakeWebSeedFactory final : public bt::WebSeedFactory {
 public:
  // The content lives under `contentParent` as the metainfo's paths say.
  explicit FakeWebSeedFactory(std::string contentParent)
      : contentParent_(std::move(contentParent)) {}

  // Any thread, before the torrent is added.
  void setBehaviour(const std::string& url, FakeSeedBehaviour behaviour);

  Result<std::unique_ptr<bt::WebSeedClient>> create(const core::TaskContext& context,
                                                    std::shared_ptr<const bt::Metainfo> meta,
                                                    const bt::WebSeedParams& params) override;

  struct Fetch {
    std::string url;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
  };
  std::vector<Fetch> fetches();
  // Fetches started and not yet ended or cancelled, across every client.
  int inFlight() const { return inFlight_->load(); }
  int clientsAlive() const { return alive_->load(); }

 private:
  friend class FakeWebSeedClient;
  void record(const Fetch& fetch);

  std::string contentParent_;
  std::mutex mutex_;
  std::map<std::string, FakeSeedBehaviour> behaviours_;
  std::vector<Fetch> fetches_;
  std::shared_ptr<std::atomic<int>> inFlight_ = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<std::atomic<int>> alive_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace tributary::test
