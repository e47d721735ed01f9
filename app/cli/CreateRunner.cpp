// `tributary-cli create`: hashes PATH through engine/api/TorrentCreator.h and
// writes the .torrent beside its final name first, then renames it over, so -o
// never holds half a torrent. The info-hash goes to stdout, for scripts.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>

#include "app/cli/CliReport.h"
#include "app/cli/Commands.h"
#include "app/cli/CreateOutput.h"
#include "app/cli/ProgressFormat.h"
#include "app/cli/SignalWatcher.h"
#include "app/cli/SwarmRun.h"
#include "engine/api/TorrentCreator.h"

namespace tributary::cli {
namespace {

constexpr std::chrono::milliseconds kProgressPeriod{500};

CreateTorrentParams paramsFor(const CreateCommand& create) {
  CreateTorrentParams params;
  params.path = create.path;
  params.trackers = create.trackers;
  params.webSeeds = create.webSeeds;
  params.pieceSize = create.pieceSize;
  params.comment = create.comment;
  params.isPrivate = create.isPrivate;
  params.createdBy = "Tributary " + std::string(cliVersion());
  return params;
}

std::string permilleOf(std::uint64_t done, std::uint64_t total) {
  const auto value = total == 0 ? 1000 : static_cast<unsigned>(done * 1000.0L / total);
  return std::to_string(value / 10) + "." + std::to_string(value % 10) + "%";
}

}  // namespace

int runCreate(const CreateCommand& create) {
  const CliOutput& out = standardOutput();
  std::atomic<int> signal{0};
  SignalWatcher signals([&signal](int received) { signal.store(received); });

  // Before hours of hashing, make sure the result can be written.
  if (auto writable = checkWritable(create.output); !writable) {
    return reportFailure(out, writable.error(), false);
  }
  if (auto outside = checkOutsideContent(create.output, create.path); !outside) {
    return reportFailure(out, outside.error(), false);
  }
  auto lastPrint = std::chrono::steady_clock::now();
  const auto progress = [&](std::uint64_t done, std::uint64_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (!create.quiet && now - lastPrint >= kProgressPeriod) {
      lastPrint = now;
      out.status("hashing: " + permilleOf(done, total) + " of " + formatBytes(total));
    }
    return signal.load() == 0;
  };
  auto created = createTorrent(paramsFor(create), progress);
  if (!created) {
    if (signal.load() != 0) {
      out.error(std::string("interrupted by ") + signalName(signal.load()) +
                "; nothing was written");
      return 128 + signal.load();
    }
    return reportFailure(out, created.error(), false);
  }
  const CreatedTorrent& torrent = created.value();
  if (auto written = writeAtomically(create.output, torrent.bytes); !written) {
    return reportFailure(out, written.error(), false);
  }
  if (!create.quiet) {
    out.status(torrent.name + ": " + std::to_string(torrent.fileCount) +
               (torrent.fileCount == 1 ? " file, " : " files, ") + formatBytes(torrent.totalBytes) +
               " in " + std::to_string(torrent.pieceCount) +
               (torrent.pieceCount == 1 ? " piece of " : " pieces of ") +
               formatBytes(torrent.pieceSize) + ", written to " + create.output);
  }
  std::fputs((torrent.infoHashHex + "\n").c_str(), stdout);
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace tributary::cli
