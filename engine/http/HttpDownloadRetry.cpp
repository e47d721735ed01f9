// HttpDownloadTask, part three: when things go wrong. Back-off and retries
// per source, dropping a source for good, the remote file changing under the
// download, failing the task, resume() of a failed task, and letting go of an
// open file without racing the writes and saves still on the pool.
#include <algorithm>
#include <utility>
#include <vector>

#include "engine/http/HttpDownloadTask.h"
#include "engine/util/Log.h"

namespace tributary::http {
namespace {

// Worth another try after a pause: the network or the server may recover.
// Certificates, 4xx answers and a changed file will not.
bool isTransient(const Error& error) {
  switch (error.code) {
    case ErrorCode::ConnectionRefused:
    case ErrorCode::ConnectionReset:
    case ErrorCode::Timeout:
    case ErrorCode::DnsFailure:
    case ErrorCode::HttpServerError:
    case ErrorCode::IoError:
      return true;
    default:
      return false;
  }
}

// Nothing answered: a connect or a read timed out, no route, no name. That
// may be our own link gone for a minute (Wi-Fi, a cable, a VPN), not the
// server: such a source is given up only after kNetworkPatience of failing
// as well as kMaxAttempts. A server that answers badly (refuses, resets,
// 5xx) is given up after kMaxAttempts as before.
bool mayBeOurNetwork(const Error& error) {
  return error.code == ErrorCode::Timeout || error.code == ErrorCode::DnsFailure ||
         error.code == ErrorCode::IoError;
}
constexpr std::uint64_t kNetworkPatienceMs = 5 * 60 * 1000;

// 1 s, 2 s, 4 s, 8 s, then every 10 s: a flaky server gets time, and once a
// lost link is back a waiting source tries again within 10 s.
std::chrono::milliseconds backoff(unsigned failures) {
  const unsigned shift = std::min(failures - 1, 4u);
  return std::min(std::chrono::milliseconds(1000 << shift), std::chrono::milliseconds(10000));
}

}  // namespace

bool HttpDownloadTask::giveUpAfter(Source& source, const Error& why) {
  if (!isTransient(why)) {
    return true;
  }
  const std::uint64_t now = context_.loop->nowMs();
  if (source.failures == 0) {
    source.failingSinceMs = now;
  }
  ++source.failures;
  return source.failures >= kMaxAttempts &&
         (!mayBeOurNetwork(why) || now - source.failingSinceMs >= kNetworkPatienceMs);
}

void HttpDownloadTask::retryOrDrop(std::size_t index, Error why) {
  Source& source = sources_[index];
  if (!source.dropped && mayBeOurNetwork(why) && source.retryAtMs > context_.loop->nowMs()) {
    // Already waiting to try again: the source's other connections timing
    // out in the same outage are one failure, not one each. (A server that
    // resets every connection is counted per connection, as before.)
    return;
  }
  if (giveUpAfter(source, why)) {
    dropSource(index, std::move(why));
    return;
  }
  source.lastFailure = why;
  const auto delay = backoff(source.failures);
  TLOG(Info, "http") << source.url.toString() << ": " << why.toString() << "; retrying in "
                     << delay.count() << " ms";
  source.retryAtMs = context_.loop->nowMs() + static_cast<std::uint64_t>(delay.count());
  scheduleRetry(delay);
}

void HttpDownloadTask::retryOrFail(std::size_t index, Error why) {
  Source& source = sources_[index];
  if (giveUpAfter(source, why)) {
    failTask(std::move(why));
    return;
  }
  source.lastFailure = why;
  const auto delay = backoff(source.failures);
  TLOG(Info, "http") << source.url.toString() << ": " << why.toString() << "; retrying in "
                     << delay.count() << " ms";
  closeAllConnections();
  planner_.reset();
  phase_ = Phase::Idle;
  restartProbe_ = true;
  scheduleRetry(delay);
}

void HttpDownloadTask::scheduleRetry(std::chrono::milliseconds delay) {
  if (retryTimer_.active()) {
    return;  // an earlier retry is due first and refills every ready source
  }
  retryTimer_.start(delay, std::chrono::milliseconds(0), [this] {
    if (paused_ || phase_ == Phase::Done) {
      return;
    }
    if (restartProbe_) {
      restartProbe_ = false;
      startProbe();
      return;
    }
    fillConnections();
    // Sources still waiting get their own turn.
    std::uint64_t next = 0;
    for (const Source& src : sources_) {
      if (!src.dropped && src.retryAtMs > context_.loop->nowMs()) {
        next = next == 0 ? src.retryAtMs : std::min(next, src.retryAtMs);
      }
    }
    if (next > 0) {
      scheduleRetry(std::chrono::milliseconds(next - context_.loop->nowMs()));
    }
  });
}

void HttpDownloadTask::dropSource(std::size_t index, Error why) {
  Source& source = sources_[index];
  if (!source.dropped) {
    TLOG(Warning, "http") << "dropping " << source.url.toString() << ": " << why.toString();
    source.dropped = true;
    source.dropReason = why;
    if (planner_) {
      for (ConnectionId id : planner_->releaseSource(SourceId{static_cast<std::uint32_t>(index)})) {
        closeConnection(id);
      }
    }
  }
  for (const Source& s : sources_) {
    if (!s.dropped) {
      context_.loop->post([this, alive = std::weak_ptr<char>(life_)] {
        if (!alive.expired()) {
          fillConnections();
        }
      });
      return;
    }
  }
  failTask(std::move(why));  // no source is left
}

void HttpDownloadTask::restartFromScratch(const Error& why) {
  if (++restarts_ > kMaxRestarts) {
    failTask({ErrorCode::RemoteChanged, why.detail + " (again: the file keeps changing)"});
    return;
  }
  TLOG(Warning, "http") << why.detail << "; starting the download over";
  closeAllConnections();
  saveTimer_.stop();
  retryTimer_.stop();
  planner_.reset();
  onDisk_.clear();
  known_.reset();
  preloadedName_ = fileName_;  // the resume file describes the old version
  phase_ = Phase::Idle;
  validators_ = {};
  // The resume file describes the old version: it goes with the old writer.
  releaseFile(std::nullopt, [this] {
    if (!paused_ && phase_ == Phase::Idle) {
      startProbe();
    }
  });
}

struct HttpDownloadTask::HeldFile {
  std::unique_ptr<storage::PartFile> part;
  std::unique_ptr<storage::DiskWriter> writer;
  std::unique_ptr<ResumeSaver> saver;
};

void HttpDownloadTask::releaseFile(std::optional<ResumeState> keep,
                                   util::UniqueFunction<void()> then) {
  auto held = std::make_shared<HeldFile>();
  held->part = std::move(partFile_);
  held->writer = std::move(writer_);
  held->saver = std::move(resumeSaver_);
  // The task owns what it waits for and the callbacks hold it weakly: no
  // cycle through the saver's callbacks if the engine stops before they run.
  releasing_.push_back(held);
  std::weak_ptr<HeldFile> weak = held;
  updateBackPressure();  // the old writer's congestion no longer holds reading
  ++releasesPending_;
  std::weak_ptr<char> alive = life_;
  auto released = std::make_shared<util::UniqueFunction<void()>>(
      [this, alive, weak, then = std::move(then)]() mutable {
        if (alive.expired()) {
          return;
        }
        // Posted, so the old writer and saver are destroyed outside their callbacks.
        context_.loop->post([this, alive, weak, then = std::move(then)]() mutable {
          if (alive.expired()) {
            return;
          }
          std::erase(releasing_, weak.lock());
          --releasesPending_;
          if (then) {
            then();
          }
          if (releasesPending_ == 0 && probeAfterRelease_) {
            probeAfterRelease_ = false;
            if (!paused_ && phase_ == Phase::Probing) {
              startProbe();
            }
          }
        });
      });
  auto afterFlush = [weak, keep = std::move(keep), released](Result<void>) mutable {
    auto done = [released](Result<void>) { (*released)(); };
    std::shared_ptr<HeldFile> file = weak.lock();
    if (!file || !file->saver) {
      done({});
    } else if (!keep) {
      file->saver->remove(done);  // after a save under way, never before
    } else if (!file->saver->save(*keep, done)) {
      done({});  // cannot be encoded: nothing new is written
    }
  };
  if (!held->writer) {
    afterFlush({});
    return;
  }
  // Its late completions belong to the old file, not to what comes next.
  held->writer->setOnWritten([](std::uint64_t, std::uint64_t) {});
  held->writer->setOnError([](const Error&) {});
  held->writer->setOnDrained([] {});
  held->writer->flush(std::move(afterFlush));
}

void HttpDownloadTask::failTask(Error error) {
  if (phase_ == Phase::Done) {
    return;
  }
  TLOG(Warning, "http") << params_.source << ": " << error.toString();
  closeAllConnections();
  saveTimer_.stop();
  retryTimer_.stop();
  phase_ = Phase::Done;
  finalState_ = TaskState::Failed;
  error_ = error;
  // A shutdown waiting for the finish chain waits for this save instead.
  util::UniqueFunction<void()> shutdownDone = std::move(shutdownDone_);
  shutdownDone_ = nullptr;
  if (writer_) {
    std::weak_ptr<char> alive = life_;
    writer_->flush([this, alive, shutdownDone = std::move(shutdownDone)](Result<void>) mutable {
      if (!alive.expired()) {
        saveResumeAfterFailure(std::move(shutdownDone));
      }
    });
  } else if (shutdownDone) {
    shutdownDone();
  }
  context_.events->report(Event{Event::Kind::Failed, context_.id, error.code, error.detail});
}

void HttpDownloadTask::saveResumeAfterFailure(util::UniqueFunction<void()> done) {
  auto shared = std::make_shared<util::UniqueFunction<void()>>(std::move(done));
  auto finished = [shared](Result<void>) {
    if (*shared) {
      (*shared)();
    }
  };
  if (resumeSaver_ && rangesSupported_ && total_ && resumeSaver_->save(resumeState(), finished)) {
    return;
  }
  finished({});
}

void HttpDownloadTask::retryAfterFailure() {
  TLOG(Info, "http") << params_.source << ": trying again after: " << error_.toString();
  finalState_ = TaskState::Queued;
  error_ = {};
  phase_ = Phase::Idle;
  paused_ = false;
  restarts_ = 0;
  redirects_ = 0;
  visited_.clear();
  known_.reset();
  preloadedName_.reset();  // what is saved below is read back before the probe
  sources_[0].url = codec::parseUrl(params_.source).value();  // checked when added
  for (Source& source : sources_) {
    source.dropped = false;
    source.dropReason = {};
    source.failures = 0;
    source.retryAtMs = 0;
  }
  planner_.reset();
  // The writer that failed takes no more blocks, but its jobs still running
  // must end before the probe may reopen (and truncate) NAME.part. What is on
  // disk now goes into the resume file first (after any save still running),
  // so the probe finds it and fetches only the rest; if the disk is still
  // full, that save fails and the last good resume file is used.
  std::optional<ResumeState> onDiskNow;
  if (rangesSupported_ && total_) {
    onDiskNow = resumeState();
  }
  if (partFile_ || writer_ || resumeSaver_) {
    releaseFile(std::move(onDiskNow));
  }
  start();  // the probe waits for the release
}

}  // namespace tributary::http
