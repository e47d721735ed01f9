#include "engine/bt/MagnetMetainfo.h"

namespace tributary::bt {
namespace {

void appendString(std::string& out, std::string_view text) {
  out += std::to_string(text.size());
  out += ':';
  out += text;
}

}  // namespace

std::string torrentFromInfo(std::string_view infoBytes, const std::vector<std::string>& trackers,
                            const std::vector<std::string>& webSeeds) {
  // Written by hand rather than through the encoder: the info dictionary
  // must go in byte for byte, as the info-hash covers exactly those bytes.
  // Keys in sorted order: announce, announce-list, info, url-list.
  std::string out = "d";
  if (!trackers.empty()) {
    appendString(out, "announce");
    appendString(out, trackers.front());
    appendString(out, "announce-list");
    out += 'l';
    for (const std::string& tracker : trackers) {
      out += 'l';
      appendString(out, tracker);
      out += 'e';
    }
    out += 'e';
  }
  appendString(out, "info");
  out += infoBytes;
  if (!webSeeds.empty()) {
    appendString(out, "url-list");
    out += 'l';
    for (const std::string& seed : webSeeds) {
      appendString(out, seed);
    }
    out += 'e';
  }
  out += 'e';
  return out;
}

Result<Metainfo> metainfoFromInfo(std::string_view infoBytes, const util::Sha1::Digest& infoHash,
                                  const std::vector<std::string>& trackers,
                                  const std::vector<std::string>& webSeeds) {
  auto parsed = parseMetainfo(torrentFromInfo(infoBytes, trackers, webSeeds));
  if (!parsed) {
    Error error = parsed.error();
    error.detail = "the metadata from the swarm is unusable: " + error.detail;
    return error;
  }
  if (parsed.value().infoHash != infoHash) {
    return Error{ErrorCode::InvalidTorrent, "the metadata from the swarm is for another torrent"};
  }
  return parsed;
}

}  // namespace tributary::bt
