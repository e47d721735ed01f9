// Rate limits of a torrent: its own and the engine's (net::RateLimiter holds
// both). Downloads are limited by reading: while the bucket is empty no peer
// is read, so the kernel's receive window fills and the senders slow down,
// without dropping requests. Uploads are limited before each block is read
// from disk, so nothing is read that cannot be sent.
#include <algorithm>

#include "engine/bt/TorrentTask.h"

namespace tributary::bt {
namespace {

constexpr std::uint64_t kSlice = 16 * 1024;  // wake for a block's worth, not a byte

}  // namespace

void TorrentTask::chargeDownload(std::uint64_t bytes) {
  downLimiter_.consume(bytes);
  const auto now = std::chrono::steady_clock::now();
  if (downThrottled_ || downLimiter_.quota(now, 1) > 0) {
    return;
  }
  downThrottled_ = true;
  for (auto& [key, peer] : peers_) {
    peer.connection->pauseReading();
  }
  setWebSeedsReading(false);
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
      downLimiter_.delayUntilAvailable(now, kSlice));
  downThrottle_.start(std::max(wait, std::chrono::milliseconds(1)), std::chrono::milliseconds(0),
                      [this] {
                        downThrottled_ = false;
                        for (auto& [key, peer] : peers_) {
                          peer.connection->resumeReading();
                        }
                        setWebSeedsReading(true);
                      });
}

bool TorrentTask::mayUpload(std::uint64_t bytes) {
  const auto now = std::chrono::steady_clock::now();
  if (upLimiter_.quota(now, bytes) >= bytes) {
    upLimiter_.consume(bytes);
    return true;
  }
  if (!upThrottle_.active()) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
        upLimiter_.delayUntilAvailable(now, bytes));
    upThrottle_.start(std::max(wait, std::chrono::milliseconds(1)), std::chrono::milliseconds(0),
                      [this] {
                        for (auto& [key, peer] : peers_) {
                          serveReads(peer);
                        }
                      });
  }
  return false;
}

}  // namespace tributary::bt
