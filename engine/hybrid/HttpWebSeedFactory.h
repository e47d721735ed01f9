// Internal: the web-seed clients the session installs in bt::BtShared: one
// HttpWebSeedClient per seed URL of a torrent, on the torrent's loop.
#pragma once

#include "engine/bt/WebSeedClient.h"

namespace tributary::hybrid {

class HttpWebSeedFactory final : public bt::WebSeedFactory {
 public:
  // InvalidArgument for a URL that is not an absolute http(s) URL.
  Result<std::unique_ptr<bt::WebSeedClient>> create(const core::TaskContext& context,
                                                    std::shared_ptr<const bt::Metainfo> meta,
                                                    const bt::WebSeedParams& params) override;
};

}  // namespace tributary::hybrid
