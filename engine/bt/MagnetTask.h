// Internal: a task added from a magnet link. Until the info dictionary is in,
// a MetadataFetcher finds peers and asks them for it (the task shows
// FetchingMetadata); then the dictionary becomes a Metainfo like any
// .torrent's and a TorrentTask takes over, with the peers found so far, and
// this task only forwards to it (the snapshot still says Magnet and keeps the
// magnet link as the source).
//
// What the user sets while the metadata is still missing (pause, limits,
// file priorities) is kept and applied to the torrent when it starts; the
// magnet's so= selection becomes file priorities unless the user set any.
//
// Fetched metadata is kept in BtShared::metadataDir (MetadataCache.h); a
// magnet created with it (`cachedInfo`, after a restart) is a torrent from the
// start: no fetch, no MetadataReceived event, no stop for file selection (the
// user chose before the restart).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/bt/BtShared.h"
#include "engine/bt/MagnetUri.h"
#include "engine/bt/MetadataFetcher.h"
#include "engine/bt/TorrentTask.h"
#include "engine/core/Task.h"

namespace tributary::bt {

class MagnetTask final : public core::Task {
 public:
  MagnetTask(const core::TaskContext& context, const AddParams& params, MagnetUri magnet,
             std::shared_ptr<BtShared> shared, std::string cachedInfo = {});
  ~MagnetTask() override;

  void start() override;
  void pause() override;
  void resume() override;
  void setLimits(std::uint64_t maxDownloadRate, std::uint64_t maxUploadRate) override;
  void setSourcePolicy(const SourcePolicy& policy) override;
  void setFilePriorities(const std::vector<std::uint8_t>& priorities) override;
  void recheck() override;
  void remove(bool deleteFiles, util::UniqueFunction<void()> done) override;
  void shutdown(util::UniqueFunction<void()> done) override;
  TaskSnapshot snapshot() override;

  // Peers from elsewhere (DHT, LSD): to the fetcher, or the torrent once it runs.
  void addPeers(const std::vector<loop::SocketAddress>& addresses, PeerOrigin origin);

 private:
  // fetched: from the swarm (announced, kept, may stop for file selection);
  // else from the cache. False when the dictionary is unusable.
  bool adoptMetadata(const std::string& infoBytes, bool fetched);
  // so= as file priorities: listed files normal, the rest skipped.
  std::vector<std::uint8_t> selectionPriorities(const Metainfo& meta) const;

  core::TaskContext context_;
  AddParams params_;
  MagnetUri magnet_;
  std::shared_ptr<BtShared> shared_;
  std::unique_ptr<MetadataFetcher> fetcher_;
  std::unique_ptr<TorrentTask> torrent_;
  bool paused_ = false;
  bool userSetPriorities_ = false;
  std::optional<Error> error_;  // the metadata was unusable: the task failed
  std::int64_t addedAtUnix_ = 0;
};

}  // namespace tributary::bt
