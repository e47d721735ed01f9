#include "engine/http/HttpDownloadTask.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <utility>

#include "engine/http/FileName.h"
#include "engine/http/HttpStatusError.h"
#include "engine/http/RequestWriter.h"
#include "engine/http/ResponseChecks.h"
#include "engine/storage/FileHasher.h"
#include "engine/util/Log.h"

namespace tributary::http {
namespace {

// A crash loses what reached the disk after the last save, and a download
// killed again and again loses that much each time (the kill test: 20 kills
// of a run under a second, 10% overhead allowed). So progress saves often:
// once kSaveAfterBytes more are on disk, one save at a time, kMinSaveGap
// apart, or every kSaveEvery when little comes in. Each save fsyncs NAME.part
// before it claims its bytes (ResumeSaver), then writes and fsyncs a small
// file: kSaveCostFactor times the last save's duration apart, so a save runs
// at most a third of the time whatever the disk; a fast download's larger
// fsyncs space them out by themselves.
constexpr std::chrono::milliseconds kSaveEvery{3000};
constexpr std::uint64_t kSaveAfterBytes = std::uint64_t{256} << 10;
constexpr std::chrono::milliseconds kMinSaveGap{100};
constexpr std::uint64_t kSaveCostFactor = 2;
constexpr std::chrono::milliseconds kSaveTick{250};

}  // namespace

HttpDownloadTask::HttpDownloadTask(const core::TaskContext& context, const AddParams& params,
                                   std::optional<FinishedDownload> finished)
    : context_(context),
      params_(params),
      jobs_(*context.loop, *context.workers),
      saveTimer_(*context.loop),
      retryTimer_(*context.loop),
      limiter_(context.globalDownload, params.maxDownloadRate),
      throttleTimer_(*context.loop),
      addedAtUnix_(static_cast<std::int64_t>(std::time(nullptr))) {
  // The factory checked that every URL parses.
  Source origin;
  origin.url = codec::parseUrl(params_.source).value();
  origin.kind = SourceKind::Http;
  sources_.push_back(std::move(origin));
  for (const std::string& mirror : params_.mirrors) {
    Source cdn;
    cdn.url = codec::parseUrl(mirror).value();
    cdn.kind = SourceKind::Cdn;
    sources_.push_back(std::move(cdn));
  }
  fileName_ = sanitizeFileName(codec::fileNameFromUrl(sources_[0].url), "download");
  paused_ = params_.startPaused;  // the session does not call start() then
  if (finished) {
    restoredFinished_ = true;
    fileName_ = finished->fileName;
    total_ = finished->size;
    onDisk_.add(0, finished->size);
    finalPath_ = storage::joinPath(params_.saveDir, fileName_);
    phase_ = Phase::Done;
    finalState_ = TaskState::Completed;
    paused_ = false;
    checkFinishedFile();
  }
}

void HttpDownloadTask::checkFinishedFile() {
  std::weak_ptr<char> alive = life_;
  jobs_.submit([io = context_.fileIo, path = finalPath_] { return io->stat(path); },
               [this, alive](Result<storage::FileStat> stat) {
                 if (alive.expired() || !restoredFinished_) {
                   return;
                 }
                 if (stat && stat.value().size == total_.value_or(0)) {
                   finalState_ = TaskState::Completed;
                   error_ = {};
                   return;
                 }
                 error_ = {ErrorCode::FileMissing,
                           stat ? "the downloaded file has another size now: " + finalPath_
                                : "the downloaded file is missing: " + finalPath_};
                 TLOG(Warning, "http") << error_.detail;
                 if (finalState_ != TaskState::Failed) {
                   finalState_ = TaskState::Failed;
                   context_.events->report(
                       Event{Event::Kind::Failed, context_.id, error_.code, error_.detail});
                 }
               });
}

HttpDownloadTask::~HttpDownloadTask() {
  closeAllConnections();
}

HttpConnection& HttpDownloadTask::makeConnection(ConnectionId id, std::size_t source, bool probe) {
  const codec::Url& url = sources_[source].url;
  ConnectionOptions options;
  options.tls = tls_;
  const bool limited =
      limiter_.rate() > 0 || (limiter_.global() && !limiter_.global()->unlimited());
  if (limited) {
    options.receiveBufferBytes = 64 * 1024;  // what the kernel may queue beyond the limit
  }
  Connection& conn = connections_[id];
  conn.http = std::make_unique<HttpConnection>(*context_.loop, *context_.resolver,
                                               Origin{url.scheme, url.host, url.port}, options);
  conn.source = source;
  conn.probe = probe;
  if (readingPaused_) {
    conn.http->pauseReading();
  }
  return *conn.http;
}

void HttpDownloadTask::start() {
  if (phase_ == Phase::Done) {
    return;
  }
  paused_ = false;
  reprobes_ = 0;
  withTls([this] { startProbe(); });
}

RequestOptions HttpDownloadTask::requestFor(const codec::Url& url) const {
  RequestOptions request;
  request.userAgent =
      params_.userAgent.empty() ? std::string(kDefaultUserAgent) : params_.userAgent;
  request.referer = params_.referer;
  request.cookie = cookies_.header(url, static_cast<std::int64_t>(std::time(nullptr)));
  return request;
}

void HttpDownloadTask::beginDownloading() {
  phase_ = Phase::Downloading;
  if (rangesSupported_ && total_) {
    SegmentPlannerConfig config;
    config.connections = params_.connections;
    planner_.emplace(*total_, onDisk_, config);
  } else {
    onDisk_.clear();
    planner_.emplace(SegmentPlanner::singleConnection(total_));
  }
  known_.reset();
  // The probe's response runs from the first byte missing then: keep it when
  // the plan starts there.
  for (auto it = connections_.begin(); it != connections_.end(); ++it) {
    if (!it->second.probe) {
      continue;
    }
    const ConnectionId id = it->first;
    std::optional<Assignment> first =
        planner_->finished() ? std::nullopt : planner_->assign(id, SourceId{0});
    if (first && first->begin == it->second.requestBegin) {
      it->second.next = first->begin;
      it->second.requestEnd = total_.value_or(Assignment::kUnknownEnd);
      it->second.http->resumeReading();
    } else {
      if (first) {
        planner_->release(id);
      }
      closeConnection(id);
    }
    break;
  }
  savedBytes_ = onDisk_.coveredBytes();  // what the resume file (if any) already holds
  savedAtMs_ = 0;                        // the first bytes are worth a save at once
  // The tick saves what the last writes of a burst brought, when no write follows.
  saveTimer_.start(kSaveTick, kSaveTick, [this] { maybeSaveProgress(); });
  fillConnections();
  maybeFinish();
}

void HttpDownloadTask::fillConnections() {
  if (phase_ != Phase::Downloading || paused_ || !planner_ || planner_->singleConnectionMode()) {
    return;
  }
  std::vector<std::size_t> live;
  const std::uint64_t now = context_.loop->nowMs();
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if (!sources_[i].dropped && sources_[i].retryAtMs <= now) {
      live.push_back(i);
    }
  }
  if (live.empty()) {
    return;
  }
  while (connections_.size() < params_.connections && !planner_->finished()) {
    const ConnectionId id{nextConnectionId_++};
    makeConnection(id, live[nextConnectionId_ % live.size()], false);
    if (!startRange(id)) {
      connections_.erase(id);
      break;
    }
  }
}

