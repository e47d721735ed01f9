#include "engine/bt/TorrentTask.h"

#include <ctime>
#include <utility>

#include "engine/bt/TaskTrackers.h"
#include "engine/util/Log.h"

namespace tributary::bt {
std::shared_ptr<storage::TorrentStorage> TorrentTask::makeStorage(const core::TaskContext& context,
                                                                  const AddParams& params,
                                                                  const Metainfo& meta) {
  std::vector<storage::LayoutFile> files;
  files.reserve(meta.files.size());
  for (const TorrentFile& file : meta.files) {
    files.push_back({file.path, static_cast<std::uint64_t>(file.length), file.padding});
  }
  // The metainfo parser validated the paths and sizes; TorrentLayout checks
  // the paths again, so a failure here is a bug, reported as such.
  auto layout = storage::TorrentLayout::create(std::move(files),
                                               static_cast<std::uint64_t>(meta.pieceLength));
  if (!layout) {
    return nullptr;
  }
  auto storage = std::make_shared<storage::TorrentStorage>(
      context.fileIo, params.saveDir,
      std::make_shared<storage::TorrentLayout>(std::move(layout.value())));
  storage->bypassCacheForWrites(context.bypassCacheForPieces);
  return storage;
}

TorrentTask::TorrentTask(const core::TaskContext& context, const AddParams& params,
                         std::shared_ptr<const Metainfo> metainfo, std::shared_ptr<BtShared> shared)
    : context_(context),
      params_(params),
      meta_(std::move(metainfo)),
      shared_(std::move(shared)),
      storage_(makeStorage(context, params, *meta_)),
      jobs_(*context.loop, *context.workers),
      picker_(meta_->pieceCount(), static_cast<std::uint32_t>(meta_->pieceLength),
              static_cast<std::uint64_t>(meta_->totalLength)),
      needed_(meta_->pieceCount(), true),
      allPieces_(meta_->pieceCount(), true),
      tick_(*context.loop),
      // Quarter-second slots (an entry fires at most one slot plus one tick
      // late), 512 of them: a turn covers the longest timeout.
      timers_(250, 512, context.loop->nowMs()),
      downLimiter_(context.globalDownload, params.maxDownloadRate),
      upLimiter_(context.globalUpload, params.maxUploadRate),
      downThrottle_(*context.loop),
      upThrottle_(*context.loop),
      addedAtUnix_(static_cast<std::int64_t>(std::time(nullptr))) {
  geometry_.pieceCount = meta_->pieceCount();
  geometry_.pieceLength = static_cast<std::uint32_t>(meta_->pieceLength);
  geometry_.totalLength = static_cast<std::uint64_t>(meta_->totalLength);
  paused_ = params_.startPaused;
  completedReported_ = context_.finishedBefore;
  verifyUnclaimed_ = context_.uncleanShutdownBefore;
  if (verifyUnclaimed_ && context_.uncleanChecksOwed) {
    context_.uncleanChecksOwed->fetch_add(1);
  }
  filePriority_.assign(meta_->files.size(), 1);
  for (std::size_t i = 0; i < filePriority_.size() && i < params_.filePriorities.size(); ++i) {
    filePriority_[i] = std::min<std::uint8_t>(params_.filePriorities[i], 2);
  }
  if (storage_) {
    applyFilePriorities();
  }

  TorrentRegistry::Entry entry;
  entry.loop = context_.loop;
  std::weak_ptr<char> alive = life_;
  entry.accept =
      std::make_shared<util::UniqueFunction<void(std::unique_ptr<net::ByteStream>, Handshake)>>(
          [this, alive](std::unique_ptr<net::ByteStream> socket, Handshake theirs) {
            if (!alive.expired()) {
              acceptIncoming(std::move(socket), theirs);
            }
          });
  shared_->registry.add(meta_->infoHash, std::move(entry));
  setUpTrackers();
  setUpWebSeeds();
  if (shared_->dht && !meta_->isPrivate) {  // BEP 27: a private torrent's peers are the tracker's
    dht_ = std::make_unique<DhtAnnouncer>(*context_.loop, shared_, meta_->infoHash,
                                          [this](const std::vector<loop::SocketAddress>& peers) {
                                            addPeers(peers, PeerOrigin::Dht);
                                          });
  }
  if (shared_->lsd && !meta_->isPrivate) {  // BEP 27 again
    lsd_ = std::make_unique<LsdAnnouncer>(
        *context_.loop, shared_, meta_->infoHash,
        [this](const loop::SocketAddress& peer) { addPeers({peer}, PeerOrigin::Lsd); });
  }
}

void TorrentTask::setUpTrackers() {
  if (meta_->trackerTiers.empty()) {
    return;
  }
  TaskTrackers made = makeTaskTrackers(context_, *shared_, meta_->infoHash, meta_->trackerTiers,
                                       this, [this](const std::vector<loop::SocketAddress>& peers) {
                                         addPeers(peers, PeerOrigin::Tracker);
                                       });
  udpTrackers_ = std::move(made.udp);
  trackers_ = std::move(made.list);
  trackers_->setTotals([this] {
    TransferTotals totals;
    totals.uploaded = uploaded_;
    totals.downloaded = downloadedBt_;
    totals.left = geometry_.totalLength - verifiedBytes();
    return totals;
  });
}

void TorrentTask::stopTrackers(util::UniqueFunction<void()> then) {
  if (!trackers_ || !trackers_->running()) {
    then();
    return;
  }
  trackers_->stop(std::move(then));
}

TorrentTask::~TorrentTask() {
  shared_->registry.remove(meta_->infoHash);
  tick_.stop();
  webSeeds_.clear();  // their clients first: no handler of theirs runs after this
  peers_.clear();
}

void TorrentTask::start() {
  if (phase_ == Phase::Done && finalState_ != TaskState::Failed) {
    return;
  }
  paused_ = false;
  if (!storage_) {
    failTask({ErrorCode::Internal, "the torrent's file layout is unusable"});
    return;
  }
  if (phase_ == Phase::Done) {  // resumed after a failure: check again, then go on
    phase_ = Phase::Idle;
    finalState_ = TaskState::Queued;
    error_ = {};
  }
  if (phase_ == Phase::Idle) {
    startCheck();
    return;
  }
  if (phase_ == Phase::Running) {
    runningSinceMs_ = context_.loop->nowMs();
    tick_.start(kTick, kTick, [this] { onTick(); });
    if (trackers_ && !trackers_->running()) {
      trackers_->start();
    }
    connectMore();
    runWebSeeds();
  }
}

void TorrentTask::enterRunning() {
  if (stopping_) {
    return;
  }
  phase_ = Phase::Running;
  if (!complete()) {
    completedReported_ = false;  // a recheck lost pieces: their return is news
  }
  for (const std::string& text : params_.peers) {
    if (auto address = loop::SocketAddress::parseWithPort(text)) {
      addPeers({*address}, PeerOrigin::Manual);
    } else {
      TLOG(Warning, "bt") << "not a peer address (IP:port): " << text;
    }
  }
  if (complete()) {
    finishOrSeed();  // seeding, or done at once
    if (phase_ == Phase::Done) {
      return;
    }
  }
  if (paused_) {
    return;
  }
  runningSinceMs_ = context_.loop->nowMs();
  tick_.start(kTick, kTick, [this] { onTick(); });
  if (trackers_ && !trackers_->running()) {
    trackers_->start();
  }
  if (dht_) {
    dht_->poll();
  }
  if (lsd_) {
    lsd_->poll();
  }
  connectMore();
  runWebSeeds();
}

void TorrentTask::onTick() {
  if (phase_ != Phase::Running || paused_) {
    return;
  }
  const std::uint64_t now = context_.loop->nowMs();
  runPeerTimers();
  // Spares kept for a busier moment (more senders) go once the budget shrinks.
  while (!spareBuffers_.empty() &&
         pieceMemory_ + std::uint64_t{spareBuffers_.size()} * geometry_.pieceLength >
             pieceMemoryCap()) {
    spareBuffers_.pop_back();
  }
  senders_ = 0;
  for (const auto& [key, peer] : peers_) {
    const PeerConnection& c = *peer.connection;
    if (c.ready() && !c.closed() && peer.weInterested && !c.protocol().peerChoking()) {
      ++senders_;
    }
  }
  if (now - lastChokeMs_ >= kChokeIntervalMs) {
    runChoker();
  }
  for (auto& [key, peer] : peers_) {
    if (peer.connection->ready()) {
      if (auto rtt = peer.connection->networkRtt()) {
        peer.networkRttUs = static_cast<std::uint64_t>(rtt->count());
      }
      updateInterest(peer);
      requestMore(peer);
      serveReads(peer);
    }
  }
  sendPex(now);
  if (dht_ && !(complete() && !seeding_)) {
    dht_->poll();
  }
  if (lsd_) {
    lsd_->poll();  // subscribes once the listening port is known
  }
  connectMore();
  runWebSeeds();  // a seed whose back-off is over, or one held back by memory
  maybeSaveResume(now);
  const bool ratioReached =
      params_.seedRatio > 0 && static_cast<double>(uploaded_) >=
                                   params_.seedRatio * static_cast<double>(geometry_.totalLength);
  if (seeding_ && ((seedUntilMs_ != 0 && now >= seedUntilMs_) || ratioReached)) {
    seeding_ = false;
    phase_ = Phase::Done;
    finalState_ = TaskState::Completed;
    stopAll();
  }
}

void TorrentTask::finishOrSeed() {
  if (phase_ == Phase::Done) {
    return;
  }
  const bool seed = params_.seedTime.count() > 0 || params_.seedRatio > 0;
  stopWebSeeds();      // a fetch of pieces since skipped may still run
  spareBuffers_ = {};  // nothing more to assemble: a seed keeps no piece memory
  // Zero-length files get no piece: they are made now. No fsync here: the
  // page cache holds verified data like the disk does, and forcing 1 GiB out
  // would add seconds to every download (curl, aria2c and libtorrent do not
  // either). Resume data (its own issue) syncs before it claims a piece.
  std::weak_ptr<char> alive = life_;
  jobs_.submit([storage = storage_]() -> Result<void> { return storage->createEmptyFiles(); },
               [this, alive](Result<void> synced) {
                 if (alive.expired() || stopping_) {
                   return;  // removed or shutting down meanwhile: nothing to report
                 }
                 if (!synced) {
                   failTask(synced.error());
                   return;
                 }
                 saveResume();  // complete: the next start hashes nothing
                 // Once: a recheck that finds everything intact completes
                 // again, but neither the user nor the tracker hears of it.
                 if (completedReported_) {
                   return;
                 }
                 completedReported_ = true;
                 if (trackers_ && trackers_->running()) {
                   trackers_->completed();
                 }
                 reportCompleted();
               });
  if (seed) {
    seeding_ = true;
    seedUntilMs_ =
        seedUntilMs_ != 0 ? seedUntilMs_  // a recheck does not restart the seed time
        : params_.seedTime.count() > 0
            ? context_.loop->nowMs() + static_cast<std::uint64_t>(params_.seedTime.count()) * 1000
            : 0;  // a ratio limit alone: seed until it is reached
    // Seeds of our own are no use now.
    for (auto& [key, peer] : peers_) {
      if (peer.seed) {
        peer.connection->close({ErrorCode::Ok, "both sides are seeds"});
      } else {
        updateInterest(peer);
      }
    }
    if (!paused_ && !tick_.active()) {
      runningSinceMs_ = context_.loop->nowMs();
      tick_.start(kTick, kTick, [this] { onTick(); });
    }
    return;
  }
  phase_ = Phase::Done;
  finalState_ = TaskState::Completed;
  stopAll();
}

void TorrentTask::reportCompleted() {
  TLOG(Info, "bt") << meta_->name << ": complete";
  context_.events->report(Event{Event::Kind::Completed, context_.id, ErrorCode::Ok, meta_->name});
}

void TorrentTask::stopAll() {
  tick_.stop();
  stopWebSeeds();
  if (dht_) {
    dht_->stop();
  }
  if (lsd_) {
    lsd_->stop();
  }
  spareBuffers_ = {};  // a paused or finished task holds no piece memory
  if (trackers_ && trackers_->running()) {
    trackers_->stop([] {});
  }
  for (auto& [key, peer] : peers_) {
    if (auto found = candidates_.find(peer.connection->address()); found != candidates_.end()) {
      found->second.closedByUs = true;
    }
    peer.connection->close({ErrorCode::Ok, "stopped"});
  }
}

void TorrentTask::failTask(Error error) {
  if (phase_ == Phase::Done && finalState_ == TaskState::Failed) {
    return;
  }
  TLOG(Warning, "bt") << meta_->name << ": " << error.toString();
  phase_ = Phase::Done;
  seeding_ = false;
  finalState_ = TaskState::Failed;
  error_ = error;
  stopAll();
  context_.events->report(Event{Event::Kind::Failed, context_.id, error.code, error.detail});
}

void TorrentTask::pause() {
  if (paused_ || (phase_ == Phase::Done && !seeding_)) {
    return;
  }
  paused_ = true;
  stopAll();
  // Once the pieces being written land: a paused task is often quit next.
  std::weak_ptr<char> alive = life_;
  whenDiskIdle([this, alive] {
    if (!alive.expired() && !stopping_) {
      saveResume();
    }
  });
}

void TorrentTask::resume() {
  if (phase_ == Phase::Done && finalState_ == TaskState::Failed) {
    start();
    return;
  }
  if (!paused_) {
    return;
  }
  start();
}

void TorrentTask::setLimits(std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) {
  params_.maxDownloadRate = maxDownloadRate;
  params_.maxUploadRate = maxUploadRate;
  const auto now = std::chrono::steady_clock::now();
  downLimiter_.setRate(now, maxDownloadRate);
  upLimiter_.setRate(now, maxUploadRate);
}

void TorrentTask::remove(bool deleteFiles, util::UniqueFunction<void()> done) {
  stopping_ = true;
  moveCancel_->store(true);
  phase_ = Phase::Done;
  seeding_ = false;
  stopAll();
  shared_->registry.remove(meta_->infoHash);
  removeResume();
  settleUncleanCheck();  // nothing of it is kept to verify
  if (!deleteFiles || !storage_) {
    done();
    return;
  }
  whenDiskIdle([this, done = std::move(done)]() mutable {
    jobs_.submit([storage = storage_] { return storage->removeFiles(); },
                 [done = std::move(done)](Result<void>) mutable { done(); });
  });
}

void TorrentTask::diskJobEnded() {
  if (--diskJobs_ > 0) {
    return;
  }
  auto waiting = std::exchange(onDiskIdle_, {});
  for (auto& then : waiting) {
    then();
  }
}

void TorrentTask::whenDiskIdle(util::UniqueFunction<void()> then) {
  if (diskJobs_ == 0) {
    then();
    return;
  }
  onDiskIdle_.push_back(std::move(then));
}

void TorrentTask::shutdown(util::UniqueFunction<void()> done) {
  stopping_ = true;
  moveCancel_->store(true);
  tick_.stop();
  stopWebSeeds();
  for (auto& [key, peer] : peers_) {
    peer.connection->close({ErrorCode::Ok, "shutting down"});
  }
  shared_->registry.remove(meta_->infoHash);
  // "stopped" to the trackers (2 s at most) while the disk jobs end; done
  // once both are over. The fsync is the resume data's (none without a
  // state folder: the CLI's exit does not wait for one).
  auto left = std::make_shared<int>(2);
  auto finish = std::make_shared<util::UniqueFunction<void()>>(std::move(done));
  auto oneDone = [left, finish] {
    if (--*left == 0) {
      (*finish)();
    }
  };
  stopTrackers(oneDone);
  if (!storage_) {
    oneDone();
    return;
  }
  // Then the resume data, flushed first, so the next start hashes nothing
  // that was verified.
  std::weak_ptr<char> alive = life_;
  whenDiskIdle([this, alive, oneDone]() mutable {
    if (alive.expired()) {
      oneDone();
      return;
    }
    saveResume(std::move(oneDone));
  });
}

std::uint64_t TorrentTask::verifiedBytes() const {
  const util::Bitfield& have = picker_.haveBitfield();
  std::uint64_t bytes = std::uint64_t{have.count()} * geometry_.pieceLength;
  const std::uint32_t last = geometry_.pieceCount - 1;
  if (have.test(last)) {
    bytes -= geometry_.pieceLength - geometry_.pieceSize(last);
  }
  return bytes;
}

}  // namespace tributary::bt
