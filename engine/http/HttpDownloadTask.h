// Internal: an HTTP(S) download: one file fed by its origin URL (counted as
// HTTP) and any mirrors (counted as CDN), over several keep-alive connections.
//
// The first request (the probe, HttpDownloadProbe.cpp) asks the origin from
// the first byte not on disk yet: the resume file of an earlier run is read
// before it (ProbeAnswer.h). A 206 tells the size and that ranges work, a 200
// means one connection for everything; the probe's own response is kept as
// the first segment. Other connections then each take a range from the
// SegmentPlanner, which splits the largest remaining range when a connection
// runs out (work stealing). Bytes go to disk through the DiskWriter; a range
// counts as done only once it is on disk, and only done ranges are saved in
// the resume file, so a restart never trusts bytes that were not written.
//
// Failures that may pass (refused, reset, timeout, 5xx) are retried with
// back-off per source; others drop the source, and the task fails only when
// no source is left.
//
// Rate limits (the task's and the engine's token buckets) pause reading, so
// TCP flow control slows the server down; with a limit the receive buffers are
// kept small, so the kernel cannot queue much past it.
//
// Cookies set by any response go with later requests to matching URLs.
//
// Lives on its loop (core::Task).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/codec/Url.h"
#include "engine/core/ByteRanges.h"
#include "engine/core/RateMeter.h"
#include "engine/core/Task.h"
#include "engine/http/CookieJar.h"
#include "engine/http/HeaderValues.h"
#include "engine/http/HttpConnection.h"
#include "engine/http/ProbeAnswer.h"
#include "engine/http/RequestWriter.h"
#include "engine/http/ResumeFile.h"
#include "engine/http/ResumeSaver.h"
#include "engine/http/SegmentPlanner.h"
#include "engine/loop/Resolver.h"
#include "engine/loop/Timer.h"
#include "engine/net/RateLimiter.h"
#include "engine/storage/DiskWriter.h"
#include "engine/storage/JobSubmitter.h"
#include "engine/storage/PartFile.h"

namespace tributary::http {

// A download that finished in an earlier run: its file in AddParams::saveDir
// (the name it got then: Content-Disposition, "NAME (1).ext") and its size.
struct FinishedDownload {
  std::string fileName;
  std::uint64_t size = 0;
};

class HttpDownloadTask final : public core::Task {
 public:
  // The context's resolver and TLS cache are required. With `finished`, the
  // task comes back completed and never downloads: it checks that the file is
  // still there (else it fails with FileMissing; resume() checks again).
  HttpDownloadTask(const core::TaskContext& context, const AddParams& params,
                   std::optional<FinishedDownload> finished = std::nullopt);
  ~HttpDownloadTask() override;

  void start() override;
  void pause() override;
  void resume() override;
  void setLimits(std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) override;
  void remove(bool deleteFiles, util::UniqueFunction<void()> done) override;
  void shutdown(util::UniqueFunction<void()> done) override;
  TaskSnapshot snapshot() override;

  // Redirects followed before the probe gives up.
  static constexpr unsigned kMaxRedirects = 10;
  // Tries of a source in a row that fail before it is dropped.
  static constexpr unsigned kMaxAttempts = 4;
  // Without ranges: how much further than any attempt before a new one must
  // get before its failures are forgiven.
  static constexpr std::uint64_t kSingleConnectionProgress = 256 * 1024;
  // Times a changed remote file restarts the download before the task fails.
  static constexpr unsigned kMaxRestarts = 2;
  // Probes asked again because the server named the file differently, per start.
  static constexpr unsigned kMaxReprobes = 2;
  static constexpr std::string_view kDefaultUserAgent = "Tributary/0.1";

 private:
  struct Source {
    codec::Url url;
    SourceKind kind = SourceKind::Http;
    bool dropped = false;
    Error dropReason;
    core::RateMeter meter;
    std::uint64_t downloaded = 0;
    bool verified = false;             // its size (and validators) matched the origin's
    unsigned failures = 0;             // in a row, without progress in between
    std::uint64_t furthest = 0;        // without ranges: where the best attempt got to
    std::uint64_t failingSinceMs = 0;  // loop time of the first of those failures
    std::uint64_t retryAtMs = 0;       // no new connection before this (loop time)
    // The last of those failures: shown while the source waits to retry, so a
    // dead mirror says why before (or without) being dropped.
    Error lastFailure;
  };
  struct Connection {
    std::unique_ptr<HttpConnection> http;
    std::size_t source = 0;
    bool probe = false;
    bool busy = false;
    std::uint64_t requestBegin = 0;  // where its current request starts
    std::uint64_t next = 0;          // the next byte its response delivers
    std::uint64_t requestEnd = 0;    // exclusive end of what it asked for
  };
  enum class Phase : std::uint8_t { Idle, Probing, Opening, Downloading, Finishing, Done };

