#include <algorithm>
#include <fstream>
#include <iterator>

#include "engine/bt/BtShared.h"
#include "engine/bt/MagnetTask.h"
#include "engine/bt/MagnetUri.h"
#include "engine/bt/MetadataCache.h"
#include "engine/bt/Metainfo.h"
#include "engine/bt/TorrentTask.h"
#include "engine/bt/WebSeed.h"
#include "engine/codec/Url.h"
#include "engine/http/HttpDownloadTask.h"
#include "engine/hybrid/HttpWebSeedFactory.h"
#include "engine/session/SessionKeeper.h"
#include "engine/session/TaskFactory.h"
#include "engine/storage/FileIo.h"

namespace tributary::session {
namespace {

Result<void> checkUrl(const std::string& text, const char* what) {
  auto url = codec::parseUrl(text);
  if (!url) {
    return Error{ErrorCode::InvalidArgument,
                 std::string(what) + " is not a valid URL: " + url.error().detail};
  }
  return {};
}

// AddParams::alsoFrom beside a torrent: an http(s) URL that can hold its
// bytes. A multi-file torrent's origin is a folder (BEP 19); the same check
// for a magnet waits for its metadata (TorrentWebSeeds.cpp).
Result<void> checkOrigin(const AddParams& params, const bt::Metainfo* meta) {
  if (params.alsoFrom.empty()) {
    return {};
  }
  auto url = codec::parseUrl(params.alsoFrom);
  if (!url) {
    return Error{ErrorCode::InvalidArgument,
                 "the origin URL is not a valid URL: " + url.error().detail};
  }
  if (meta != nullptr) {
    if (std::optional<Error> misfit = bt::originLayoutError(*meta, params.alsoFrom)) {
      return *misfit;
    }
  }
  return {};
}

// A .torrent is small; reading it here (the caller's thread, never a loop)
// lets add() answer a bad file at once.
Result<std::shared_ptr<const bt::Metainfo>> loadTorrent(const std::string& path) {
  const bt::MetainfoLimits limits;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{ErrorCode::FileMissing, "cannot open " + path};
  }
  std::string bytes;
  bytes.reserve(64 * 1024);
  char chunk[64 * 1024];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    bytes.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > limits.maxInputBytes) {
      return Error{ErrorCode::InvalidArgument, path + " is too large for a .torrent file"};
    }
  }
  auto parsed = bt::parseMetainfo(bytes, limits);
  if (!parsed) {
    Error error = parsed.error();
    error.detail = path + ": " + error.detail;
    return error;
  }
  return std::shared_ptr<const bt::Metainfo>(
      std::make_shared<bt::Metainfo>(std::move(parsed.value())));
}

// What create() needs for a magnet: the link, and its metadata when an
// earlier run kept it.
struct MagnetStart {
  bt::MagnetUri magnet;
  std::string cachedInfo;
};

class DefaultTaskFactory final : public TaskFactory {
 public:
  explicit DefaultTaskFactory(const EngineConfig& config) : bt_(std::make_shared<bt::BtShared>()) {
    bt_->switches.dht = config.enableDht;
    bt_->switches.pex = config.enablePex;
    bt_->switches.lsd = config.enableLsd;
    bt_->switches.encryption = config.encryption;
    bt_->switches.maxPeersPerTorrent = std::max(1u, config.maxPeersPerTorrent);
    bt_->budget.setLimits(std::max(1u, config.maxConnections), std::max(1u, config.maxHalfOpen));
    if (!config.stateDir.empty()) {
      bt_->metadataDir = SessionKeeper::metadataDirOf(config.stateDir);
      bt_->resumeDir = config.stateDir + "/resume";
    }
    bt_->webSeeds = std::make_shared<hybrid::HttpWebSeedFactory>();
  }

  Result<Prepared> prepare(TaskKind kind, const AddParams& params) override {
    switch (kind) {
      case TaskKind::Http: {
        if (auto ok = checkUrl(params.source, "the source"); !ok) {
          return ok.error();
        }
        for (const std::string& mirror : params.mirrors) {
          if (auto ok = checkUrl(mirror, "a mirror"); !ok) {
            return ok.error();
          }
        }
        return Prepared{};
      }
      case TaskKind::Torrent: {
        auto meta = loadTorrent(params.source);
        if (!meta) {
          return meta.error();
        }
        if (bt_->registry.contains(meta.value()->infoHash)) {
          return Error{ErrorCode::InvalidArgument,
                       "this torrent is already added (" + meta.value()->infoHashHex() + ")"};
        }
        if (auto ok = checkOrigin(params, meta.value().get()); !ok) {
          return ok.error();
        }
        return Prepared(meta.value());
      }
      case TaskKind::Magnet: {
        auto magnet = bt::parseMagnetUri(params.source);
        if (!magnet) {
          return magnet.error();
        }
        if (bt_->registry.contains(magnet.value().infoHash)) {
          return Error{ErrorCode::InvalidArgument, "this torrent is already added"};
        }
        if (auto ok = checkOrigin(params, nullptr); !ok) {
          return ok.error();
        }
        std::string cached = bt::loadCachedMetadata(*storage::systemFileIo(), bt_->metadataDir,
                                                    magnet.value().infoHash);
        return Prepared(std::make_shared<const MagnetStart>(
            MagnetStart{std::move(magnet.value()), std::move(cached)}));
      }
    }
    return Error{ErrorCode::Internal, "unhandled source kind"};
  }

  std::unique_ptr<core::Task> create(TaskKind kind, const core::TaskContext& context,
                                     const AddParams& params, Prepared prepared) override {
    switch (kind) {
      case TaskKind::Http:
        if (prepared) {  // restored finished (EngineImpl::finishedHttpDownload)
          return std::make_unique<http::HttpDownloadTask>(
              context, params, *std::static_pointer_cast<const http::FinishedDownload>(prepared));
        }
        return std::make_unique<http::HttpDownloadTask>(context, params);
      case TaskKind::Torrent:
        return std::make_unique<bt::TorrentTask>(
            context, params, std::static_pointer_cast<const bt::Metainfo>(prepared), bt_);
      case TaskKind::Magnet: {
        const auto start = std::static_pointer_cast<const MagnetStart>(prepared);
        return std::make_unique<bt::MagnetTask>(context, params, start->magnet, bt_,
                                                start->cachedInfo);
      }
    }
    return nullptr;  // prepare() refused it
  }

  std::shared_ptr<bt::BtShared> btShared() const override { return bt_; }

 private:
  std::shared_ptr<bt::BtShared> bt_;
};

}  // namespace

std::unique_ptr<TaskFactory> makeDefaultTaskFactory(const EngineConfig& config) {
  return std::make_unique<DefaultTaskFactory>(config);
}

}  // namespace tributary::session