bool HttpDownloadTask::startRange(ConnectionId id) {
  Connection& conn = connections_.at(id);
  std::optional<Assignment> range =
      planner_->assign(id, SourceId{static_cast<std::uint32_t>(conn.source)});
  if (!range) {
    return false;
  }
  conn.next = range->begin;
  conn.requestBegin = range->begin;
  conn.requestEnd = range->end;
  RequestOptions request = requestFor(sources_[conn.source].url);
  request.range = ByteRange{range->begin, range->end - 1};
  // Mirrors carry their own validators; only the origin's may guard a range,
  // and only with a strong ETag: a server may take a Last-Modified date for a
  // weak validator and answer every range with a 200 (RFC 9110 §13.1.5), which
  // would restart the download until it fails. onRangeHead compares the 206's
  // validators in any case.
  if (conn.source == 0 && validators_.etag && !validators_.etag->weak) {
    request.ifRange = validators_.etag->tag;
  }
  auto head = writeRequestHead(sources_[conn.source].url, request);
  if (!head) {
    planner_->release(id);
    return false;
  }
  conn.busy = true;
  HttpConnection::Handler handler;
  handler.onHead = [this, id](const ResponseHead& h) { return onRangeHead(id, h); };
  handler.onBody = [this, id](std::span<const char> body) { return onBody(id, body); };
  handler.onEnd = [this, id](Result<void> result) { onEnd(id, std::move(result)); };
  conn.http->send(std::move(head.value()), false, std::move(handler));
  return true;
}

