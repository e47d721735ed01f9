// Internal: HTTP(S) announces and scrapes over core::HttpGetter (bt never
// sees engine/http: the session lends the getter). Builds the request URL,
// caps the body and the time, and parses the answer.
//
// A tracker that answers with a status other than 200 fails the request:
// with its "failure reason" when the body carries one (TrackerError), else
// with the HTTP status (HttpClientError / HttpServerError / HttpNotFound...).
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/api/Error.h"
#include "engine/bt/TrackerTypes.h"
#include "engine/core/HttpGetter.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::bt {

struct TrackerHttpOptions {
  std::chrono::milliseconds timeout{30000};
  std::size_t maxBodyBytes = kMaxTrackerBodyBytes;
};

class TrackerHttpClient {
 public:
  using AnnounceCallback = util::UniqueFunction<void(Result<AnnounceResponse>)>;
  using ScrapeCallback =
      util::UniqueFunction<void(Result<std::vector<std::pair<InfoHashV1, ScrapeInfo>>>)>;

  explicit TrackerHttpClient(core::HttpGetter& getter, TrackerHttpOptions options = {})
      : getter_(getter), options_(options) {}

  // An unusable URL is reported at once (the callback is then dropped
  // unrun); anything later through the callback, never inside the call.
  Result<core::HttpGetter::Request> announce(std::string_view announceUrl,
                                             const AnnounceParams& params,
                                             AnnounceCallback callback);
  // announceUrl is turned into the scrape URL (AnnounceRequest.h); NotSupported
  // when it does not follow the convention.
  Result<core::HttpGetter::Request> scrape(std::string_view announceUrl,
                                           std::span<const InfoHashV1> infoHashes,
                                           ScrapeCallback callback);

 private:
  core::HttpGetRequest requestFor(std::string url) const;

  core::HttpGetter& getter_;
  TrackerHttpOptions options_;
};

}  // namespace tributary::bt
