// Internal: a torrent download (and seed) on one loop: core::Task for the
// session, PeerConnection::Listener for its peers.
//
// Life: Checking (the data already on disk is hashed on the worker pool, so
// existing content seeds and a re-run resumes) -> Downloading -> Completed,
// or Seeding while a seed time runs. Pieces arrive as 16 KiB blocks into a
// buffer per piece; a complete piece is hashed and, only when it matches,
// written, both on the pool, so the disk never holds a byte that failed its
// hash. A peer whose data fails a hash loses trust; twice and it is banned.
//
// Split over files by concern: TorrentTask.cpp (life, ticks), TorrentPeers.cpp
// (connections, messages), TorrentDownload.cpp (requests, pieces),
// TorrentUpload.cpp (serving blocks, choking), TorrentCheck.cpp (the initial
// hash check), TorrentSnapshot.cpp (what the UI sees), TorrentWebSeeds.cpp
// (HTTP web seeds: runs of whole pieces into the same buffers and hash check
// as peer blocks).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "engine/bt/BtShared.h"
#include "engine/bt/DhtAnnouncer.h"
#include "engine/bt/LsdAnnouncer.h"
#include "engine/bt/MetadataServer.h"
#include "engine/bt/Metainfo.h"
#include "engine/bt/PeerConnection.h"
#include "engine/bt/PexTracker.h"
#include "engine/bt/TrackerList.h"
#include "engine/bt/TrackerUdpClient.h"
#include "engine/bt/WebSeed.h"
#include "engine/core/PiecePicker.h"
#include "engine/core/RateMeter.h"
#include "engine/core/Task.h"
#include "engine/loop/Timer.h"
#include "engine/net/RateLimiter.h"
#include "engine/storage/JobSubmitter.h"
#include "engine/storage/TorrentStorage.h"
#include "engine/util/Bitfield.h"
#include "engine/util/PageAlignedBytes.h"
#include "engine/util/TimingWheel.h"

namespace tributary::bt {

class TorrentTask final : public core::Task, public PeerConnection::Listener {
 public:
  TorrentTask(const core::TaskContext& context, const AddParams& params,
              std::shared_ptr<const Metainfo> metainfo, std::shared_ptr<BtShared> shared);
  ~TorrentTask() override;

  void start() override;
  void pause() override;
  void resume() override;
  void setLimits(std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) override;
  void setSourcePolicy(const SourcePolicy& policy) override;
  void remove(bool deleteFiles, util::UniqueFunction<void()> done) override;
  void shutdown(util::UniqueFunction<void()> done) override;
  TaskSnapshot snapshot() override;
  void setFilePriorities(const std::vector<std::uint8_t>& priorities) override;
  void recheck() override;
  void setLocation(const std::string& saveDir) override;  // TorrentLocation.cpp

  // Peers learned from anywhere (trackers, the user, later DHT/PEX/LSD).
  void addPeers(const std::vector<loop::SocketAddress>& addresses, PeerOrigin origin);

  static constexpr std::chrono::milliseconds kTick{1000};
  static constexpr std::chrono::milliseconds kConnectTimeout{10000};
  static constexpr std::uint64_t kHandshakeTimeoutMs = 10'000;
  static constexpr std::uint64_t kRequestTimeoutMs = 60'000;
  // Not a byte from a peer we wait on for this long: its connection is dead.
  static constexpr std::uint64_t kSilentPeerTimeoutMs = 30'000;
  static constexpr std::uint64_t kInactivityTimeoutMs = 120'000;
  static constexpr std::uint64_t kKeepAliveMs = 90'000;
  static constexpr std::uint64_t kChokeIntervalMs = 10'000;
  // Fast-resume data is saved this often while pieces come in (a crash loses
  // at most this much verified work), and on pause, completion and exit.
  static constexpr std::uint64_t kResumeIntervalMs = 30'000;
  static constexpr std::uint32_t kMaxRequestQueue = 250;
  // BEP 11: a ut_pex message to each peer once a minute; one from a peer
  // sooner than this after its last is ignored.
  static constexpr std::uint64_t kPexIntervalMs = 60'000;
  static constexpr std::uint64_t kPexMinReceiveIntervalMs = 45'000;
  // BEP 6: the allowed-fast set we give each peer (its "k"), and how many a
  // peer's allowed-fast messages we keep.
  static constexpr std::uint32_t kAllowedFastSetSize = 10;
  static constexpr std::size_t kMaxAllowedFastKept = 64;
  // Bytes of pieces held in memory (being assembled, hashed or written)
  // before no new pieces are started: bounds the memory of a fast download.
  static constexpr std::uint64_t kMaxPieceMemory = 16ull << 20;
  // ... plus this much per peer that sends to us: each needs blocks of its
  // own in flight (16 of them), and 200 slow peers sharing 16 MiB of pieces
  // would each get a few and idle between them.
  static constexpr std::uint64_t kPieceMemoryPerSender = 256ull << 10;