bool HttpDownloadTask::onRangeHead(ConnectionId id, const ResponseHead& head) {
  Connection& conn = connections_.at(id);
  Source& source = sources_[conn.source];
  cookies_.store(source.url, head, static_cast<std::int64_t>(std::time(nullptr)));
  std::optional<ContentRange> range;
  if (const std::string* value = head.find("Content-Range")) {
    range = parseContentRange(*value);
  }
  const bool fits = head.status == 206 && range && !range->unsatisfied &&
                    range->first == conn.next && range->completeLength == total_;
  if (fits && conn.source == 0 && changedSince(validators_, validatorsFromHead(head))) {
    // A server that ignores If-Range still tells the truth in its validators.
    Error why{ErrorCode::RemoteChanged, "the file changed on the server: " + source.url.toString()};
    planner_->release(id);
    closeConnection(id);  // `conn` and `source` references end here
    restartFromScratch(why);
    return false;
  }
  if (fits && conn.source != 0 && !source.verified) {
    if (auto mismatch = mirrorMismatch(validators_, validatorsFromHead(head))) {
      Error why{ErrorCode::RemoteChanged,
                source.url.toString() + " serves another version of the file: " + *mismatch};
      const std::size_t sourceIndex = conn.source;
      planner_->release(id);
      closeConnection(id);
      dropSource(sourceIndex, std::move(why));
      return false;
    }
  }
  if (fits) {
    source.verified = true;
    return true;
  }
  Error why = httpStatusError(head.status, source.url);
  if (head.status == 200 && conn.source == 0) {
    // If-Range failed: the file changed on the server since the probe.
    why = {ErrorCode::RemoteChanged, "the file changed on the server: " + source.url.toString()};
  } else if (head.status == 206 && range && range->completeLength != total_) {
    why = {ErrorCode::RemoteChanged, source.url.toString() + " has a different size"};
  } else if (head.status == 206) {
    why = {ErrorCode::ProtocolError,
           source.url.toString() + " answered with another range than asked for"};
  }
  const std::size_t sourceIndex = conn.source;
  planner_->release(id);
  closeConnection(id);  // `conn` is gone from here on
  if (sourceIndex == 0 && why.code == ErrorCode::RemoteChanged) {
    restartFromScratch(why);  // never splice two versions of the file
    return false;
  }
  retryOrDrop(sourceIndex, std::move(why));
  return false;
}

