#include "engine/bt/TrackerHttpClient.h"

#include <string>

#include "engine/bt/AnnounceRequest.h"
#include "engine/bt/TrackerHttpResponse.h"

namespace tributary::bt {

namespace {

Error statusError(int status, const std::string& url) {
  const std::string detail = "tracker " + url + " answered HTTP " + std::to_string(status);
  switch (status) {
    case 403:
      return {ErrorCode::HttpForbidden, detail};
    case 404:
      return {ErrorCode::HttpNotFound, detail};
    case 410:
      return {ErrorCode::HttpGone, detail};
    default:
      break;
  }
  return {status >= 500 ? ErrorCode::HttpServerError : ErrorCode::HttpClientError, detail};
}

// Parses a 200 answer; for any other status, the tracker's own failure reason
// beats the bare status when its body has one.
template <class Parse>
auto interpret(const core::HttpGetResponse& response, const std::string& url,
               const TrackerResponseLimits& limits, Parse parse)
    -> decltype(parse(response.body, limits)) {
  if (response.status == 200) {
    return parse(response.body, limits);
  }
  auto parsed = parse(response.body, limits);
  if (!parsed && parsed.error().code == ErrorCode::TrackerError) {
    return parsed.error();
  }
  return statusError(response.status, url);
}

}  // namespace

core::HttpGetRequest TrackerHttpClient::requestFor(std::string url) const {
  core::HttpGetRequest request;
  request.url = std::move(url);
  request.maxBodyBytes = options_.maxBodyBytes;
  request.timeout = options_.timeout;
  request.maxRedirects = 5;
  return request;
}

Result<core::HttpGetter::Request> TrackerHttpClient::announce(std::string_view announceUrl,
                                                              const AnnounceParams& params,
                                                              AnnounceCallback callback) {
  Result<std::string> url = buildAnnounceUrl(announceUrl, params);
  if (!url) {
    return url.error();
  }
  TrackerResponseLimits limits;
  limits.maxBodyBytes = options_.maxBodyBytes;
  return getter_.get(
      requestFor(std::move(url.value())),
      [callback = std::move(callback), limits,
       where = std::string(announceUrl)](Result<core::HttpGetResponse> got) mutable {
        if (!got) {
          callback(got.error());
          return;
        }
        callback(interpret(got.value(), where, limits,
                           [](std::string_view body, const TrackerResponseLimits& l) {
                             return parseHttpAnnounceResponse(body, l);
                           }));
      });
}

Result<core::HttpGetter::Request> TrackerHttpClient::scrape(std::string_view announceUrl,
                                                            std::span<const InfoHashV1> infoHashes,
                                                            ScrapeCallback callback) {
  const std::optional<std::string> scrapeUrl = scrapeUrlFor(announceUrl);
  if (!scrapeUrl) {
    return Error{ErrorCode::NotSupported, "no scrape URL for " + std::string(announceUrl)};
  }
  Result<std::string> url = buildScrapeUrl(*scrapeUrl, infoHashes);
  if (!url) {
    return url.error();
  }
  TrackerResponseLimits limits;
  limits.maxBodyBytes = options_.maxBodyBytes;
  return getter_.get(
      requestFor(std::move(url.value())),
      [callback = std::move(callback), limits,
       where = *scrapeUrl](Result<core::HttpGetResponse> got) mutable {
        if (!got) {
          callback(got.error());
          return;
        }
        callback(interpret(got.value(), where, limits,
                           [](std::string_view body, const TrackerResponseLimits& l) {
                             return parseHttpScrapeResponse(body, l);
                           }));
      });
}

}  // namespace tributary::bt
