// Web seeds: HTTP servers that hold the torrent's files (BEP 19 url-list, a
// magnet's ws=, the user's mirrors) or serve its pieces (BEP 17 httpseeds).
//
// Each seed fetches a run of pieces at a time (which ones: the task's
// SourcePolicy, TorrentWebSeedRuns.cpp). Its blocks are claimed in the
// picker under the seed's own key, so peers leave them alone until endgame;
// its bytes take the same
// road as a peer's blocks (piece buffer, SHA-1 on the pool, then the disk),
// so nothing that fails its hash is written. A piece from a seed that fails
// its hash drops the seed: HTTP does not garble bytes, the server's file is
// wrong. Other failures are retried with back-off until kMaxFailures in a row.
//
// The task's origin URL (AddParams::alsoFrom) is one more seed, listed first;
// only its role differs: its bytes count as HTTP, the others' as CDN. A
// server whose file has another size than the torrent's is dropped at its
// first answer (WebSeedOutcome::fatal), the origin included.
#include <algorithm>
#include <cstring>
#include <set>

#include "engine/bt/TorrentTask.h"
#include "engine/util/Log.h"

namespace tributary::bt {
namespace {

// A torrent that lists hundreds of web seeds gets the first few.
constexpr std::size_t kMaxWebSeeds = 16;

}  // namespace

void TorrentTask::setUpWebSeeds() {
  if (!shared_->webSeeds) {
    return;  // no HTTP in this engine (unit tests)
  }
  struct Listed {
    std::string url;
    WebSeedStyle style;
    WebSeed::Role role;
  };
  std::vector<Listed> urls;
  std::set<std::string> seen;
  const auto add = [&](const std::string& url, WebSeedStyle style,
                       WebSeed::Role role = WebSeed::Role::Cdn) {
    if (!url.empty() && urls.size() < kMaxWebSeeds && seen.insert(url).second) {
      urls.push_back({url, style, role});
    }
  };
  // The origin first: if it is in the url-list too, it still counts as HTTP.
  add(params_.alsoFrom, WebSeedStyle::GetRight, WebSeed::Role::Origin);
  for (const std::string& url : params_.mirrors) {
    add(url, WebSeedStyle::GetRight);  // the user's own first
  }
  for (const std::string& url : meta_->webSeeds) {
    add(url, WebSeedStyle::GetRight);
  }
  for (const std::string& url : meta_->httpSeeds) {
    add(url, WebSeedStyle::Hoffman);
  }
  for (Listed& listed : urls) {
    WebSeedParams seedParams;
    seedParams.url = listed.url;
    seedParams.style = listed.style;
    seedParams.userAgent = params_.userAgent;
    seedParams.caCertFile = params_.caCertFile;
    // A magnet's origin meets its layout only now, with the metadata.
    std::optional<Error> misfit;
    if (listed.role == WebSeed::Role::Origin) {
      misfit = originLayoutError(*meta_, listed.url);
    }
    Result<std::unique_ptr<WebSeedClient>> client =
        misfit ? Result<std::unique_ptr<WebSeedClient>>(*misfit)
               : shared_->webSeeds->create(context_, meta_, seedParams);
    const core::PeerKey key = nextPeerKey_++;
    if (!client) {
      TLOG(Warning, "bt") << meta_->name << ": web seed " << listed.url
                          << " not used: " << client.error().toString();
      webSeeds_.push_back(std::make_unique<WebSeed>(key, std::move(listed.url), listed.style,
                                                    listed.role, nullptr, client.error()));
      continue;
    }
    webSeeds_.push_back(std::make_unique<WebSeed>(key, std::move(listed.url), listed.style,
                                                  listed.role, std::move(client.value())));
  }
}

WebSeed* TorrentTask::webSeedFor(core::PeerKey key) {
  for (auto& seed : webSeeds_) {
    if (seed->key() == key) {
      return seed.get();
    }
  }
  return nullptr;
}

void TorrentTask::runWebSeeds() {
  if (webSeeds_.empty() || phase_ != Phase::Running || paused_ || stopping_ || complete()) {
    return;
  }
  const std::uint64_t now = context_.loop->nowMs();
  for (auto& seed : webSeeds_) {
    if (!seed->ready(now)) {
      continue;
    }
    // Held back like a peer's new pieces: what is in memory must reach the
    // disk before another run joins it; only pieces that already hold a
    // buffer may be finished (or a seed-only task would stall on them).
    const bool overMemory = pieceMemory_ >= pieceMemoryCap();
    std::optional<WebSeed::Run> run = claimWebSeedRun(*seed, now, overMemory);
    if (!run) {
      continue;  // nothing for this one (its cap, its speed); another may race
    }
    seed->begin(*run);
    TLOG(Debug, "bt") << meta_->name << ": web seed " << seed->url() << " fetches bytes "
                      << run->begin << ".." << run->end << " (piece "
                      << run->begin / geometry_.pieceLength << ")";
    std::weak_ptr<char> alive = life_;
    const core::PeerKey key = seed->key();
    WebSeedClient::Handler handler;
    handler.onData = [this, alive, key](std::span<const std::byte> bytes) {
      if (!alive.expired()) {
        onWebSeedData(key, bytes);
      }
    };
    handler.onEnd = [this, alive, key](WebSeedOutcome outcome) {
      if (!alive.expired()) {
        onWebSeedEnd(key, std::move(outcome));
      }
    };
    seed->client().fetch(run->begin, run->end - run->begin, std::move(handler));
    if (downThrottled_) {
      seed->client().pauseReading();
    }
  }
}

void TorrentTask::onWebSeedData(core::PeerKey key, std::span<const std::byte> bytes) {
  WebSeed* seed = webSeedFor(key);
  if (seed == nullptr || !seed->fetching()) {
    return;
  }
  const std::uint64_t now = context_.loop->nowMs();
  const std::uint64_t from = seed->nextByte();
  const std::optional<std::size_t> taken = seed->take(
      bytes, geometry_.pieceLength,
      [this, seed](std::uint32_t piece, std::uint32_t offset, std::span<const std::byte> block) {
        takeWebSeedBlock(*seed, piece, offset, block);
      });
  if (!taken) {
    // The client counts what it asked for; this is a bug there, or a server
    // it failed to hold to its word. Nothing of it reaches a piece.
    seed->client().cancel();
    onWebSeedEnd(key, {Error{ErrorCode::ProtocolError,
                             seed->url() + " sent more bytes than the pieces asked for"},
                       std::chrono::milliseconds{0}});
    return;
  }
  // Bytes past a block that ended the fetch were dropped: not counted. Nor
  // are padding zeros from a file server (BEP 19): the client made them up.
  // A BEP 17 server sends whole pieces, padding included.
  const std::uint64_t padding =
      seed->style() == WebSeedStyle::GetRight ? paddingBytesIn(*meta_, from, from + *taken) : 0;
  const std::uint64_t sent = *taken - padding;
  if (sent > 0) {
    seed->countBytes(sent, now);
    downRate_.add(sent, now);
    if (!seed->origin()) {
      downloadedCdn_ += sent;  // the origin's are its own total (addWebSeedSnapshots)
    }
    chargeDownload(sent);
  }
  if (!seed->fetching()) {
    runWebSeeds();  // a peer overtook it (takeWebSeedBlock): on to other blocks
  }
}

void TorrentTask::takeWebSeedBlock(WebSeed& seed, std::uint32_t piece, std::uint32_t offset,
                                   std::span<const std::byte> bytes) {
  core::PiecePicker::BlockReceipt receipt = picker_.blockReceived(seed.key(), piece, offset);
  cancelDuplicates(receipt.cancel, piece, offset);
  if (!receipt.accepted) {
    wasted_ += bytes.size();  // a peer's copy came first, or the piece is had
    // In endgame peers race the seed's run, and an HTTP response cannot skip
    // what they won: left running, the seed would fetch all of it again. So
    // its fetch ends here; onWebSeedData gives it what nobody is fetching.
    seed.client().cancel();
    endWebSeedFetch(seed);
    return;
  }
  PieceBuffer& buffer = pieces_[piece];
  if (buffer.bytes.empty()) {
    buffer.bytes = takePieceBuffer(piece);
    pieceMemory_ += buffer.bytes.size();
  }
  std::memcpy(buffer.bytes.data() + offset, bytes.data(), bytes.size());
  if (buffer.blockSenders.empty()) {
    buffer.blockSenders.assign(picker_.blockCount(piece), 0);
  }
  buffer.blockSenders[offset / core::PiecePicker::kBlockSize] = seed.key();
  if (picker_.blockWritten(piece, offset)) {
    onPieceComplete(piece);
  }
}

void TorrentTask::onWebSeedEnd(core::PeerKey key, WebSeedOutcome outcome) {
  WebSeed* seed = webSeedFor(key);
  if (seed == nullptr || !seed->fetching()) {
    return;
  }
  endWebSeedFetch(*seed);
  if (!outcome.result) {
    const Error& why = outcome.result.error();
    if (outcome.fatal) {
      dropWebSeed(*seed, why);
      return;
    }
    if (outcome.retryAfter.count() > 0) {
      seed->busy(context_.loop->nowMs(), outcome.retryAfter);
      TLOG(Info, "bt") << meta_->name << ": web seed " << seed->url() << ": " << why.toString();
      return;
    }
    if (seed->failed(context_.loop->nowMs(), outcome.retryAfter)) {
      dropWebSeed(*seed, {why.code, why.detail + " (" + std::to_string(WebSeed::kMaxFailures) +
                                        " failures in a row)"});
      return;
    }
    TLOG(Info, "bt") << meta_->name << ": web seed " << seed->url() << ": " << why.toString()
                     << "; trying again later";
    return;  // the tick starts it again once its back-off is over
  }
  runWebSeeds();
}

void TorrentTask::endWebSeedFetch(WebSeed& seed) {
  seed.end();
  // Whatever of the run did not arrive is free for peers and other seeds;
  // blocks that did arrive stay in their piece buffers.
  picker_.peerGone(seed.key());
}

void TorrentTask::dropWebSeed(WebSeed& seed, Error why) {
  if (seed.dropped()) {
    return;
  }
  TLOG(Warning, "bt") << meta_->name << ": dropped web seed " << seed.url() << ": "
                      << why.toString();
  if (seed.fetching()) {
    seed.client().cancel();
    endWebSeedFetch(seed);
  }
  seed.drop(std::move(why));
  runWebSeeds();  // its pieces go to the others
}

void TorrentTask::stopWebSeeds() {
  for (auto& seed : webSeeds_) {
    if (seed->fetching()) {
      seed->client().cancel();
      endWebSeedFetch(*seed);
    }
  }
}

void TorrentTask::setWebSeedsReading(bool reading) {
  for (auto& seed : webSeeds_) {
    if (seed->fetching()) {
      if (reading) {
        seed->client().resumeReading();
      } else {
        seed->client().pauseReading();
      }
    }
  }
}

void TorrentTask::addWebSeedSnapshots(TaskSnapshot& task, TorrentSnapshot& torrent,
                                      std::uint64_t now) const {
  task.traffic.cdn = downloadedCdn_;
  task.sourcePolicy = params_.sourcePolicy;
  const bool capReached =
      params_.sourcePolicy.cdnByteCap != 0 &&
      context_.cdnBytesBefore + downloadedCdn_ >= params_.sourcePolicy.cdnByteCap;
  for (const auto& seed : webSeeds_) {
    if (seed->origin()) {
      task.traffic.http += seed->downloaded();
    }
    task.sources.push_back(seed->sourceSnapshot(now));
    if (!seed->origin() && !seed->dropped() && !seed->fetching() && capReached) {
      task.sources.back().errorDetail = "CDN byte cap reached";
    }
    if (seed->dropped()) {
      continue;
    }
    PeerSnapshot p = seed->peerSnapshot(now);
    if (auto piece = seed->currentPiece(geometry_.pieceLength)) {
      for (const FileSlice& slice : meta_->mapPiece(*piece)) {
        const TorrentFile& file = meta_->files[slice.fileIndex];
        if (!file.padding) {
          p.files += (p.files.empty() ? "" : ", ") + file.path;
        }
      }
    }
    torrent.peers.push_back(std::move(p));
  }
}

}  // namespace tributary::bt