bool HttpDownloadTask::onBody(ConnectionId id, std::span<const char> body) {
  auto it = connections_.find(id);
  if (it == connections_.end() || !planner_ || !writer_) {
    return false;
  }
  Connection& conn = it->second;
  const SegmentProgress progress = planner_->progress(id, body.size());
  if (progress.accepted > 0) {
    writer_->write(conn.next, storage::WriteBlock::copyOf(std::as_bytes(
                                  body.first(static_cast<std::size_t>(progress.accepted)))));
    conn.next += progress.accepted;
    Source& source = sources_[conn.source];
    if (!planner_->singleConnectionMode()) {
      source.failures = 0;  // new bytes: it works again
    } else if (conn.next >= source.furthest + kSingleConnectionProgress) {
      // Without ranges every retry starts at 0, so only getting well past
      // where every earlier attempt ended is progress: a server that drops
      // the connection further each time is not given up on, one that drops
      // it at the same place is.
      source.furthest = conn.next;
      source.failures = 0;
    }
    source.downloaded += progress.accepted;
    source.meter.add(progress.accepted, context_.loop->nowMs());
    planner_->setRate(id, source.meter.rate(context_.loop->nowMs()));
  }
  chargeRateLimit(body.size());
  updateBackPressure();
  if (progress.rangeDone && conn.next < conn.requestEnd) {
    // Its range was cut short (stolen, or the open-ended probe reached its
    // end): the rest of this response belongs to others. Close, and let a
    // fresh connection take the next range.
    closeConnection(id);
    context_.loop->post([this, alive = std::weak_ptr<char>(life_)] {
      if (!alive.expired()) {
        fillConnections();
      }
    });
    return false;
  }
  return true;
}

void HttpDownloadTask::onEnd(ConnectionId id, Result<void> result) {
  auto it = connections_.find(id);
  if (it == connections_.end()) {
    return;
  }
  Connection& conn = it->second;
  conn.busy = false;
  if (!result) {
    const std::size_t sourceIndex = conn.source;
    const bool probing = conn.probe && phase_ == Phase::Probing;
    TLOG(Info, "http") << sources_[sourceIndex].url.toString() << ": " << result.error().toString();
    if (planner_) {
      planner_->release(id);
    }
    closeConnection(id);  // `conn` is gone from here on
    if (probing || (planner_ && planner_->singleConnectionMode())) {
      // Nothing to share the work with: the whole task waits and tries again.
      retryOrFail(sourceIndex, result.error());
      return;
    }
    retryOrDrop(sourceIndex, result.error());
    return;
  }
  if (planner_ && planner_->singleConnectionMode()) {
    if (!planner_->endOfStream(id)) {
      closeConnection(id);
      retryOrFail(0, {ErrorCode::ConnectionReset, "the body ended before its Content-Length"});
      return;
    }
    if (!total_) {
      total_ = conn.next;
    }
    closeConnection(id);
    maybeFinish();
    return;
  }
  if (conn.next == conn.requestBegin && conn.requestEnd > conn.requestBegin) {
    // A well-framed answer that carried nothing of its range: asking again
    // would loop as fast as the server answers.
    const std::size_t sourceIndex = conn.source;
    planner_->release(id);
    closeConnection(id);
    retryOrDrop(sourceIndex, {ErrorCode::ProtocolError,
                              sources_[sourceIndex].url.toString() + " sent an empty range"});
    return;
  }
  if (planner_ && planner_->currentEnd(id).value_or(0) > conn.next) {
    planner_->release(id);  // a short body: its rest goes back to the plan
  }
  if (phase_ == Phase::Downloading && !paused_ && conn.http->idle() && startRange(id)) {
    return;  // the keep-alive connection carries the next range
  }
  closeConnection(id);
  fillConnections();
  maybeFinish();
}

void HttpDownloadTask::onWritten(std::uint64_t offset, std::uint64_t length) {
  onDisk_.add(offset, offset + length);
  maybeSaveProgress();
  maybeFinish();
}

void HttpDownloadTask::maybeSaveProgress() {
  if (phase_ != Phase::Downloading || !resumeSaver_ || !resumeSaver_->idle()) {
    return;  // a save under way: the next write or tick tries again
  }
  const std::uint64_t now = context_.loop->nowMs();
  const std::uint64_t covered = onDisk_.coveredBytes();
  const bool due =
      covered != savedBytes_ && now >= savedAtMs_ + static_cast<std::uint64_t>(kSaveEvery.count());
  const std::uint64_t gap =
      std::max<std::uint64_t>(kMinSaveGap.count(), kSaveCostFactor * lastSaveTookMs_);
  const bool worthIt = covered >= savedBytes_ + kSaveAfterBytes && now >= savedAtMs_ + gap;
  if (due || worthIt) {
    saveResume();
  }
}