  // Runs `then` once a TLS context for the task's CA files is at hand, at
  // once when it is or when no source needs one; the first https task of an
  // engine waits for the worker pool to build it. A bad --ca-cert fails the task.
  void withTls(util::UniqueFunction<void()> then);
  bool needsTls() const;
  // Reads the resume file first when nothing is known of the file yet.
  void startProbe();
  std::optional<ResumeState> usableResume(Result<ResumeState> saved) const;
  void sendProbe();
  bool onProbeHead(ConnectionId id, const ResponseHead& head);
  // The answer does not continue the known file: probe from byte 0, or from
  // what `name`'s own resume file says when the server renamed the file.
  void probeAgain(std::string name);
  void onProbeRedirect(ConnectionId id, const ResponseHead& head);
  // After a probe that does not continue the open file: opens NAME.part (of
  // the answer's name), keeping `resumeFrom`'s ranges when the file is the same.
  void openAfterProbe(std::optional<ResumeState> resumeFrom, bool renamed);
  // Lets go of the open file only once nothing of it is left on the pool: the
  // writer's queued blocks first (a late write must not land in a truncated
  // file), then the resume saver's work. With `keep` that state is saved last
  // (the old file stays, e.g. under its old name), else the resume file is
  // deleted (it describes what is about to be truncated). A probe waits for it.
  void releaseFile(std::optional<ResumeState> keep, util::UniqueFunction<void()> then = nullptr);
  std::string partPathFor(const std::string& name) const;
  void afterResumeLoaded(Result<ResumeState> saved);
  void openFile(bool resumeData);
  void openPartFile(bool resumeData, std::uint64_t serial);
  void beginDownloading();
  void fillConnections();
  bool startRange(ConnectionId id);
  bool onRangeHead(ConnectionId id, const ResponseHead& head);
  bool onBody(ConnectionId id, std::span<const char> body);
  void onEnd(ConnectionId id, Result<void> result);
  void onWritten(std::uint64_t offset, std::uint64_t length);
  // A failed source waits (back-off) and is tried again, up to kMaxAttempts
  // (and for minutes when nothing answered: our link may be down);
  // errors that will not go away drop it at once.
  void retryOrDrop(std::size_t index, Error why);
  // The same when the whole task depends on one request (the probe, a server
  // without ranges): the task starts over from the probe after the pause.
  void retryOrFail(std::size_t index, Error why);
  // Counts a failure of `source`; true when it is to be given up.
  bool giveUpAfter(Source& source, const Error& why);
  void scheduleRetry(std::chrono::milliseconds delay);
  // The origin's file changed under us: forget every byte and start over.
  void restartFromScratch(const Error& why);
  void dropSource(std::size_t index, Error why);
  void closeConnection(ConnectionId id);
  void closeAllConnections();
  void maybeFinish();
  void verifyChecksumThenFinish();
  void finishFile();  // renames NAME.part to NAME and reports completion
  void saveResume();
  // Saves when kSaveAfterBytes more are on disk (spaced by what the last save
  // took) or kSaveEvery has passed; see HttpDownloadTask.cpp.
  void maybeSaveProgress();
  void failTask(Error error);
  void saveResumeAfterFailure(util::UniqueFunction<void()> done = nullptr);
  // A task restored finished: Completed while its file is there and whole,
  // Failed (FileMissing) when not.
  void checkFinishedFile();
  // resume() of a failed task (disk full, every source dropped): start over
  // from the probe, keeping the ranges already on disk.
  void retryAfterFailure();
  // Pauses reading on every connection while the disk writer is congested or
  // the rate limit has no tokens, and resumes once neither holds.
  void updateBackPressure();
  void chargeRateLimit(std::uint64_t bytes);
  HttpConnection& makeConnection(ConnectionId id, std::size_t source, bool probe);
  // User-Agent, Referer and the cookies for `url`; the caller adds the range.
  RequestOptions requestFor(const codec::Url& url) const;
  ResumeState resumeState() const;

  core::TaskContext context_;
  AddParams params_;
  std::shared_ptr<net::TlsContext> tls_;
  bool tlsPending_ = false;
  storage::JobSubmitter jobs_;

  std::vector<Source> sources_;  // [0] is the origin
  std::map<ConnectionId, Connection> connections_;
  std::uint64_t nextConnectionId_ = 1;

  Phase phase_ = Phase::Idle;
  bool paused_ = false;
  TaskState finalState_ = TaskState::Queued;  // Completed or Failed once done
  Error error_;
  unsigned redirects_ = 0;
  unsigned restarts_ = 0;
  std::set<std::string> visited_;  // for redirect loops
  CookieJar cookies_;

  std::string fileName_;
  // What the probe plans from: the resume file read before it, or the state
  // of the open file after a pause. Cleared once the download begins.
  std::optional<ResumeState> known_;
  std::optional<std::string> preloadedName_;  // the name whose resume file was read
  bool preloadPending_ = false;
  std::uint64_t probeSerial_ = 0;  // a pause makes a pending read's or open's answer stale
  struct HeldFile;                 // an open file releaseFile() lets go of
  std::vector<std::shared_ptr<HeldFile>> releasing_;
  unsigned releasesPending_ = 0;  // releaseFile() calls still waiting for the pool
  bool probeAfterRelease_ = false;
  ProbeRequest probeRequest_;
  unsigned reprobes_ = 0;
  std::optional<std::uint64_t> total_;
  bool rangesSupported_ = false;
  ResourceValidators validators_;
  std::optional<SegmentPlanner> planner_;
  core::ByteRanges onDisk_;
  std::unique_ptr<storage::PartFile> partFile_;
  std::unique_ptr<storage::DiskWriter> writer_;
  std::unique_ptr<ResumeSaver> resumeSaver_;
  loop::Timer saveTimer_;
  std::uint64_t savedBytes_ = 0;  // onDisk_.coveredBytes() at the last save
  std::uint64_t savedAtMs_ = 0;   // loop time of the last save
  std::uint64_t lastSaveTookMs_ = 0;
  loop::Timer retryTimer_;
  bool restartProbe_ = false;
  bool readingPaused_ = false;
  net::RateLimiter limiter_;  // this task's limit, inside the engine-wide one
  loop::Timer throttleTimer_;
  bool throttled_ = false;
  std::string finalPath_;
  bool restoredFinished_ = false;
  // shutdown() during Finishing: runs once the finish chain is over, so the
  // resume file is gone by the time NAME.part is (or the failure is saved).
  util::UniqueFunction<void()> shutdownDone_;
  std::int64_t addedAtUnix_ = 0;
  std::shared_ptr<char> life_ = std::make_shared<char>();
};

}  // namespace tributary::http
