#include "engine/hybrid/HttpWebSeedFactory.h"

#include "engine/codec/Url.h"
#include "engine/hybrid/HttpWebSeedClient.h"

namespace tributary::hybrid {

Result<std::unique_ptr<bt::WebSeedClient>> HttpWebSeedFactory::create(
    const core::TaskContext& context, std::shared_ptr<const bt::Metainfo> meta,
    const bt::WebSeedParams& params) {
  if (context.loop == nullptr || context.resolver == nullptr || context.workers == nullptr ||
      !meta) {
    return Error{ErrorCode::Internal, "a web seed needs a loop, a resolver and a worker pool"};
  }
  Result<codec::Url> url = codec::parseUrl(params.url);
  if (!url) {
    return Error{ErrorCode::InvalidArgument,
                 "not a usable web seed URL (" + url.error().detail + ")"};
  }
  return std::unique_ptr<bt::WebSeedClient>(std::make_unique<HttpWebSeedClient>(
      context, std::move(meta), std::move(url.value()), params));
}

}  // namespace tributary::hybrid
