// `tributary-cli seed`: needs the BitTorrent engine, which is not in this build yet.
#include "app/cli/CliReport.h"
#include "app/cli/Commands.h"

namespace tributary::cli {

int runSeed(const SeedCommand& seed) {
  return reportFailure(standardOutput(),
                       Error{ErrorCode::NotSupported, "seeding is not implemented yet"}, seed.json,
                       kInvalidTaskId, seed.torrentFile);
}

}  // namespace tributary::cli
