// `tributary-cli get`: one engine, one task per SOURCE, until all are done.
#include <memory>
#include <string>

#include "app/cli/CliReport.h"
#include "app/cli/Commands.h"
#include "app/cli/EngineInbox.h"
#include "app/cli/GetWatch.h"
#include "app/cli/SignalWatcher.h"
#include "app/cli/SwarmRun.h"
#include "engine/api/Engine.h"

namespace tributary::cli {
namespace {

AddParams addParams(const GetCommand& get, const CliSource& source) {
  AddParams params;
  params.source = source.text;
  params.saveDir = get.dir;
  params.mirrors = get.mirrors;
  params.caCertFile = get.caCertFile;
  params.checksum = get.checksum;
  params.connections = get.connections;
  params.seedTime = get.seedTime;
  params.userAgent = get.userAgent;
  params.referer = get.referer;
  params.peers = get.network.peers;
  params.alsoFrom = get.alsoFrom ? get.alsoFrom->text : std::string();
  params.sourcePolicy = get.sourcePolicy;
  return params;
}

}  // namespace

int runGet(const GetCommand& get) {
  const CliOutput& out = standardOutput();
  auto inbox = std::make_shared<EngineInbox>();
  // Before the engine, so its threads start with SIGINT/SIGTERM blocked.
  SignalWatcher signals([inbox](int signal) { inbox->pushSignal(signal); });

  if (auto made = makeDirectory(get.dir); !made) {
    return reportFailure(out, made.error(), get.json);
  }
  EngineConfig config = swarmEngineConfig(get.network, get.quiet);
  config.maxActiveDownloads = get.maxActiveDownloads;
  auto engine = Engine::create(config);
  if (!engine) {
    return reportFailure(out, Error{ErrorCode::Internal, "the engine did not start"}, get.json);
  }
  // Subscribed before adding, so no event of ours can be missed.
  const SubscriptionId subscription =
      engine->subscribe([inbox](const Update& update) { inbox->pushUpdate(update); },
                        [inbox](const Event& event) { inbox->pushEvent(event); });

  GetWatch watch(get, out);
  int status = kExitOk;
  for (const auto& source : get.sources) {
    const auto addedAt = GetWatch::Clock::now();
    auto added = engine->add(addParams(get, source));
    if (!added) {
      status = reportFailure(out, added.error(), get.json, kInvalidTaskId, source.text);
      break;
    }
    watch.track(added.value(), source.text, addedAt);
  }
  if (status == kExitOk) {
    status = watch.run(*inbox);
  }
  engine->unsubscribe(subscription);
  engine.reset();  // saves the state a rerun resumes from

  if (watch.signal() != 0) {
    out.error(std::string("interrupted by ") + signalName(watch.signal()) +
              "; run the same command again to resume");
  }
  return status;
}

}  // namespace tributary::cli