 private:
  struct Outstanding {
    core::BlockRequest block;
    std::uint64_t sentMs = 0;
  };
  struct Peer {
    core::PeerKey key = 0;
    std::unique_ptr<PeerConnection> connection;
    util::Bitfield has;
    bool seed = false;  // have-all, or a full bitfield
    bool weInterested = false;
    bool weChoking = true;
    bool optimistic = false;
    bool snubbed = false;
    std::deque<Outstanding> requests;         // ours, oldest first
    std::deque<core::BlockRequest> incoming;  // theirs, waiting for disk reads
    std::uint32_t readsInFlight = 0;
    std::uint64_t lastBlockMs = 0;
    std::uint64_t armedMs = 0;  // its entry's deadline on timers_, 0 = none
    std::uint64_t rttMs = 0;    // request to block, smoothed (includes the peer's queue)
    std::optional<std::uint64_t> networkRttUs;  // the kernel's TCP RTT, read each tick
    ConnectionBudget::Slot slot;                // engine-wide: alive connections
    ConnectionBudget::Slot halfOpenSlot;  // engine-wide: connects in flight, until the handshake
    std::uint32_t hashFailures = 0;
    std::optional<std::uint32_t> currentPiece;
    std::vector<std::uint32_t> allowedFast;  // pieces it lets us request while choking us
    std::uint64_t fastServedBytes = 0;       // what we served it through allowed-fast
    // BEP 11, when it offered ut_pex: what it was told, and when.
    std::unique_ptr<PexTracker> pex;
    std::uint64_t pexSentMs = 0;
    std::uint64_t pexReceivedMs = 0;
  };
  struct Candidate {
    PeerOrigin origin = PeerOrigin::Tracker;
    unsigned failures = 0;
    std::uint64_t retryAtMs = 0;
    bool connected = false;
    bool banned = false;
    bool workedBefore = false;  // a connection to it got through the handshake
    // Closed by our own pause, recheck or stop: no failure, and redialled
    // as soon as the task runs again (a resume is instant, not 2 s late).
    bool closedByUs = false;
  };
  struct PieceBuffer {
    util::PageAlignedBytes bytes;  // aligned: whole pieces can go to disk past the page cache
    std::vector<core::PeerKey> blockSenders;  // who sent each 16 KiB block
  };
  // A piece that failed with blocks from several peers: who sent which block
  // and its digest, so the good copy later shows who lied ("smart ban").
  struct FailedBlock {
    core::PeerKey sender = 0;
    util::Sha1::Digest digest{};
  };
  enum class Phase : std::uint8_t { Idle, Checking, Running, Done };

  // PeerConnection::Listener
  void onPeerReady(PeerConnection& connection) override;
  void onPeerMessage(PeerConnection& connection, const PeerMessage& message) override;
  void onPeerClosed(PeerConnection& connection, const Error& why) override;
  void onPeerBlockSent(PeerConnection& connection) override;

