// Internal: one web seed of a torrent task: its HTTP client, the range of
// the torrent it is fetching and how far the bytes have come, its failures in a
// row and back-off, and what the UI shows of it. The task drives it
// (TorrentWebSeeds.cpp); this class only keeps the books.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Types.h"
#include "engine/bt/WebSeedClient.h"
#include "engine/core/PiecePicker.h"
#include "engine/core/RateMeter.h"

namespace tributary::bt {

struct Metainfo;

// Why `url` cannot be the origin URL (AddParams::alsoFrom) of `meta`, or
// nullopt when it can: a multi-file torrent's origin is the folder holding
// its top folder, so its path ends in '/' (BEP 19). Other checks (scheme,
// syntax) are the client's.
std::optional<Error> originLayoutError(const Metainfo& meta, std::string_view url);

// Bytes of BEP 47 padding files in the torrent bytes [begin, end). They are
// zeros no server sends (the client makes them up), so they are nobody's
// traffic: not CDN, not HTTP, not the seed's rate.
std::uint64_t paddingBytesIn(const Metainfo& meta, std::uint64_t begin, std::uint64_t end);

class WebSeed {
 public:
  // Failures in a row (no byte in between) before the seed is dropped.
  static constexpr unsigned kMaxFailures = 5;
  static constexpr std::chrono::milliseconds kFirstBackoff{1000};
  static constexpr std::chrono::milliseconds kMaxBackoff{60000};
  // A server's own retry time (BEP 17's 503) is honoured up to this.
  static constexpr std::chrono::milliseconds kMaxRetryAfter{600000};

  // Torrent bytes [begin, end): whole pieces, or blocks of one piece; begin
  // is on a block boundary.
  struct Run {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
  };

  // What the seed is to the task: its bytes count as HTTP for the origin
  // (AddParams::alsoFrom), as CDN for every other web seed and mirror.
  enum class Role : std::uint8_t { Cdn, Origin };

  // `client` null: a seed dropped from the start (`dropReason` says why).
  WebSeed(core::PeerKey key, std::string url, WebSeedStyle style, Role role,
          std::unique_ptr<WebSeedClient> client, Error dropReason = {ErrorCode::Ok, {}});
  ~WebSeed();
  WebSeed(const WebSeed&) = delete;
  WebSeed& operator=(const WebSeed&) = delete;

  core::PeerKey key() const { return key_; }
  const std::string& url() const { return url_; }
  WebSeedStyle style() const { return style_; }
  bool origin() const { return role_ == Role::Origin; }
  WebSeedClient& client() { return *client_; }

  // Bytes of the current run still to come (0 when not fetching).
  std::uint64_t bytesComing() const { return run_ ? run_->end - next_ : 0; }
  bool dropped() const { return dropped_; }
  bool fetching() const { return run_.has_value(); }
  // Not dropped, not fetching, and its back-off is over.
  bool ready(std::uint64_t nowMs) const { return !dropped_ && !run_ && nowMs >= retryAtMs_; }
  const std::optional<Run>& run() const { return run_; }
  // The torrent byte the next delivered byte is (within run()).
  std::uint64_t nextByte() const { return next_; }
  bool covers(std::uint32_t piece, std::uint32_t pieceLength) const {
    const std::uint64_t begin = std::uint64_t{piece} * pieceLength;
    return run_ && begin < run_->end && begin + pieceLength > run_->begin;
  }

  // A fetch of `run` begins (the caller claimed its blocks in the picker).
  void begin(const Run& run);
  // The next `bytes` of the run, cut at 16 KiB block boundaries (as the
  // picker counts blocks): `onBlock(piece, offset, bytes)` runs for every
  // block completed. Returns how many bytes were taken: all of them, unless
  // an onBlock ended the fetch (end()), which drops the rest. nullopt (and
  // nothing taken) when the bytes would go past the run's end: the server
  // sent more than asked for.
  template <class OnBlock>
  std::optional<std::size_t> take(std::span<const std::byte> bytes, std::uint32_t pieceLength,
                                  OnBlock&& onBlock);
  // The fetch is over (done, failed or cancelled): the run and any half
  // block are forgotten.
  void end();
  // Counts a failure and sets the back-off; true when the seed has failed
  // kMaxFailures times in a row and should be dropped.
  bool failed(std::uint64_t nowMs, std::chrono::milliseconds retryAfter);
  // The server is busy and said when to come back (BEP 17's 503): a wait,
  // not a failure, so a throttling server is never dropped for it.
  void busy(std::uint64_t nowMs, std::chrono::milliseconds retryAfter);
  void drop(Error why);

  // Bytes the seed delivered (all of them, duplicates included; padding
  // zeros are not delivered, see paddingBytesIn).
  void countBytes(std::uint64_t bytes, std::uint64_t nowMs);
  std::uint64_t downloaded() const { return meter_.total(); }
  std::uint64_t rate(std::uint64_t nowMs) const { return meter_.rate(nowMs); }
  const Error& dropReason() const { return dropReason_; }
  // The run's first piece not yet fully delivered, for the peer list's "files".
  std::optional<std::uint32_t> currentPiece(std::uint32_t pieceLength) const;

  SourceSnapshot sourceSnapshot(std::uint64_t nowMs) const;
  PeerSnapshot peerSnapshot(std::uint64_t nowMs) const;

 private:
  core::PeerKey key_;
  std::string url_;
  WebSeedStyle style_;
  Role role_;
  std::unique_ptr<WebSeedClient> client_;
  std::optional<Run> run_;
  std::uint64_t next_ = 0;        // the torrent byte the next delivered byte is
  std::vector<std::byte> block_;  // a block's bytes so far, until it is whole
  unsigned failures_ = 0;
  std::uint64_t retryAtMs_ = 0;
  bool dropped_ = false;
  bool gotBytes_ = false;  // in the current fetch
  Error dropReason_{ErrorCode::Ok, {}};
  core::RateMeter meter_;
};

template <class OnBlock>
std::optional<std::size_t> WebSeed::take(std::span<const std::byte> bytes,
                                         std::uint32_t pieceLength, OnBlock&& onBlock) {
  if (!run_ || bytes.size() > run_->end - next_) {
    return std::nullopt;
  }
  const std::size_t given = bytes.size();
  if (!bytes.empty()) {
    gotBytes_ = true;
  }
  while (!bytes.empty()) {
    const auto piece = static_cast<std::uint32_t>(next_ / pieceLength);
    const std::uint64_t pieceBegin = std::uint64_t{piece} * pieceLength;
    const std::uint64_t pieceEnd = std::min(pieceBegin + pieceLength, run_->end);
    const auto inPiece = static_cast<std::uint32_t>(next_ - pieceBegin);
    const std::uint32_t blockOffset = inPiece - inPiece % core::PiecePicker::kBlockSize;
    const std::uint64_t blockEnd =
        std::min<std::uint64_t>(pieceBegin + blockOffset + core::PiecePicker::kBlockSize, pieceEnd);
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), blockEnd - next_));
    block_.insert(block_.end(), bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    bytes = bytes.subspan(n);
    next_ += n;
    if (next_ == blockEnd) {
      // A whole block: the seed works. (A byte and a reset each time does
      // not count, or a hostile server would be retried for ever.)
      failures_ = 0;
      onBlock(piece, blockOffset, std::span<const std::byte>(block_));
      block_.clear();
      if (!run_) {
        return given - bytes.size();  // the block ended the fetch (the seed was stopped)
      }
    }
  }
  return given;
}

}  // namespace tributary::bt
