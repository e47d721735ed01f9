#include "engine/session/SourceClassifier.h"

#include <algorithm>
#include <cctype>
#include <string>

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

}  // namespace tributary::session