  // TorrentTask.cpp
  void onTick();
  void enterRunning();
  void finishOrSeed();
  void stopAll();
  void failTask(Error error);
  void reportCompleted();
  void setUpTrackers();
  // Stops the trackers ("stopped", 2 s at most), then calls `then`.
  void stopTrackers(util::UniqueFunction<void()> then);
  // TorrentCheck.cpp. useResume: trust the fast-resume data where the files
  // are unchanged (not for a forced recheck).
  void startCheck(bool useResume = true);
  static std::shared_ptr<storage::TorrentStorage> makeStorage(const core::TaskContext& context,
                                                              const AddParams& params,
                                                              const Metainfo& meta);
  // Fails the task as "files missing" when files that held verified data are
  // gone (TorrentCheck.cpp); true when it did.
  bool failIfFilesVanished(std::vector<std::size_t> vanished, bool hadResume);
  void checkNext();
  // After an unclean shutdown: the pieces the resume data settled as absent
  // but that may be on disk are hashed too (TorrentCheck.cpp).
  void unsettleUnclaimedPieces();
  void logUnclaimedPiecesFound();
  void settleUncleanCheck();  // verifyUnclaimed_ done with: no longer owed
  // TorrentResume.cpp: fast resume (TorrentResumeData.h) in BtShared::resumeDir.
  std::string resumePath() const;
  // Flushes the files, then writes what is verified now; `then` (may be
  // empty) runs once it is on disk or failed. Saves asked for during one
  // are coalesced into one more.
  void saveResume(util::UniqueFunction<void()> then = nullptr);
  // Every kResumeIntervalMs while new pieces come in.
  void maybeSaveResume(std::uint64_t nowMs);
  void removeResume();
  // TorrentPeers.cpp
  void connectMore();
  void acceptIncoming(std::unique_ptr<net::ByteStream> socket, const Handshake& theirs);
  Peer* peerFor(const PeerConnection& connection);
  void dropPeer(core::PeerKey key);
  void updateInterest(Peer& peer);
  void onPieceSet(Peer& peer);
  void sendAllowedFast(Peer& peer);
  PeerConnectionConfig connectionConfig() const;
  // TorrentDownload.cpp
  void requestMore(Peer& peer);
  void onBlock(Peer& peer, const PeerMessage& message);
  void abortRequests(Peer& peer);
  void onPieceComplete(std::uint32_t piece);
  void onPieceChecked(std::uint32_t piece, bool hashOk, Result<void> written,
                      std::vector<util::Sha1::Digest> blockDigests);
  void blamePeers(std::uint32_t piece, std::vector<core::PeerKey> senders,
                  const std::vector<util::Sha1::Digest>& blockDigests, bool hashOk);
  void punish(core::PeerKey key, std::uint32_t piece);
  // Endgame: the other holders of a block that just arrived are told to drop it.
  void cancelDuplicates(const std::vector<core::PeerKey>& holders, std::uint32_t piece,
                        std::uint32_t offset);
  std::uint32_t queueDepth(const Peer& peer) const;
  util::PageAlignedBytes takePieceBuffer(std::uint32_t piece);
  // TorrentExtensions.cpp: BEP 10 messages (ut_metadata; ut_pex).
  void onExtendedMessage(Peer& peer, const PeerMessage& message);
  void serveMetadata(Peer& peer, const PeerMessage& message);
  void onPexMessage(Peer& peer, const PeerMessage& message);
  // Once a minute a peer that speaks ut_pex hears which peers we gained and lost.
  void sendPex(std::uint64_t now);
  bool pexAllowed() const { return shared_->switches.pex && !meta_->isPrivate; }
  // TorrentWebSeeds.cpp: BEP 19 / BEP 17 web seeds and the user's mirrors.
  void setUpWebSeeds();
  // Gives every idle seed a run of pieces nobody is downloading.
  void runWebSeeds();
  // TorrentWebSeedRuns.cpp: what a seed fetches next (SourcePolicy).
  std::optional<WebSeed::Run> claimWebSeedRun(WebSeed& seed, std::uint64_t now, bool overMemory);
  std::optional<WebSeed::Run> claimBufferedSpan(WebSeed& seed, std::uint64_t budget);
  bool coveredByOtherSeed(const WebSeed& seed, std::uint32_t piece) const;
  std::optional<WebSeed::Run> claimUntouchedRun(WebSeed& seed, std::uint64_t wanted,
                                                bool onlyPeerless, SourcePreference preference);
  std::optional<WebSeed::Run> claimBlockSpan(WebSeed& seed, std::uint32_t piece,
                                             std::uint64_t budget, bool race);
  std::optional<WebSeed::Run> claimRaceSpan(WebSeed& seed, std::uint64_t now, std::uint64_t budget,
                                            bool patient);
  // No block from any peer for a while (PreferP2P then lets seeds take anything).
  bool swarmIdle(std::uint64_t now) const;
  // What the CDN byte cap still allows, bytes already on their way counted.
  std::uint64_t cdnBytesLeft() const;
  // A seed is fetching or ready to (PreferCdn: peers then start no piece).
  bool webSeedsCarry(std::uint64_t now) const;
  void onWebSeedData(core::PeerKey key, std::span<const std::byte> bytes);
  void onWebSeedEnd(core::PeerKey key, WebSeedOutcome outcome);
  void takeWebSeedBlock(WebSeed& seed, std::uint32_t piece, std::uint32_t offset,
                        std::span<const std::byte> bytes);
  // Ends the seed's fetch and hands its unreceived blocks back to the picker.
  void endWebSeedFetch(WebSeed& seed);
  void dropWebSeed(WebSeed& seed, Error why);
  void stopWebSeeds();
  void setWebSeedsReading(bool reading);
  WebSeed* webSeedFor(core::PeerKey key);
  void addWebSeedSnapshots(TaskSnapshot& task, TorrentSnapshot& torrent, std::uint64_t now) const;
  // TorrentTimers.cpp
  std::uint64_t peerDeadline(const Peer& peer) const;
  // We want its blocks: requests are out, or it let some expire (snubbed).
  bool waitsOnSilentPeer(const Peer& peer) const;
  std::uint64_t silentSinceMs(const Peer& peer) const;
  void armPeer(Peer& peer);
  void runPeerTimers();
  void checkPeerTimeouts(Peer& peer, std::uint64_t now);
  // TorrentUpload.cpp
  void onRequest(Peer& peer, const PeerMessage& message);
  void onCancel(Peer& peer, const PeerMessage& message);
  void serveReads(Peer& peer);
  void runChoker();
  void chokePeer(Peer& peer);
  void unchokePeer(Peer& peer);

