// The main thread's side of `seed`, fed by hand through EngineInbox: the data
// must verify completely, then a signal is the normal end (exit 0).
#include <QTest>

#include <csignal>
#include <string>
#include <vector>

#include "app/cli/EngineInbox.h"
#include "app/cli/SeedWatch.h"

using namespace tributary;
using namespace tributary::cli;

namespace {

constexpr TaskId kId = 3;

struct Captured {
  std::vector<std::string> json;
  std::vector<std::string> status;
  std::vector<std::string> errors;
  CliOutput output() {
    return CliOutput{[this](std::string_view line) { json.emplace_back(line); },
                     [this](std::string_view line) { status.emplace_back(line); },
                     [this](std::string_view line) { errors.emplace_back(line); }};
  }
};

Update updateWith(TaskState state, std::uint64_t verified = 100) {
  TaskSnapshot task;
  task.id = kId;
  task.kind = TaskKind::Torrent;
  task.name = "content";
  task.state = state;
  task.sizeKnown = true;
  task.totalBytes = 100;
  task.verifiedBytes = verified;
  task.traffic.shared = 250;
  task.torrent = TorrentSnapshot{};
  Update update;
  update.tasks.push_back(task);
  return update;
}

SeedCommand command(bool json) {
  SeedCommand seed;
  seed.torrentFile = "c.torrent";
  seed.dir = "/data";
  seed.json = json;
  return seed;
}

}  // namespace

class TestCliSeedWatch : public QObject {
  Q_OBJECT

 private slots:
  void seedsUntilASignal() {
    Captured captured;
    const CliOutput out = captured.output();
    SeedWatch watch(command(false), out, kId);
    EngineInbox inbox;
    inbox.pushUpdate(updateWith(TaskState::Checking, 0));
    inbox.pushUpdate(updateWith(TaskState::Seeding));
    inbox.pushSignal(SIGTERM);
    QCOMPARE(watch.run(inbox), 0);
    QCOMPARE(watch.signal(), SIGTERM);
    QVERIFY(watch.verified());
    QCOMPARE(captured.status.size(), 3u);
    QVERIFY(QString::fromStdString(captured.status[1]).contains("[seeding]"));
    QCOMPARE(captured.status[2], "content: done, 100 B (http 0 B, cdn 0 B, bt 0 B, shared 250 B)");
    QVERIFY(captured.errors.empty() && captured.json.empty());
  }

  void jsonEndsWithDone() {
    Captured captured;
    const CliOutput out = captured.output();
    SeedWatch watch(command(true), out, kId);
    EngineInbox inbox;
    inbox.pushUpdate(updateWith(TaskState::Seeding));
    inbox.pushSignal(SIGINT);
    QCOMPARE(watch.run(inbox), 0);
    QCOMPARE(captured.json.size(), 2u);
    QVERIFY(captured.json[0].starts_with(R"({"type":"progress","id":3,"kind":"torrent")"));
    QVERIFY(captured.json[1].starts_with(R"({"type":"done","id":3,)"));
    QVERIFY(captured.status.empty());
  }

  // The check found pieces missing: seed never downloads, it says so and fails.
  void incompleteDataFails() {
    Captured captured;
    const CliOutput out = captured.output();
    SeedWatch watch(command(false), out, kId);
    EngineInbox inbox;
    inbox.pushUpdate(updateWith(TaskState::Checking, 0));
    inbox.pushUpdate(updateWith(TaskState::Downloading, 40));
    QCOMPARE(watch.run(inbox), 1);
    QCOMPARE(captured.errors,
             (std::vector<std::string>{
                 "file_missing: /data does not hold all of content: 40 B of 100 B verified"}));
    QVERIFY(!watch.verified());
  }

  void signalBeforeVerificationIsAnInterruption() {
    Captured captured;
    const CliOutput out = captured.output();
    SeedWatch watch(command(false), out, kId);
    EngineInbox inbox;
    inbox.pushUpdate(updateWith(TaskState::Checking, 10));
    inbox.pushSignal(SIGINT);
    QCOMPARE(watch.run(inbox), 128 + SIGINT);
    QVERIFY(!watch.verified());
    QVERIFY(captured.errors.empty());  // the runner reports it once the engine stopped
  }

  void failureEventEnds() {
    Captured captured;
    const CliOutput out = captured.output();
    SeedWatch watch(command(true), out, kId);
    EngineInbox inbox;
    inbox.pushEvent(Event{Event::Kind::Failed, kId, ErrorCode::PermissionDenied, "read /data/x"});
    inbox.pushEvent(Event{Event::Kind::Failed, kId + 1, ErrorCode::Timeout, "not ours"});
    QCOMPARE(watch.run(inbox), 1);
    QCOMPARE(captured.errors, (std::vector<std::string>{"permission_denied: read /data/x"}));
    QCOMPARE(captured.json.size(), 1u);
    QVERIFY(captured.json[0].starts_with(R"({"type":"error","id":3,"source":"c.torrent")"));
  }

  // A task that stops seeding by itself (a seed time the engine kept) ends the run well.
  void completedEndsTheRun() {
    Captured captured;
    const CliOutput out = captured.output();
    SeedWatch watch(command(false), out, kId);
    EngineInbox inbox;
    inbox.pushUpdate(updateWith(TaskState::Completed));
    QCOMPARE(watch.run(inbox), 0);
    QCOMPARE(watch.signal(), 0);
  }
};

QTEST_GUILESS_MAIN(TestCliSeedWatch)
#include "tst_cliseedwatch.moc"
