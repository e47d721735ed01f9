#include "engine/bt/MagnetTask.h"

#include <ctime>
#include <utility>

#include "engine/bt/MagnetMetainfo.h"
#include "engine/bt/MetadataCache.h"
#include "engine/codec/HexBase32.h"
#include "engine/util/Log.h"

namespace tributary::bt {
namespace {

std::string hexOf(const util::Sha1::Digest& digest) {
  return codec::hexEncode(
      std::span(reinterpret_cast<const std::uint8_t*>(digest.data()), digest.size()));
}

}  // namespace

MagnetTask::MagnetTask(const core::TaskContext& context, const AddParams& params, MagnetUri magnet,
                       std::shared_ptr<BtShared> shared, std::string cachedInfo)
    : context_(context),
      params_(params),
      magnet_(std::move(magnet)),
      shared_(std::move(shared)),
      addedAtUnix_(static_cast<std::int64_t>(std::time(nullptr))) {
  paused_ = params_.startPaused;
  userSetPriorities_ = !params_.filePriorities.empty();
  fetcher_ = std::make_unique<MetadataFetcher>(
      context_, magnet_.infoHash, magnet_.trackers, shared_,
      [this](std::string infoBytes) { adoptMetadata(infoBytes, true); });
  // The user's peers and the magnet's x.pe go to the fetcher; the torrent
  // later gets every peer the fetcher knows, minus the ones it banned.
  std::vector<std::string> given = params_.peers;
  given.insert(given.end(), magnet_.peers.begin(), magnet_.peers.end());
  params_.peers.clear();
  std::vector<loop::SocketAddress> manual;
  for (const std::string& text : given) {
    if (auto address = loop::SocketAddress::parseWithPort(text)) {
      manual.push_back(*address);
    } else {
      TLOG(Warning, "bt") << "not a peer address (IP:port): " << text;
    }
  }
  fetcher_->addPeers(manual, PeerOrigin::Manual);
  if (!cachedInfo.empty() && !adoptMetadata(cachedInfo, false)) {
    error_.reset();  // a bad cached copy: fetch it from the swarm instead
    TLOG(Warning, "bt") << "magnet " << hexOf(magnet_.infoHash)
                        << ": the kept metadata is unusable; fetching it again";
  }
}

MagnetTask::~MagnetTask() = default;

void MagnetTask::start() {
  paused_ = false;
  if (torrent_) {
    torrent_->start();
  } else if (fetcher_ && !error_) {
    fetcher_->start();
  }
}

void MagnetTask::pause() {
  paused_ = true;
  if (torrent_) {
    torrent_->pause();
  } else if (fetcher_) {
    fetcher_->stop();
  }
}

void MagnetTask::resume() {
  if (torrent_) {
    paused_ = false;
    torrent_->resume();
    return;
  }
  start();
}

void MagnetTask::setLimits(std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) {
  params_.maxDownloadRate = maxDownloadRate;
  params_.maxUploadRate = maxUploadRate;
  if (torrent_) {
    torrent_->setLimits(maxDownloadRate, maxUploadRate);
  }
}

void MagnetTask::setSourcePolicy(const SourcePolicy& policy) {
  params_.sourcePolicy = policy;
  if (torrent_) {
    torrent_->setSourcePolicy(policy);
  }
}

void MagnetTask::setFilePriorities(const std::vector<std::uint8_t>& priorities) {
  params_.filePriorities = priorities;
  userSetPriorities_ = true;
  if (torrent_) {
    torrent_->setFilePriorities(priorities);
  }
}

void MagnetTask::recheck() {
  if (torrent_) {
    torrent_->recheck();
  }
}

void MagnetTask::addPeers(const std::vector<loop::SocketAddress>& addresses, PeerOrigin origin) {
  if (torrent_) {
    torrent_->addPeers(addresses, origin);
  } else if (fetcher_) {
    fetcher_->addPeers(addresses, origin);
  }
}

void MagnetTask::remove(bool deleteFiles, util::UniqueFunction<void()> done) {
  if (torrent_) {
    torrent_->remove(deleteFiles, std::move(done));
    return;
  }
  fetcher_.reset();  // nothing on disk yet
  context_.loop->post(std::move(done));
}

void MagnetTask::shutdown(util::UniqueFunction<void()> done) {
  if (torrent_) {
    torrent_->shutdown(std::move(done));
    return;
  }
  fetcher_.reset();
  context_.loop->post(std::move(done));
}

std::vector<std::uint8_t> MagnetTask::selectionPriorities(const Metainfo& meta) const {
  std::vector<std::uint8_t> priorities(meta.files.size(), 0);
  for (const auto& [first, last] : magnet_.selectOnly) {
    for (std::uint64_t i = first; i <= last && i < priorities.size(); ++i) {
      priorities[i] = 1;
    }
  }
  return priorities;
}

bool MagnetTask::adoptMetadata(const std::string& infoBytes, bool fetched) {
  auto meta = metainfoFromInfo(infoBytes, magnet_.infoHash, magnet_.trackers, magnet_.webSeeds);
  if (!meta) {
    if (!fetched) {
      return false;
    }
    // The bytes hash to the info-hash, so every peer will send the same:
    // there is no better copy to wait for.
    error_ = meta.error();
    fetcher_.reset();
    if (context_.events != nullptr) {
      context_.events->report({Event::Kind::Failed, context_.id, error_->code, error_->detail});
    }
    return false;
  }
  std::vector<MetadataFetcher::KnownPeer> known = fetcher_->knownPeers();
  fetcher_.reset();  // frees the info-hash in the registry for the torrent

  if (fetched && params_.stopAfterMetadata) {
    paused_ = true;  // the user picks the files first; resume() starts it
  }
  AddParams params = params_;
  params.startPaused = paused_;
  if (!userSetPriorities_ && !magnet_.selectOnly.empty()) {
    params.filePriorities = selectionPriorities(meta.value());
  }
  const std::string name = meta.value().name;
  torrent_ = std::make_unique<TorrentTask>(
      context_, params, std::make_shared<const Metainfo>(std::move(meta.value())), shared_);
  for (const MetadataFetcher::KnownPeer& peer : known) {
    torrent_->addPeers({peer.address}, peer.origin);
  }
  if (!fetched) {
    TLOG(Info, "bt") << "magnet " << hexOf(magnet_.infoHash) << ": metadata kept from before ("
                     << name << ")";
    return true;  // constructed: start() or resume() starts the torrent
  }
  TLOG(Info, "bt") << "magnet " << hexOf(magnet_.infoHash) << ": metadata received (" << name
                   << ", " << infoBytes.size() << " bytes)";
  saveCachedMetadata(context_, shared_->metadataDir, magnet_.infoHash,
                     torrentFromInfo(infoBytes, magnet_.trackers, magnet_.webSeeds));
  if (context_.events != nullptr) {
    context_.events->report({Event::Kind::MetadataReceived, context_.id, ErrorCode::Ok, name});
  }
  if (!paused_) {
    torrent_->start();
  }
  return true;
}

TaskSnapshot MagnetTask::snapshot() {
  if (torrent_) {
    TaskSnapshot s = torrent_->snapshot();
    s.kind = TaskKind::Magnet;
    s.source = params_.source;
    s.addedAtUnix = addedAtUnix_;
    return s;
  }
  TaskSnapshot s;
  s.id = context_.id;
  s.kind = TaskKind::Magnet;
  s.name = magnet_.displayName.empty() ? hexOf(magnet_.infoHash) : magnet_.displayName;
  s.saveDir = params_.saveDir;
  s.source = params_.source;
  s.addedAtUnix = addedAtUnix_;
  s.sourcePolicy = params_.sourcePolicy;
  if (error_) {
    s.state = TaskState::Failed;
    s.error = error_->code;
    s.errorDetail = error_->detail;
  } else {
    s.state = paused_ ? TaskState::Paused : TaskState::FetchingMetadata;
  }
  if (fetcher_) {
    fetcher_->fillSnapshot(s);
  } else {
    s.torrent.emplace();
    s.torrent->infoHashHex = hexOf(magnet_.infoHash);
  }
  return s;
}

}  // namespace tributary::bt
