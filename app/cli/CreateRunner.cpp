// `tributary-cli create`: needs the BitTorrent metainfo writer, not in this build yet.
#include "app/cli/CliReport.h"
#include "app/cli/Commands.h"

namespace tributary::cli {

int runCreate(const CreateCommand& create) {
  return reportFailure(standardOutput(),
                       Error{ErrorCode::NotSupported, "creating torrents is not implemented yet"},
                       false);
}

}  // namespace tributary::cli