  bool complete() const { return picker_.wantedComplete(); }
  // TorrentPriorities.cpp: file priorities -> piece priorities, the pieces we
  // need, and which files may be created.
  void applyFilePriorities();
  // TorrentLimits.cpp: the task's and the engine's rate limits. Downloads
  // stop reading every peer while the bucket is empty (TCP then slows the
  // senders); uploads wait before sending the next block.
  void chargeDownload(std::uint64_t bytes);
  bool mayUpload(std::uint64_t bytes);
  void diskJobStarted() { ++diskJobs_; }
  void diskJobEnded();
  void whenDiskIdle(util::UniqueFunction<void()> then);
  std::uint64_t verifiedBytes() const;

  core::TaskContext context_;
  AddParams params_;
  std::shared_ptr<const Metainfo> meta_;
  std::shared_ptr<BtShared> shared_;
  std::shared_ptr<storage::TorrentStorage> storage_;
  std::optional<MetadataServer> metadataServer_;
  std::unique_ptr<LsdAnnouncer> lsd_;  // null for a private torrent or without LSD
  std::unique_ptr<DhtAnnouncer> dht_;  // null for a private torrent or without a DHT  // made at
                                       // the first ut_metadata request
  storage::JobSubmitter jobs_;
  core::PiecePicker picker_;
  TorrentGeometry geometry_;
  util::Bitfield needed_;                   // wanted and not had: what makes us interested
  util::Bitfield allPieces_;                // what a seed has
  std::vector<std::uint8_t> filePriority_;  // one per metainfo file

