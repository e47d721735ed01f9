// Internal to the metainfo parser: the pieces Metainfo.cpp (the whole file and
// its tracker lists) and MetainfoInfo.cpp (the info dictionary) share.
#pragma once

#include <string>
#include <string_view>

#include "engine/api/Error.h"
#include "engine/bt/Metainfo.h"
#include "engine/codec/Bencode.h"

namespace tributary::bt::detail {

inline Error torrentError(std::string detail) {
  return Error{ErrorCode::InvalidTorrent, std::move(detail)};
}

// Fills the info fields of `out` (everything but trackers, seeds and the texts
// around the info dictionary) from a decoded info dictionary.
Result<void> parseInfo(const codec::BencodeValue& info, const MetainfoLimits& limits,
                       Metainfo& out);

// The "<key>.utf-8" variant when it is a string of valid UTF-8, else "<key>".
std::optional<std::string_view> preferUtf8(const codec::BencodeValue& dict, std::string_view key);

}  // namespace tributary::bt::detail
