// Internal: bt::WebSeedClient over our HTTP/1.1 client. A range of the
// torrent becomes a queue of requests sent one after another on one
// keep-alive connection: BEP 19, one Range request per file the range
// crosses (padding files are zeros made here); BEP 17, one request per piece
// (the piece's bytes outside the range are dropped).
//
// What a server sends is held to what was asked: a 206 whose Content-Range
// is exactly the range asked for, from a file of the torrent's size (a 200
// only when the whole file was asked for), and exactly that many bytes. A
// file of another size ends the fetch as fatal: the seed is dropped at once. A
// server that ignores Range, sends another range or too many or too few
// bytes fails the fetch before any wrong byte is delivered as data. BEP 17's
// 503 carries the seconds to wait in its body; Retry-After is read too.
// Redirects are followed (kMaxRedirects per request), each hop on a fresh
// connection.
//
// Lives on the task's loop; handlers run there, never from inside fetch() or
// cancel(), and the task may call cancel() or fetch() from inside them.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/bt/Metainfo.h"
#include "engine/bt/WebSeedClient.h"
#include "engine/codec/Url.h"
#include "engine/http/HttpConnection.h"
#include "engine/loop/Timer.h"
#include "engine/storage/JobSubmitter.h"

namespace tributary::hybrid {

class HttpWebSeedClient final : public bt::WebSeedClient {
 public:
  static constexpr unsigned kMaxRedirects = 5;
  // A BEP 17 503 body longer than this is not a retry time.
  static constexpr std::size_t kMaxRetryBody = 256;

  // The context's loop, resolver, worker pool and TLS cache outlive the client.
  HttpWebSeedClient(const core::TaskContext& context, std::shared_ptr<const bt::Metainfo> meta,
                    codec::Url seed, const bt::WebSeedParams& params);
  ~HttpWebSeedClient() override;
  HttpWebSeedClient(const HttpWebSeedClient&) = delete;
  HttpWebSeedClient& operator=(const HttpWebSeedClient&) = delete;

  void fetch(std::uint64_t offset, std::uint64_t length, Handler handler) override;
  void cancel() override;
  void pauseReading() override;
  void resumeReading() override;

 private:
  struct Part {
    codec::Url url;
    std::uint64_t offset = 0;  // in the file (BEP 19)
    std::uint64_t length = 0;  // what the server sends
    // BEP 17 sends whole pieces: the bytes of it before and after the range
    // asked for are dropped here.
    std::uint64_t skipFront = 0;
    std::uint64_t keep = 0;
    std::uint64_t fileLength = 0;
    bool ranged = true;  // BEP 19: a Range request; BEP 17: the piece's own URL
    bool padding = false;
  };

  // Runs `step` on a fresh stack, unless a cancel() comes first.
  void later(util::UniqueFunction<void()> step);
  // Delivers padding parts, sends the next request, or ends the fetch.
  void advance();
  void sendPart();
  bool onHead(const http::ResponseHead& head);
  bool onBody(std::span<const char> bytes);
  void onEnd(Result<void> result);
  // Ends the fetch with an error, reported from a fresh stack; `fatal` when
  // the seed cannot be the torrent's (WebSeedOutcome::fatal).
  void fail(Error error, std::chrono::milliseconds retryAfter = std::chrono::milliseconds{0},
            bool fatal = false);
  void finish(bt::WebSeedOutcome outcome);
  // False when the handler cancelled the fetch (or destroyed us) meanwhile.
  bool deliver(std::span<const std::byte> bytes);
  // Checks a response head against the part; nullopt when its body is the data.
  std::optional<Error> checkHead(const http::ResponseHead& head) const;
  http::HttpConnection& connectionFor(const codec::Url& url);
  // Runs `then` once a TLS context is at hand (the first https fetch of an
  // engine builds one on the worker pool).
  void withTls(util::UniqueFunction<void()> then);

  core::TaskContext context_;
  std::shared_ptr<const bt::Metainfo> meta_;
  codec::Url seed_;
  bt::WebSeedStyle style_;
  std::string userAgent_;
  std::vector<std::string> caFiles_;
  std::shared_ptr<net::TlsContext> tls_;
  bool tlsPending_ = false;
  storage::JobSubmitter jobs_;
  loop::Timer step_;
  util::UniqueFunction<void()> pendingStep_;
  std::unique_ptr<http::HttpConnection> connection_;

  std::shared_ptr<Handler> handler_;
  std::deque<Part> parts_;
  codec::Url currentUrl_;  // the front part's URL, after redirects
  unsigned redirects_ = 0;
  std::uint64_t received_ = 0;  // of the front part
  bool readingRetryBody_ = false;
  std::string retryBody_;
  std::chrono::milliseconds retryAfter_{0};
  Error retryError_;
  std::uint64_t generation_ = 0;  // bumped by every cancel and end
  bool active_ = false;
  bool paused_ = false;
  std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace tributary::hybrid
