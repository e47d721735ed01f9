#include "engine/http/HttpDownloadTask.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <utility>

#include "engine/http/ContentDisposition.h"
#include "engine/http/FileName.h"
#include "engine/http/HttpStatusError.h"
#include "engine/http/RequestWriter.h"
#include "engine/net/TlsErrors.h"
#include "engine/storage/FileHasher.h"
#include "engine/util/Log.h"

namespace tributary::http {
namespace {

constexpr std::chrono::milliseconds kSaveEvery{3000};
// A crash loses what reached the disk after the last save; with saves only
// every 3 s, a download killed again and again within its first seconds would
// start over each time. So progress saves sooner: once kSaveAfterBytes more
// are on disk, one save at a time, at most every kSaveGap. Each save fsyncs a
// small file (and, on ext4, commits the journal): a second apart keeps that
// off a fast download's back; the kill test would like less (issue 8).
constexpr std::uint64_t kSaveAfterBytes = std::uint64_t{256} << 10;
constexpr std::chrono::milliseconds kSaveGap{1000};

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

// 1 s, 2 s, 4 s ... (capped at 30 s): a flaky server gets time, a dead one
// is given up after kMaxAttempts (7 s of waiting with 4 attempts).
std::chrono::milliseconds backoff(unsigned failures) {
  const unsigned shift = std::min(failures - 1, 5u);
  return std::min(std::chrono::milliseconds(1000 << shift), std::chrono::milliseconds(30000));
}

// An HTML page where a file of another kind was asked for: a captive portal,
// a login wall or an error page served with 200. The name's extension is what
// the user expects; a page is only suspicious when that is not a page itself.
bool looksHijacked(const ResponseHead& head, const std::string& expectedName) {
  const std::string* type = head.find("Content-Type");
  if (type == nullptr) {
    return false;
  }
  std::string lower;
  for (char c : type->substr(0, 9)) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (lower != "text/html") {
    return false;
  }
  const auto dot = expectedName.rfind('.');
  if (dot == std::string::npos) {
    return false;  // no extension: nothing to compare with
  }
  std::string ext;
  for (char c : expectedName.substr(dot + 1)) {
    ext += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  static const char* const kPages[] = {"html", "htm",  "xhtml", "shtml", "php",
                                       "asp",  "aspx", "jsp",   "cgi"};
  for (const char* page : kPages) {
    if (ext == page) {
      return false;
    }
  }
  return true;
}

// Whether validators present on both sides differ (a strong ETag, or
// Last-Modified): then the bytes would come from another version of the file.
bool changedSince(const ResourceValidators& before, const ResourceValidators& now) {
  const std::string etagBefore = before.etag && !before.etag->weak ? before.etag->tag : "";
  const std::string etagNow = now.etag && !now.etag->weak ? now.etag->tag : "";
  if (!etagBefore.empty() && !etagNow.empty() && etagBefore != etagNow) {
    return true;
  }
  return !before.lastModified.empty() && !now.lastModified.empty() &&
         before.lastModified != now.lastModified;
}

// Whether a mirror serves another version of the file than the origin. ETags
// are server-specific (many servers put the inode or a config hash in them),
// so two honest servers with the same file disagree on them: Last-Modified,
// which mirroring tools copy, decides when both sides give it; strong ETags
// only when Last-Modified is missing on either side.
std::optional<std::string> mirrorMismatch(const ResourceValidators& origin,
                                          const ResourceValidators& mirror) {
  if (!origin.lastModified.empty() && !mirror.lastModified.empty()) {
    if (origin.lastModified != mirror.lastModified) {
      return "Last-Modified " + net::printableDetail(mirror.lastModified, 80) +
             " where the origin has " + net::printableDetail(origin.lastModified, 80);
    }
    return std::nullopt;
  }
  const bool bothStrong = origin.etag && !origin.etag->weak && mirror.etag && !mirror.etag->weak;
  if (bothStrong && origin.etag->tag != mirror.etag->tag) {
    return "ETag " + net::printableDetail(mirror.etag->tag, 80) + " where the origin has " +
           net::printableDetail(origin.etag->tag, 80);
  }
  return std::nullopt;
}

bool isRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string strongEtag(const ResourceValidators& v) {
  return v.etag && !v.etag->weak ? v.etag->tag : std::string();
}

}  // namespace

HttpDownloadTask::HttpDownloadTask(const core::TaskContext& context, const AddParams& params)
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
  withTls([this] { startProbe(); });
}

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

void HttpDownloadTask::startProbe() {
  phase_ = Phase::Probing;
  const ConnectionId id{nextConnectionId_++};
  HttpConnection& http = makeConnection(id, 0, true);
  RequestOptions request = requestFor(sources_[0].url);
  request.range = ByteRange{0, std::nullopt};
  auto head = writeRequestHead(sources_[0].url, request);
  if (!head) {
    failTask(head.error());
    return;
  }
  connections_[id].busy = true;
  HttpConnection::Handler handler;
  handler.onHead = [this, id](const ResponseHead& h) { return onProbeHead(id, h); };
  handler.onBody = [this, id](std::span<const char> body) { return onBody(id, body); };
  handler.onEnd = [this, id](Result<void> result) { onEnd(id, std::move(result)); };
  http.send(std::move(head.value()), false, std::move(handler));
}

RequestOptions HttpDownloadTask::requestFor(const codec::Url& url) const {
  RequestOptions request;
  request.userAgent =
      params_.userAgent.empty() ? std::string(kDefaultUserAgent) : params_.userAgent;
  request.referer = params_.referer;
  request.cookie = cookies_.header(url, static_cast<std::int64_t>(std::time(nullptr)));
  return request;
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
  std::optional<ContentRange> range;
  if (const std::string* value = head.find("Content-Range")) {
    range = parseContentRange(*value);
  }
  if (head.status == 206 && range && !range->unsatisfied && range->first == 0 &&
      range->completeLength) {
    total_ = range->completeLength;
    rangesSupported_ = true;
  } else if (head.status == 200) {
    // No Range support: one connection, from byte 0, for the whole file.
    rangesSupported_ = false;
    total_ = head.framing == BodyFraming::Length ? head.contentLength : std::nullopt;
  } else if (head.status == 416 && range && range->unsatisfied && range->completeLength == 0) {
    total_ = 0;  // an empty file: "bytes=0-" cannot be satisfied
    rangesSupported_ = true;
  } else {
    Error why = head.status == 206
                    ? Error{ErrorCode::ProtocolError,
                            "a 206 answer without a usable Content-Range from " + url.toString()}
                    : httpStatusError(head.status, url);
    closeConnection(id);
    retryOrFail(0, std::move(why));
    return false;
  }
  if (looksHijacked(head, fileName_)) {
    closeConnection(id);
    failTask({ErrorCode::HijackedResponse, url.toString() +
                                               " answered with an HTML page instead of " +
                                               fileName_ + " (a login page or a captive portal?)"});
    return false;
  }
  const ResourceValidators now = validatorsFromHead(head);
  std::string name = fileName_;
  if (const std::string* disposition = head.find("Content-Disposition")) {
    if (auto parsed = parseContentDisposition(*disposition);
        parsed && parsed->preferredFilename()) {
      name = sanitizeFileName(*parsed->preferredFilename(), fileName_);
    }
  }
  // After a pause the file is still open: continue when it is the same file.
  const bool sameAsBefore = partFile_ && writer_ && name == fileName_ &&
                            strongEtag(now) == strongEtag(validators_) &&
                            now.lastModified == validators_.lastModified && rangesSupported_;
  validators_ = now;
  sources_[0].verified = true;
  if (sameAsBefore) {
    beginDownloading();
    return true;
  }
  fileName_ = name;
  partFile_.reset();
  writer_.reset();
  resumeWriter_.reset();
  phase_ = Phase::Opening;
  // Hold the body until the file is open and the plan is made.
  connections_.at(id).http->pauseReading();
  const std::string partPath =
      storage::joinPath(params_.saveDir, fileName_ + std::string(storage::PartFile::kPartSuffix));
  std::weak_ptr<char> alive = life_;
  loadResumeFile(jobs_, context_.fileIo, resumePathFor(partPath),
                 [this, alive](Result<ResumeState> saved) {
                   if (!alive.expired()) {
                     afterResumeLoaded(std::move(saved));
                   }
                 });
  return true;
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
  if (!resumeData) {
    onDisk_.clear();
  }
  partFile_ = std::make_unique<storage::PartFile>(*context_.loop, *context_.workers,
                                                  context_.fileIo, params_.saveDir, fileName_);
  std::weak_ptr<char> alive = life_;
  partFile_->open(resumeData ? storage::PartFile::Mode::Resume : storage::PartFile::Mode::Restart,
                  total_, [this, alive](Result<storage::PartFile::Opened> opened) {
                    if (alive.expired() || phase_ != Phase::Opening) {
                      return;
                    }
                    if (!opened) {
                      failTask(opened.error());
                      return;
                    }
                    writer_ = std::make_unique<storage::DiskWriter>(
                        *context_.loop, *context_.workers, opened.value().file);
                    writer_->setOnWritten([this](std::uint64_t offset, std::uint64_t length) {
                      onWritten(offset, length);
                    });
                    writer_->setOnError([this](const Error& error) { failTask(error); });
                    writer_->setOnDrained([this] { updateBackPressure(); });
                    resumeWriter_ = std::make_unique<storage::StateFileWriter>(
                        *context_.loop, *context_.workers, context_.fileIo,
                        resumePathFor(partFile_->partPath()));
                    beginDownloading();
                  });
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
  // The probe's response runs from byte 0: keep it when the plan starts there.
  for (auto it = connections_.begin(); it != connections_.end(); ++it) {
    if (!it->second.probe) {
      continue;
    }
    const ConnectionId id = it->first;
    std::optional<Assignment> first =
        planner_->finished() ? std::nullopt : planner_->assign(id, SourceId{0});
    if (first && first->begin == 0) {
      it->second.next = 0;
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
  savedAtMs_ = context_.loop->nowMs();
  // The tick saves what the last writes of a burst brought, when no write follows.
  saveTimer_.start(kSaveGap, kSaveGap, [this] { maybeSaveProgress(); });
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
  // Mirrors carry their own validators; only the origin's may guard a range.
  if (conn.source == 0) {
    if (auto ifRange = validators_.ifRange()) {
      request.ifRange = *ifRange;
    }
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
  phase_ = Phase::Idle;
  // The old writer's queued blocks must be on disk before the file is
  // truncated, or a late write of the old version could land in the new one.
  auto again = [this] {
    writer_.reset();
    resumeWriter_.reset();
    partFile_.reset();  // the probe reopens it in Restart mode
    validators_ = {};
    if (!paused_ && phase_ == Phase::Idle) {
      startProbe();
    }
  };
  if (!writer_) {
    again();
    return;
  }
  std::weak_ptr<char> alive = life_;
  writer_->flush([alive, again = std::move(again)](Result<void>) mutable {
    if (!alive.expired()) {
      again();
    }
  });
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
      // New bytes: it works again. (Without ranges every retry starts at 0, so
      // bytes are no proof of progress there.)
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
  if (phase_ != Phase::Downloading || !resumeWriter_ || !resumeWriter_->idle()) {
    return;  // a save under way: the next write or tick tries again
  }
  const std::uint64_t now = context_.loop->nowMs();
  const bool due = now >= savedAtMs_ + static_cast<std::uint64_t>(kSaveEvery.count());
  const bool worthIt = onDisk_.coveredBytes() >= savedBytes_ + kSaveAfterBytes &&
                       now >= savedAtMs_ + static_cast<std::uint64_t>(kSaveGap.count());
  if (due || worthIt) {
    saveResume();
  }
}

void HttpDownloadTask::retryOrDrop(std::size_t index, Error why) {
  Source& source = sources_[index];
  if (!isTransient(why) || ++source.failures >= kMaxAttempts) {
    dropSource(index, std::move(why));
    return;
  }
  const auto delay = backoff(source.failures);
  TLOG(Info, "http") << source.url.toString() << ": " << why.toString() << "; retrying in "
                     << delay.count() << " ms";
  source.retryAtMs = context_.loop->nowMs() + static_cast<std::uint64_t>(delay.count());
  scheduleRetry(delay);
}

void HttpDownloadTask::retryOrFail(std::size_t index, Error why) {
  Source& source = sources_[index];
  if (!isTransient(why) || ++source.failures >= kMaxAttempts) {
    failTask(std::move(why));
    return;
  }
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
    resumeWriter_->remove();
    phase_ = Phase::Done;
    finalState_ = TaskState::Completed;
    context_.events->report(Event{Event::Kind::Completed, context_.id, ErrorCode::Ok, finalPath_});
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
  if (!resumeWriter_ || !rangesSupported_ || !total_ || phase_ == Phase::Done) {
    return;
  }
  savedBytes_ = onDisk_.coveredBytes();
  savedAtMs_ = context_.loop->nowMs();
  if (auto saved = saveResumeFile(*resumeWriter_, resumeState()); !saved) {
    TLOG(Warning, "http") << fileName_ << ": cannot save resume data: " << saved.error().detail;
  }
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
  if (writer_) {
    std::weak_ptr<char> alive = life_;
    writer_->flush([this, alive](Result<void>) {
      if (!alive.expired()) {
        saveResumeAfterFailure();
      }
    });
  }
  context_.events->report(Event{Event::Kind::Failed, context_.id, error.code, error.detail});
}

void HttpDownloadTask::saveResumeAfterFailure() {
  if (resumeWriter_ && rangesSupported_ && total_) {
    (void)saveResumeFile(*resumeWriter_, resumeState());
  }
}

void HttpDownloadTask::pause() {
  if (phase_ == Phase::Done || paused_) {
    return;
  }
  paused_ = true;
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
  if (phase_ != Phase::Downloading) {
    // Probing or opening: start over on resume.
    partFile_.reset();
    writer_.reset();
    resumeWriter_.reset();
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
  if (phase_ == Phase::Done && finalState_ == TaskState::Failed) {
    retryAfterFailure();
    return;
  }
  if (phase_ == Phase::Done || !paused_) {
    return;
  }
  start();
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
  sources_[0].url = codec::parseUrl(params_.source).value();  // checked when added
  for (Source& source : sources_) {
    source.dropped = false;
    source.dropReason = {};
    source.failures = 0;
    source.retryAtMs = 0;
  }
  planner_.reset();
  writer_.reset();  // a writer that failed takes no more blocks: the probe makes a new one
  auto again = [this] {
    partFile_.reset();
    resumeWriter_.reset();
    if (!paused_ && phase_ == Phase::Idle) {
      start();
    }
  };
  // What is on disk now goes into the resume file first (after any save still
  // running), so the probe finds it and fetches only the rest. If the disk is
  // still full, the save fails and the last good resume file is used.
  if (resumeWriter_ && rangesSupported_ && total_) {
    std::weak_ptr<char> alive = life_;
    auto saved =
        saveResumeFile(*resumeWriter_, resumeState(), [alive, again](Result<void>) mutable {
          if (!alive.expired()) {
            again();
          }
        });
    if (saved) {
      return;
    }
  }
  again();
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
  if (!deleteFiles || !partFile_) {
    done();
    return;
  }
  writer_.reset();
  auto removePart = [this, done = std::move(done)]() mutable {
    partFile_->removeFiles({}, [done = std::move(done)](Result<void>) mutable { done(); });
  };
  if (!resumeWriter_) {
    removePart();
    return;
  }
  // Through the writer, so the delete is ordered after a save that may still
  // be running (pause saves in the background); the writer lives until then.
  resumeWriter_->remove(
      [removePart = std::move(removePart)](Result<void>) mutable { removePart(); });
}

void HttpDownloadTask::shutdown(util::UniqueFunction<void()> done) {
  closeAllConnections();
  saveTimer_.stop();
  if (!writer_ || phase_ == Phase::Done) {
    done();
    return;
  }
  std::weak_ptr<char> alive = life_;
  writer_->flush([this, alive, done = std::move(done)](Result<void>) mutable {
    if (alive.expired()) {
      return;
    }
    if (!resumeWriter_ || !rangesSupported_ || !total_) {
      done();
      return;
    }
    auto saved = saveResumeFile(*resumeWriter_, resumeState(),
                                [done = std::move(done)](Result<void>) mutable { done(); });
    (void)saved;
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
    out.error = src.dropped ? src.dropReason.code : ErrorCode::Ok;
    out.errorDetail = src.dropped ? src.dropReason.detail : std::string();
    s.downloadRate += out.downloadRate;
    (src.kind == SourceKind::Cdn ? s.traffic.cdn : s.traffic.http) += src.downloaded;
    s.sources.push_back(std::move(out));
  }
  return s;
}

}  // namespace tributary::http
