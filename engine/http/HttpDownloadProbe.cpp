// HttpDownloadTask, part two: from start() to the first byte written. Getting
// TLS ready, the resume file read before the probe, the probe itself and its
// redirects, and opening NAME.part (see ProbeAnswer.h for what the answers mean).
#include <algorithm>
#include <ctime>
#include <utility>

#include "engine/http/ContentDisposition.h"
#include "engine/http/FileName.h"
#include "engine/http/HttpDownloadTask.h"
#include "engine/http/HttpStatusError.h"
#include "engine/http/RequestWriter.h"
#include "engine/http/ResponseChecks.h"
#include "engine/util/Log.h"

namespace tributary::http {

bool HttpDownloadTask::needsTls() const {
  return std::any_of(sources_.begin(), sources_.end(),
                     [](const Source& source) { return source.url.isHttps(); });
}

void HttpDownloadTask::withTls(util::UniqueFunction<void()> then) {
  if (tls_ || !needsTls()) {
    then();
    return;
  }
  if (tlsPending_) {
    return;  // the build under way calls startProbe() when it is done
  }
  std::vector<std::string> caFiles;
  if (!params_.caCertFile.empty()) {
    caFiles.push_back(params_.caCertFile);
  }
  if (!context_.tls) {
    failTask({ErrorCode::TlsFailure, "no TLS support in this engine"});
    return;
  }
  if (std::shared_ptr<net::TlsContext> ready = context_.tls->peek(caFiles)) {
    tls_ = std::move(ready);
    then();
    return;
  }
  tlsPending_ = true;
  std::weak_ptr<char> alive = life_;
  jobs_.submit(
      [cache = context_.tls, caFiles] { return cache->get(caFiles); },
      [this, alive, then = std::move(then)](Result<std::shared_ptr<net::TlsContext>> made) mutable {
        if (alive.expired()) {
          return;
        }
        tlsPending_ = false;
        if (phase_ == Phase::Done) {
          return;
        }
        if (!made) {
          failTask(made.error());
          return;
        }
        tls_ = made.value();
        if (!paused_) {
          then();
        }
      });
}

std::string HttpDownloadTask::partPathFor(const std::string& name) const {
  return storage::joinPath(params_.saveDir, name + std::string(storage::PartFile::kPartSuffix));
}

void HttpDownloadTask::startProbe() {
  phase_ = Phase::Probing;
  if (releasesPending_ > 0) {
    probeAfterRelease_ = true;  // the old file's writes and saves first
    return;
  }
  probeAfterRelease_ = false;
  if (partFile_ && writer_) {
    // After a pause the file is open and onDisk_ is the truth.
    known_.reset();
    if (rangesSupported_ && total_) {
      known_ = resumeState();
    }
  } else if (preloadedName_ != fileName_) {
    // Read what a previous run left before asking, so the probe's body is
    // the first bytes still missing rather than bytes already on disk.
    preloadedName_ = fileName_;
    known_.reset();
    preloadPending_ = true;
    const std::uint64_t serial = ++probeSerial_;
    std::weak_ptr<char> alive = life_;
    loadResumeFile(jobs_, context_.fileIo, resumePathFor(partPathFor(fileName_)),
                   [this, alive, serial](Result<ResumeState> saved) {
                     if (alive.expired() || serial != probeSerial_) {
                       return;
                     }
                     preloadPending_ = false;
                     if (phase_ != Phase::Probing || paused_) {
                       return;
                     }
                     known_ = usableResume(std::move(saved));
                     sendProbe();
                   });
    return;
  }
  sendProbe();
}

std::optional<ResumeState> HttpDownloadTask::usableResume(Result<ResumeState> saved) const {
  if (!saved) {
    if (saved.error().code != ErrorCode::FileMissing) {
      TLOG(Warning, "http") << fileName_ << ": resume data unusable (" << saved.error().detail
                            << "); starting over";
    }
    return std::nullopt;
  }
  if (!saved.value().totalSize || saved.value().fileName != fileName_) {
    return std::nullopt;  // only a ranged download of this very name is resumed
  }
  return std::move(saved.value());
}

void HttpDownloadTask::sendProbe() {
  const ConnectionId id{nextConnectionId_++};
  HttpConnection& http = makeConnection(id, 0, true);
  probeRequest_ = probeRequestFor(known_ ? &*known_ : nullptr);
  RequestOptions request = requestFor(sources_[0].url);
  request.range = ByteRange{probeRequest_.from, std::nullopt};
  auto head = writeRequestHead(sources_[0].url, request);
  if (!head) {
    failTask(head.error());
    return;
  }
  Connection& conn = connections_[id];
  conn.busy = true;
  conn.requestBegin = probeRequest_.from;
  conn.next = probeRequest_.from;
  HttpConnection::Handler handler;
  handler.onHead = [this, id](const ResponseHead& h) { return onProbeHead(id, h); };
  handler.onBody = [this, id](std::span<const char> body) { return onBody(id, body); };
  handler.onEnd = [this, id](Result<void> result) { onEnd(id, std::move(result)); };
  http.send(std::move(head.value()), false, std::move(handler));
}

bool HttpDownloadTask::onProbeHead(ConnectionId id, const ResponseHead& head) {
  const codec::Url& url = sources_[0].url;
  // Cookies set on the way (a redirect that logs in, a CDN token) go with
  // every later request, as a browser would send them.
  cookies_.store(url, head, static_cast<std::int64_t>(std::time(nullptr)));
  if (isRedirect(head.status)) {
    onProbeRedirect(id, head);
    return false;
  }
  std::string name = fileName_;
  if (const std::string* disposition = head.find("Content-Disposition")) {
    if (auto parsed = parseContentDisposition(*disposition);
        parsed && parsed->preferredFilename()) {
      name = sanitizeFileName(*parsed->preferredFilename(), fileName_);
    }
  }
  const bool sameName = name == fileName_;
  const ProbeAnswer answer =
      judgeProbeAnswer(head, probeRequest_, sameName && known_ ? &*known_ : nullptr);
  switch (answer.kind) {
    case ProbeAnswer::Kind::AskAgain:
      closeConnection(id);
      probeAgain(std::move(name));
      return false;
    case ProbeAnswer::Kind::Unusable: {
      Error why = head.status == 206
                      ? Error{ErrorCode::ProtocolError,
                              "a 206 answer without a usable Content-Range from " + url.toString()}
                      : httpStatusError(head.status, url);
      closeConnection(id);
      retryOrFail(0, std::move(why));
      return false;
    }
    case ProbeAnswer::Kind::Whole:
      rangesSupported_ = false;  // one connection, from byte 0, for the whole file
      connections_.at(id).requestBegin = 0;
      connections_.at(id).next = 0;
      break;
    case ProbeAnswer::Kind::Ranged:
    case ProbeAnswer::Kind::Empty:
      rangesSupported_ = true;
      break;
  }
  total_ = answer.total;
  if (looksHijacked(head, fileName_)) {
    closeConnection(id);
    failTask({ErrorCode::HijackedResponse, url.toString() +
                                               " answered with an HTML page instead of " +
                                               fileName_ + " (a login page or a captive portal?)"});
    return false;
  }
  validators_ = validatorsFromHead(head);
  sources_[0].verified = true;
  if (known_ && !answer.resumeHolds) {
    TLOG(Info, "http") << fileName_ << ": the server's file is not the one the resume data"
                       << " describes, or has no ranges; starting over";
  }
  if (answer.resumeHolds && partFile_ && writer_) {
    known_.reset();
    beginDownloading();  // after a pause: the same file, still open
    return true;
  }
  std::optional<ResumeState> resumeFrom = answer.resumeHolds ? std::move(known_) : std::nullopt;
  // Files still open here are those of a pause, and known_ says what they hold.
  std::optional<ResumeState> openState = std::move(known_);
  known_.reset();
  const std::string oldName = fileName_;
  fileName_ = name;
  phase_ = Phase::Opening;
  // Hold the body until the file is open and the plan is made.
  connections_.at(id).http->pauseReading();
  if (!partFile_ && !writer_ && !resumeSaver_) {
    openAfterProbe(std::move(resumeFrom), !sameName);
    return true;
  }
  // The old file of the same name is about to be truncated: its resume file
  // goes; under another name it stays, with what it holds.
  releaseFile(
      oldName != fileName_ ? std::move(openState) : std::nullopt,
      [this, serial = probeSerial_, resumeFrom = std::move(resumeFrom), sameName]() mutable {
        if (serial == probeSerial_ && phase_ == Phase::Opening) {
          openAfterProbe(std::move(resumeFrom), !sameName);
        }
      });
  return true;
}

void HttpDownloadTask::openAfterProbe(std::optional<ResumeState> resumeFrom, bool renamed) {
  if (resumeFrom) {
    onDisk_ = std::move(resumeFrom->done);
    openFile(true);
  } else if (renamed && probeRequest_.from == 0) {
    // The server named the file: its resume data (if any) is under that name.
    std::weak_ptr<char> alive = life_;
    loadResumeFile(jobs_, context_.fileIo, resumePathFor(partPathFor(fileName_)),
                   [this, alive, serial = probeSerial_](Result<ResumeState> saved) {
                     if (!alive.expired() && serial == probeSerial_ && phase_ == Phase::Opening) {
                       afterResumeLoaded(std::move(saved));
                     }
                   });
  } else {
    openFile(false);
  }
}

void HttpDownloadTask::probeAgain(std::string name) {
  // What is open belongs to the file as it was: a fresh probe decides anew.
  std::optional<ResumeState> openState = std::move(known_);
  known_.reset();
  const std::string oldName = fileName_;
  if (name != fileName_ && ++reprobes_ <= kMaxReprobes) {
    fileName_ = std::move(name);  // its own resume file is read before the next probe
  } else {
    preloadedName_ = fileName_;  // the next probe asks from byte 0, as for a new file
  }
  if (partFile_ || writer_ || resumeSaver_) {
    // Kept under its old name; dropped when the same name starts over.
    releaseFile(oldName != fileName_ ? std::move(openState) : std::nullopt);
  }
  startProbe();  // waits for the release
}

void HttpDownloadTask::onProbeRedirect(ConnectionId id, const ResponseHead& head) {
  Source& origin = sources_[0];
  const std::string* location = head.find("Location");
  codec::UrlParseError parseError;
  std::optional<codec::Url> next =
      location ? parseLocation(origin.url, *location, parseError) : std::nullopt;
  closeConnection(id);
  if (!next) {
    failTask({ErrorCode::ProtocolError,
              "a redirect without a usable Location from " + origin.url.toString()});
    return;
  }
  visited_.insert(origin.url.toString());
  if (visited_.count(next->toString()) > 0) {
    failTask({ErrorCode::RedirectLoop, "redirect loop at " + next->toString()});
    return;
  }
  if (++redirects_ > kMaxRedirects) {
    failTask({ErrorCode::TooManyRedirects,
              "more than " + std::to_string(kMaxRedirects) + " redirects from " + params_.source});
    return;
  }
  origin.url = std::move(*next);
  fileName_ = sanitizeFileName(codec::fileNameFromUrl(origin.url), fileName_);
  withTls([this] { startProbe(); });  // an http URL may redirect to https
}

void HttpDownloadTask::afterResumeLoaded(Result<ResumeState> saved) {
  bool resumeData = false;
  if (saved) {
    const RemoteIdentity now{total_, strongEtag(validators_), validators_.lastModified};
    if (auto same = checkSameRemote(saved.value(), now); same && rangesSupported_) {
      onDisk_ = saved.value().done;
      resumeData = true;
    } else if (!same) {
      TLOG(Warning, "http") << fileName_ << ": " << same.error().detail
                            << "; starting over instead of mixing two versions";
    }
  } else if (saved.error().code != ErrorCode::FileMissing) {
    TLOG(Warning, "http") << fileName_ << ": resume data unusable (" << saved.error().detail
                          << "); starting over";
  }
  openFile(resumeData);
}

void HttpDownloadTask::openFile(bool resumeData) {
  const std::uint64_t serial = probeSerial_;
  if (resumeData) {
    openPartFile(true, serial);
    return;
  }
  onDisk_.clear();
  // Restart mode truncates NAME.part and sizes it to the total: a resume file
  // left from before (another version, or one never read) must be gone first,
  // or a crash before the first save would trust its claims on zeroes.
  std::weak_ptr<char> alive = life_;
  jobs_.submit(
      [io = context_.fileIo, path = resumePathFor(partPathFor(fileName_))] {
        (void)io->remove(path);  // missing is the usual case
        return Result<void>{};
      },
      [this, alive, serial](Result<void>) {
        if (!alive.expired() && serial == probeSerial_ && phase_ == Phase::Opening) {
          openPartFile(false, serial);
        }
      });
}

void HttpDownloadTask::openPartFile(bool resumeData, std::uint64_t serial) {
  partFile_ = std::make_unique<storage::PartFile>(*context_.loop, *context_.workers,
                                                  context_.fileIo, params_.saveDir, fileName_);
  std::weak_ptr<char> alive = life_;
  partFile_->open(resumeData ? storage::PartFile::Mode::Resume : storage::PartFile::Mode::Restart,
                  total_, [this, alive, serial](Result<storage::PartFile::Opened> opened) {
                    if (alive.expired() || serial != probeSerial_ || phase_ != Phase::Opening) {
                      return;
                    }
                    if (!opened) {
                      failTask(opened.error());
                      return;
                    }
                    if (!onDisk_.empty() && (!opened.value().existed ||
                                             opened.value().sizeOnDisk < total_.value_or(0))) {
                      // The resume data claims bytes of a file that is gone or
                      // was cut short: they are not there to keep.
                      TLOG(Warning, "http")
                          << partFile_->partPath() << ": missing or shorter than its resume data;"
                          << " starting over";
                      onDisk_.clear();
                    }
                    writer_ = std::make_unique<storage::DiskWriter>(
                        *context_.loop, *context_.workers, opened.value().file);
                    writer_->setOnWritten([this](std::uint64_t offset, std::uint64_t length) {
                      onWritten(offset, length);
                    });
                    writer_->setOnError([this](const Error& error) { failTask(error); });
                    writer_->setOnDrained([this] { updateBackPressure(); });
                    resumeSaver_ = std::make_unique<ResumeSaver>(
                        *context_.loop, *context_.workers, context_.fileIo,
                        resumePathFor(partFile_->partPath()), opened.value().file);
                    beginDownloading();
                  });
}

}  // namespace tributary::http
