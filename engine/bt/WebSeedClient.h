// Internal: what a torrent asks of one web seed: a range of the torrent's
// bytes, in order (a run of whole pieces, or the missing blocks of a piece
// started elsewhere). A web seed is an HTTP server holding the torrent's files
// (BEP 19 url-list, a magnet's ws=, a mirror the user gave) or a BEP 17 seed
// script (httpseeds). engine/bt declares the seam and drives it
// (TorrentWebSeeds.cpp); engine/hybrid implements it over HTTP, since bt must
// not include engine/http; tests put a fake behind it.
//
// Every byte delivered still goes through the torrent's piece buffers and
// SHA-1 check: a client only has to refuse what is plainly wrong (a server
// that ignores Range, a wrong Content-Range, too many or too few bytes).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "engine/api/Error.h"
#include "engine/core/Task.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::bt {

struct Metainfo;

enum class WebSeedStyle : std::uint8_t {
  GetRight,  // BEP 19: the files themselves, fetched with Range requests
  Hoffman,   // BEP 17: "url?info_hash=...&piece=N", one piece per request
};

// How one fetch ended.
struct WebSeedOutcome {
  Result<void> result;  // ok: every byte of the range was delivered
  // The server is busy and asked for this pause before the next request
  // (BEP 17's 503 with a retry time, Retry-After): a wait, not counted as a
  // failure. 0 = a failure, retried after the task's own back-off.
  std::chrono::milliseconds retryAfter{0};
  // The server's copy cannot be the torrent's (a file of another size):
  // trying again cannot help, so the seed is dropped at once.
  bool fatal = false;
};

class WebSeedClient {
 public:
  struct Handler {
    // The range's bytes in order, from its first byte; valid during the call only.
    util::UniqueFunction<void(std::span<const std::byte>)> onData;
    // Once, after the last onData: the whole range arrived, or why not.
    util::UniqueFunction<void(WebSeedOutcome)> onEnd;
  };

  // Cancels what is in flight: no handler runs after the destructor starts.
  virtual ~WebSeedClient() = default;

  // The torrent's bytes [offset, offset + length), which the caller keeps
  // inside the torrent. One fetch at a time; the handlers run on the task's
  // loop, never from inside fetch() or cancel().
  virtual void fetch(std::uint64_t offset, std::uint64_t length, Handler handler) = 0;
  // Drops the fetch in flight; none of its handlers runs after this returns.
  virtual void cancel() = 0;
  // Rate limits: stop reading the server until resumed (TCP then slows it).
  virtual void pauseReading() = 0;
  virtual void resumeReading() = 0;
};

struct WebSeedParams {
  std::string url;
  WebSeedStyle style = WebSeedStyle::GetRight;
  std::string userAgent;   // empty = the engine's default
  std::string caCertFile;  // trusted in addition to the system store
};

// Installed in BtShared by the session; null there means no web seeds (unit
// tests of the torrent task without HTTP).
class WebSeedFactory {
 public:
  virtual ~WebSeedFactory() = default;
  // On the task's loop; the client lives there and goes before the context's
  // objects do. An error for a URL no client can use (not http(s), bad syntax).
  virtual Result<std::unique_ptr<WebSeedClient>> create(const core::TaskContext& context,
                                                        std::shared_ptr<const Metainfo> meta,
                                                        const WebSeedParams& params) = 0;
};

}  // namespace tributary::bt