void HttpDownloadTask::closeConnection(ConnectionId id) {
  // Destroying a connection from inside its own handler is allowed.
  connections_.erase(id);
}

void HttpDownloadTask::closeAllConnections() {
  connections_.clear();
}

void HttpDownloadTask::chargeRateLimit(std::uint64_t bytes) {
  limiter_.consume(bytes);
  const auto now = std::chrono::steady_clock::now();
  if (throttled_ || limiter_.quota(now, 1) > 0) {
    return;
  }
  throttled_ = true;
  // Wait until a slice worth reading is there, not a single byte: fewer wake-ups.
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
      limiter_.delayUntilAvailable(now, 16 * 1024));
  throttleTimer_.start(std::max(wait, std::chrono::milliseconds(1)), std::chrono::milliseconds(0),
                       [this] {
                         throttled_ = false;
                         if (limiter_.quota(std::chrono::steady_clock::now(), 1) == 0) {
                           chargeRateLimit(0);  // still in debt: wait again
                         }
                         updateBackPressure();
                       });
}

void HttpDownloadTask::updateBackPressure() {
  const bool pause = (writer_ && writer_->congested()) || throttled_;
  if (pause == readingPaused_) {
    return;
  }
  readingPaused_ = pause;
  for (auto& [id, conn] : connections_) {
    if (pause) {
      conn.http->pauseReading();
    } else {
      conn.http->resumeReading();
    }
  }
}

void HttpDownloadTask::maybeFinish() {
  if (phase_ != Phase::Downloading || !planner_ || !planner_->finished() || !writer_ ||
      writer_->pendingBytes() > 0 || !total_ || onDisk_.coveredBytes() < *total_) {
    return;
  }
  phase_ = Phase::Finishing;
  closeAllConnections();
  saveTimer_.stop();
  std::weak_ptr<char> alive = life_;
  // flush, not sync: like curl and aria2 the finished file is left to the
  // page cache; forcing 1 GiB to the platter would triple the finish time.
  writer_->flush([this, alive](Result<void> flushed) {
    if (alive.expired()) {
      return;
    }
    if (!flushed) {
      failTask(flushed.error());
      return;
    }
    if (params_.checksum) {
      verifyChecksumThenFinish();
      return;
    }
    finishFile();
  });
}

