#include "app/cli/SwarmRun.h"

#include <csignal>
#include <filesystem>
#include <system_error>

namespace tributary::cli {

EngineConfig swarmEngineConfig(const NetworkOptions& network, bool quiet) {
  EngineConfig config;
  config.listenPort = network.listenPort;
  config.maxDownloadRate = network.maxDownloadRate;
  config.maxUploadRate = network.maxUploadRate;
  config.enableDht = network.dht;
  config.enablePex = network.pex;
  config.enableLsd = network.lsd;
  config.enableUtp = network.utp;
  config.bypassOsCacheForPieces = !network.osCache;
  config.encryption = network.encryption;
  config.maxPeersPerTorrent = network.maxPeersPerTorrent;
  config.maxConnections = network.maxConnections;
  for (const HostPort& node : network.dhtBootstrap) {
    const bool v6 = node.host.find(':') != std::string::npos;
    config.dhtBootstrap.push_back((v6 ? "[" + node.host + "]" : node.host) + ":" +
                                  std::to_string(node.port));
  }
  config.logToStderr = !quiet;
  config.logLevel = quiet ? LogLevel::Off : LogLevel::Warning;
  return config;
}

Result<void> makeDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    const ErrorCode code =
        ec == std::errc::permission_denied ? ErrorCode::PermissionDenied : ErrorCode::IoError;
    return Error{code, "cannot create " + dir + ": " + ec.message()};
  }
  return {};
}

const char* signalName(int signal) {
  return signal == SIGINT ? "SIGINT" : "SIGTERM";
}

}  // namespace tributary::cli
