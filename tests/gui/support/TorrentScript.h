// Scripted torrent snapshots for the GUI tests and the screenshots: a torrent
// task with peers, trackers and files, as the engine's TorrentTask reports it.
#pragma once

#include <string>
#include <vector>

#include "engine/api/Types.h"
#include "support/FakeEngine.h"

namespace tributary::test {

inline PeerSnapshot makePeer(std::string address, std::string client, double progress,
                             std::uint64_t downloadRate, std::string flags = "D") {
  PeerSnapshot peer;
  peer.address = std::move(address);
  peer.client = std::move(client);
  peer.peerIdPrefix = "-qB4630-";
  peer.flags = std::move(flags);
  peer.progress = progress;
  peer.downloadRate = downloadRate;
  peer.uploadRate = downloadRate / 8;
  peer.downloaded = downloadRate * 40;
  peer.uploaded = downloadRate * 5;
  peer.relevance = progress;
  peer.rttMs = 23;
  peer.requestsOut = 12;
  peer.requestsIn = 1;
  peer.connectedAtUnix = 1700000100;
  return peer;
}

inline TaskSnapshot makeTorrentSnapshot(TaskId id, std::string name,
                                        std::vector<PeerSnapshot> peers,
                                        TaskState state = TaskState::Downloading) {
  TaskSnapshot task = makeSnapshot(id, std::move(name), state, 64ull << 20, 24ull << 20, 0);
  task.kind = TaskKind::Torrent;
  task.source = "/home/user/Downloads/" + task.name + ".torrent";
  task.saveDir = "/home/user/Downloads";
  TorrentSnapshot torrent;
  torrent.infoHashHex = "0123456789abcdef0123456789abcdef01234567";
  torrent.pieceCount = 256;
  torrent.pieceLength = 256 * 1024;
  torrent.piecesHave = 96;
  torrent.comment = "<b>not bold</b>";
  torrent.createdBy = "mktorrent 1.1";
  torrent.wastedBytes = 16384;
  torrent.pieceMap.assign(256, 96);
  for (const PeerSnapshot& peer : peers) {
    task.downloadRate += peer.downloadRate;
    task.uploadRate += peer.uploadRate;
    ++task.peers;
    task.seeds += peer.progress >= 1.0 ? 1 : 0;
  }
  torrent.peers = std::move(peers);
  TrackerSnapshot tracker;
  tracker.url = "http://127.0.0.1:6969/announce";
  tracker.status = TrackerSnapshot::Status::Working;
  tracker.peers = 3;
  tracker.seeds = 2;
  tracker.leechers = 1;
  tracker.nextAnnounceUnix = 1700001800;
  torrent.trackers.push_back(tracker);
  tracker.url = "udp://127.0.0.1:6969/announce";
  tracker.tier = 1;
  tracker.status = TrackerSnapshot::Status::Failed;
  tracker.seeds = -1;
  tracker.leechers = -1;
  tracker.message = "<i>connection refused</i>";
  torrent.trackers.push_back(tracker);
  torrent.files.push_back(FileSnapshot{task.name + "/disc.iso", 60ull << 20, 20ull << 20, 1, 0});
  torrent.files.push_back(FileSnapshot{task.name + "/README.txt", 4ull << 20, 4ull << 20, 1, 1});
  task.traffic.bt = 24ull << 20;
  task.torrent = std::move(torrent);
  return task;
}

}  // namespace tributary::test