void HttpDownloadTask::verifyChecksumThenFinish() {
  const Checksum& want = *params_.checksum;
  std::weak_ptr<char> alive = life_;
  storage::hashFileRange(
      jobs_, partFile_->file(), 0, total_.value_or(0), want.algorithm,
      [this, alive](Result<std::string> got) {
        if (alive.expired() || phase_ != Phase::Finishing) {
          return;
        }
        if (!got) {
          failTask(got.error());
          return;
        }
        std::string expected = params_.checksum->hex;
        for (char& c : expected) {
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (got.value() != expected) {
          // The file keeps its .part name: it is not the file that was asked for.
          failTask({ErrorCode::ChecksumMismatch,
                    fileName_ + ": expected " + expected + ", got " + got.value()});
          return;
        }
        finishFile();
      });
}

void HttpDownloadTask::finishFile() {
  std::weak_ptr<char> alive = life_;
  partFile_->finish([this, alive](Result<std::string> path) {
    if (alive.expired()) {
      return;
    }
    if (!path) {
      failTask(path.error());
      return;
    }
    finalPath_ = path.value();
    fileName_ = std::filesystem::path(finalPath_).filename().string();  // "NAME (1).ext" too
    // Completed once the resume file is gone too (after a save under way), so
    // an engine stopped right after the event leaves none behind.
    resumeSaver_->remove([this, alive](Result<void>) {
      if (alive.expired()) {
        return;
      }
      phase_ = Phase::Done;
      finalState_ = TaskState::Completed;
      context_.events->report(
          Event{Event::Kind::Completed, context_.id, ErrorCode::Ok, finalPath_});
      if (shutdownDone_) {
        auto done = std::move(shutdownDone_);
        shutdownDone_ = nullptr;
        done();
      }
    });
  });
}

ResumeState HttpDownloadTask::resumeState() const {
  ResumeState state;
  state.url = sources_[0].url.toString();
  state.fileName = fileName_;
  state.totalSize = total_;
  state.etag = strongEtag(validators_);
  state.lastModified = validators_.lastModified;
  state.done = onDisk_;
  for (std::size_t i = 1; i < sources_.size(); ++i) {
    state.mirrors.push_back(sources_[i].url.toString());
  }
  return state;
}

void HttpDownloadTask::saveResume() {
  // Without ranges nothing can be resumed; without a writer nothing was written.
  if (!resumeSaver_ || !rangesSupported_ || !total_ || phase_ == Phase::Done) {
    return;
  }
  savedBytes_ = onDisk_.coveredBytes();
  savedAtMs_ = context_.loop->nowMs();
  std::weak_ptr<char> alive = life_;
  auto measure = [this, alive, started = savedAtMs_](Result<void>) {
    if (!alive.expired()) {
      lastSaveTookMs_ = context_.loop->nowMs() - started;
    }
  };
  if (auto saved = resumeSaver_->save(resumeState(), std::move(measure)); !saved) {
    TLOG(Warning, "http") << fileName_ << ": cannot save resume data: " << saved.error().detail;
  }
}

void HttpDownloadTask::pause() {
  // Finishing takes a moment (flush, rename, delete the resume file): a pause
  // in between could save the resume file again after its deletion.
  if (phase_ == Phase::Done || phase_ == Phase::Finishing || paused_) {
    return;
  }
  paused_ = true;
  ++probeSerial_;
  if (preloadPending_) {
    preloadPending_ = false;
    preloadedName_.reset();  // read it again on resume
  }
  closeAllConnections();
  saveTimer_.stop();
  retryTimer_.stop();
  restartProbe_ = false;
  for (Source& src : sources_) {
    src.retryAtMs = 0;  // a resume tries at once
  }
  throttleTimer_.stop();
  throttled_ = false;
  updateBackPressure();
  if (planner_) {
    planner_.reset();  // in-flight ranges are forgotten; onDisk_ is the truth
  }
  if (phase_ == Phase::Opening) {
    // The open under way is dropped (its answer is stale now). What the probe
    // had taken from the resume file is gone with it: read the file again on
    // resume, or the next probe would start from byte 0 and truncate NAME.part.
    // (When probing after a pause, the open file and its state are kept.)
    partFile_.reset();
    preloadedName_.reset();
  }
  phase_ = Phase::Idle;
  if (writer_) {
    std::weak_ptr<char> alive = life_;
    writer_->flush([this, alive](Result<void>) {
      if (!alive.expired()) {
        saveResume();
      }
    });
  }
}

void HttpDownloadTask::resume() {
  if (restoredFinished_) {
    checkFinishedFile();  // never a second download: the user may have put the file back
    return;
  }
  if (phase_ == Phase::Done && finalState_ == TaskState::Failed) {
    retryAfterFailure();
    return;
  }
  if (phase_ == Phase::Done || !paused_) {
    return;
  }
  start();
}

void HttpDownloadTask::setLimits(std::uint64_t maxDownloadRate, std::uint64_t) {
  // Upload limits matter once a task seeds (BitTorrent); HTTP only downloads.
  params_.maxDownloadRate = maxDownloadRate;
  limiter_.setRate(std::chrono::steady_clock::now(), maxDownloadRate);
}

void HttpDownloadTask::remove(bool deleteFiles, util::UniqueFunction<void()> done) {
  closeAllConnections();
  saveTimer_.stop();
  phase_ = Phase::Done;
  if (deleteFiles && restoredFinished_) {
    restoredFinished_ = false;  // a check still running changes nothing now
    // Only the file as it was finished: one of another size is not ours any
    // more (checked right here, whatever the last check found).
    jobs_.submit(
        [io = context_.fileIo, path = finalPath_, size = total_.value_or(0)]() -> Result<void> {
          auto stat = io->stat(path);
          if (!stat || stat.value().size != size) {
            return {};
          }
          return io->remove(path);
        },
        [done = std::move(done)](Result<void>) mutable { done(); });
    return;
  }
  if (!deleteFiles || !partFile_) {
    done();
    return;
  }
  writer_.reset();
  auto removePart = [this, done = std::move(done)]() mutable {
    partFile_->removeFiles({}, [done = std::move(done)](Result<void>) mutable { done(); });
  };
  if (!resumeSaver_) {
    removePart();
    return;
  }
  // Through the writer, so the delete is ordered after a save that may still
  // be running (pause saves in the background); the writer lives until then.
  resumeSaver_->remove(
      [removePart = std::move(removePart)](Result<void>) mutable { removePart(); });
}

void HttpDownloadTask::shutdown(util::UniqueFunction<void()> done) {
  closeAllConnections();
  saveTimer_.stop();
  if (phase_ == Phase::Finishing) {
    // Stopping halfway could leave the resume file without NAME.part (renamed
    // already): the next run would download the file a second time.
    shutdownDone_ = std::move(done);
    return;
  }
  if (!writer_ || phase_ == Phase::Done) {
    done();
    return;
  }
  std::weak_ptr<char> alive = life_;
  writer_->flush([this, alive, done = std::move(done)](Result<void>) mutable {
    if (alive.expired()) {
      return;
    }
    if (!resumeSaver_ || !rangesSupported_ || !total_) {
      done();
      return;
    }
    auto shared = std::make_shared<util::UniqueFunction<void()>>(std::move(done));
    auto saved = resumeSaver_->save(resumeState(), [shared](Result<void>) { (*shared)(); });
    if (!saved) {
      (*shared)();  // nothing to wait for: the state could not be encoded
    }
  });
}

TaskSnapshot HttpDownloadTask::snapshot() {
  const std::uint64_t now = context_.loop->nowMs();
  TaskSnapshot s;
  s.id = context_.id;
  s.kind = TaskKind::Http;
  s.name = fileName_;
  s.saveDir = params_.saveDir;
  s.source = params_.source;
  s.addedAtUnix = addedAtUnix_;
  s.sizeKnown = total_.has_value();
  s.totalBytes = total_.value_or(0);
  s.verifiedBytes = onDisk_.coveredBytes();
  if (finalState_ != TaskState::Queued) {
    s.state = finalState_;
  } else if (paused_) {
    s.state = TaskState::Paused;
  } else {
    s.state = phase_ == Phase::Idle ? TaskState::Queued : TaskState::Downloading;
  }
  s.error =
      error_.code == ErrorCode::Internal && error_.detail.empty() ? ErrorCode::Ok : error_.code;
  s.errorDetail = error_.detail;
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    const Source& src = sources_[i];
    SourceSnapshot out;
    out.url = src.url.toString();
    out.kind = src.kind;
    out.downloaded = src.downloaded;
    out.downloadRate = src.meter.rate(now);
    for (const auto& [id, conn] : connections_) {
      out.connections += conn.source == i ? 1 : 0;
    }
    out.state = src.dropped           ? SourceSnapshot::State::Dropped
                : out.connections > 0 ? SourceSnapshot::State::Active
                                      : SourceSnapshot::State::Idle;
    if (src.dropped) {
      out.error = src.dropReason.code;
      out.errorDetail = src.dropReason.detail;
    } else if (src.failures > 0) {
      out.error = src.lastFailure.code;
      out.errorDetail = src.lastFailure.detail;
    }
    s.downloadRate += out.downloadRate;
    (src.kind == SourceKind::Cdn ? s.traffic.cdn : s.traffic.http) += src.downloaded;
    s.sources.push_back(std::move(out));
  }
  return s;
}

}  // namespace tributary::http
