#include "engine/session/SourceClassifier.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>

namespace tributary::session {
namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  return std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

}  // namespace

Result<TaskKind> classifySource(std::string_view source) {
  if (source.empty()) {
    return Error{ErrorCode::InvalidArgument, "empty source"};
  }
  if (startsWithNoCase(source, "http://") || startsWithNoCase(source, "https://")) {
    return TaskKind::Http;
  }
  if (startsWithNoCase(source, "magnet:")) {
    return TaskKind::Magnet;
  }
  // A scheme we do not speak (ftp://, file://) is refused here rather than
  // being mistaken for a local .torrent path.
  const auto colonSlashSlash = source.find("://");
  if (colonSlashSlash != std::string_view::npos && colonSlashSlash > 1) {
    return Error{ErrorCode::NotSupported,
                 "unsupported URL scheme: " + std::string(source.substr(0, colonSlashSlash))};
  }
  return TaskKind::Torrent;
}

Result<AddParams> pairSources(const AddParams& params) {
  if (params.alsoFrom.empty()) {
    return params;
  }
  Result<TaskKind> first = classifySource(params.source);
  if (!first) {
    return first.error();
  }
  Result<TaskKind> second = classifySource(params.alsoFrom);
  if (!second) {
    Error error = second.error();
    error.detail = "\"also download from\": " + error.detail;
    return error;
  }
  const bool firstIsUrl = first.value() == TaskKind::Http;
  const bool secondIsUrl = second.value() == TaskKind::Http;
  if (firstIsUrl && secondIsUrl) {
    // Two URLs have no piece hashes to check one against the other.
    return Error{ErrorCode::InvalidArgument,
                 "\"also download from\" needs a .torrent or magnet beside a URL; "
                 "a second URL of the same file is a mirror"};
  }
  if (!firstIsUrl && !secondIsUrl) {
    return Error{ErrorCode::InvalidArgument,
                 "\"also download from\" needs an http(s) URL beside a .torrent or magnet; "
                 "two torrents cannot be one task"};
  }
  AddParams paired = params;
  if (firstIsUrl) {
    std::swap(paired.source, paired.alsoFrom);
  }
  return paired;
}

}  // namespace tributary::session
