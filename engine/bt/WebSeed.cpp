#include "engine/bt/WebSeed.h"

#include <algorithm>
#include <utility>

#include "engine/bt/Metainfo.h"
#include "engine/codec/Url.h"

namespace tributary::bt {

std::optional<Error> originLayoutError(const Metainfo& meta, std::string_view url) {
  if (!meta.multiFile) {
    return std::nullopt;
  }
  auto parsed = codec::parseUrl(url);
  if (parsed && !parsed.value().path.empty() && parsed.value().path.back() == '/') {
    return std::nullopt;
  }
  return Error{ErrorCode::InvalidArgument,
               "the torrent has several files, so its origin URL must be a folder ending in '/' "
               "(the one holding \"" +
                   meta.name + "/\"), not " + std::string(url)};
}

std::uint64_t paddingBytesIn(const Metainfo& meta, std::uint64_t begin, std::uint64_t end) {
  if (begin >= end) {
    return 0;
  }
  // Files are in stream order: start at the last one beginning at or before
  // `begin`, so a torrent of many files costs a search, not a scan.
  const auto& files = meta.files;
  auto it = std::upper_bound(files.begin(), files.end(), begin,
                             [](std::uint64_t at, const TorrentFile& file) {
                               return at < static_cast<std::uint64_t>(file.offset);
                             });
  if (it != files.begin()) {
    --it;
  }
  std::uint64_t padding = 0;
  for (; it != files.end() && static_cast<std::uint64_t>(it->offset) < end; ++it) {
    if (!it->padding) {
      continue;
    }
    const auto fileBegin = static_cast<std::uint64_t>(it->offset);
    const std::uint64_t fileEnd = fileBegin + static_cast<std::uint64_t>(it->length);
    const std::uint64_t from = std::max(begin, fileBegin);
    const std::uint64_t to = std::min(end, fileEnd);
    if (from < to) {
      padding += to - from;
    }
  }
  return padding;
}

WebSeed::WebSeed(core::PeerKey key, std::string url, WebSeedStyle style, Role role,
                 std::unique_ptr<WebSeedClient> client, Error dropReason)
    : key_(key), url_(std::move(url)), style_(style), role_(role), client_(std::move(client)) {
  if (!client_) {
    drop(std::move(dropReason));
  }
}

WebSeed::~WebSeed() = default;

void WebSeed::begin(const Run& run) {
  run_ = run;
  next_ = run.begin;
  block_.clear();
  block_.reserve(core::PiecePicker::kBlockSize);
  gotBytes_ = false;
}

void WebSeed::end() {
  run_.reset();
  block_.clear();
}

bool WebSeed::failed(std::uint64_t nowMs, std::chrono::milliseconds retryAfter) {
  ++failures_;
  if (failures_ >= kMaxFailures) {
    return true;
  }
  // 1 s, 2 s, 4 s ... : a server that is down for a minute is not hammered,
  // one that hiccups once is back at once.
  const unsigned shift = std::min(failures_ - 1, 16u);
  std::chrono::milliseconds delay =
      std::min<std::chrono::milliseconds>(kMaxBackoff, kFirstBackoff * (std::int64_t{1} << shift));
  delay = std::max(delay, std::min(retryAfter, kMaxRetryAfter));
  retryAtMs_ = nowMs + static_cast<std::uint64_t>(delay.count());
  return false;
}

void WebSeed::busy(std::uint64_t nowMs, std::chrono::milliseconds retryAfter) {
  retryAtMs_ = nowMs + static_cast<std::uint64_t>(
                           std::clamp(retryAfter, kFirstBackoff, kMaxRetryAfter).count());
}

void WebSeed::drop(Error why) {
  dropped_ = true;
  dropReason_ = std::move(why);
  end();
}

void WebSeed::countBytes(std::uint64_t bytes, std::uint64_t nowMs) {
  meter_.add(bytes, nowMs);
}

std::optional<std::uint32_t> WebSeed::currentPiece(std::uint32_t pieceLength) const {
  if (!run_ || next_ >= run_->end) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(next_ / pieceLength);
}

SourceSnapshot WebSeed::sourceSnapshot(std::uint64_t nowMs) const {
  SourceSnapshot s;
  s.url = url_;
  s.kind = origin() ? SourceKind::Http : SourceKind::Cdn;
  if (dropped_) {
    s.state = SourceSnapshot::State::Dropped;
    s.error = dropReason_.code;
    s.errorDetail = dropReason_.detail;
  } else if (run_) {
    s.state = gotBytes_ ? SourceSnapshot::State::Active : SourceSnapshot::State::Connecting;
  } else {
    s.state = SourceSnapshot::State::Idle;
  }
  s.downloaded = meter_.total();
  s.downloadRate = dropped_ ? 0 : meter_.rate(nowMs);
  s.connections = run_ ? 1 : 0;
  return s;
}

PeerSnapshot WebSeed::peerSnapshot(std::uint64_t nowMs) const {
  PeerSnapshot p;
  p.address = url_;
  p.transport = PeerSnapshot::Transport::Web;
  p.source = PeerSource::WebSeed;
  p.client = origin()                          ? "Origin URL"
             : style_ == WebSeedStyle::Hoffman ? "HTTP seed (BEP 17)"
                                               : "Web seed (BEP 19)";
  p.flags = run_ ? "D" : "";
  p.progress = 1.0;  // a web seed serves the whole torrent
  p.relevance = 1.0;
  p.downloadRate = meter_.rate(nowMs);
  p.downloaded = meter_.total();
  return p;
}

}  // namespace tributary::bt