  Phase phase_ = Phase::Idle;
  bool paused_ = false;
  bool seeding_ = false;
  TaskState finalState_ = TaskState::Queued;
  Error error_;
  std::uint32_t checkNextPiece_ = 0;
  std::uint32_t checksInFlight_ = 0;
  bool movingFiles_ = false;  // a Set location under way
  // Set by shutdown and remove: a move across drives stops between chunks.
  std::shared_ptr<std::atomic<bool>> moveCancel_ = std::make_shared<std::atomic<bool>>(false);
  // The start-up check (or a recheck) has run to its end, so the picker's
  // pieces are what is on disk: resume data may be written.
  bool checkedOnce_ = false;
  bool useResumeChecks_ = false;  // this check started from the resume data
  std::vector<std::int64_t> fileSizesOnDisk_;
  util::Bitfield resumeSettled_;  // pieces the resume data decided: not hashed
  // From TaskContext::uncleanShutdownBefore until a check from the resume
  // data has run to its end; the pieces it hashes for that reason.
  bool verifyUnclaimed_ = false;
  util::Bitfield unclaimedToVerify_;
  bool resumeSaving_ = false;
  // Set by removeResume(): a save running on the pool then leaves no file.
  std::shared_ptr<std::atomic<bool>> resumeDropped_ = std::make_shared<std::atomic<bool>>(false);
  bool resumeSaveAgain_ = false;
  std::vector<util::UniqueFunction<void()>> resumeWaiters_;
  std::size_t resumeSavedHave_ = static_cast<std::size_t>(-1);  // have count at the last save
  std::uint64_t lastResumeSaveMs_ = 0;

  std::map<core::PeerKey, Peer> peers_;
  std::map<loop::SocketAddress, Candidate> candidates_;
  core::PeerKey nextPeerKey_ = 1;
  unsigned halfOpen_ = 0;
  std::map<std::uint32_t, PieceBuffer> pieces_;  // being assembled or checked
  std::map<std::uint32_t, std::vector<FailedBlock>> failedBlocks_;
  std::vector<util::PageAlignedBytes> spareBuffers_;
  // Hash/write and read jobs with the pool; a delete waits for them to end,
  // or a write finishing late could bring a deleted file back.
  unsigned diskJobs_ = 0;
  std::vector<util::UniqueFunction<void()>> onDiskIdle_;
  std::uint64_t pieceMemoryCap() const {
    return kMaxPieceMemory + std::uint64_t{senders_} * kPieceMemoryPerSender;
  }
  unsigned senders_ = 0;           // peers unchoking us that we want from, counted each tick
  std::uint64_t pieceMemory_ = 0;  // buffers of pieces with a block in, until written
  std::uint64_t wasted_ = 0;
  std::uint64_t lastChokeMs_ = 0;
  std::uint64_t lastOptimisticMs_ = 0;
  std::uint64_t seedUntilMs_ = 0;
  bool completedReported_ = false;  // the Completed event and "completed" announce went out
  bool stopping_ = false;           // shutdown or remove began: no new start (a recheck's)
  // Trackers: one UDP client per torrent (its socket and connection ids).
  std::unique_ptr<TrackerUdpClient> udpTrackers_;
  std::unique_ptr<TrackerList> trackers_;
  core::RateMeter downRate_;
  core::RateMeter upRate_;
  std::uint64_t downloadedBt_ = 0;
  std::uint64_t downloadedCdn_ = 0;    // from web seeds and mirrors
  std::uint64_t lastPeerBlockMs_ = 0;  // a block from a peer was accepted
  std::uint64_t runningSinceMs_ = 0;   // the download (re)started
  std::vector<std::unique_ptr<WebSeed>> webSeeds_;
  std::uint64_t uploaded_ = 0;
  loop::Timer tick_;
  util::TimingWheel timers_;  // peer timeouts, advanced by tick_
  net::RateLimiter downLimiter_;
  net::RateLimiter upLimiter_;
  loop::Timer downThrottle_;
  loop::Timer upThrottle_;
  bool downThrottled_ = false;
  std::int64_t addedAtUnix_ = 0;
  std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace tributary::bt
