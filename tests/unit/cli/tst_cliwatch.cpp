// The main thread's side of `get`, fed by hand through EngineInbox: when the run
// ends, with which status, and what it prints on the way.
#include <QTest>

#include <csignal>
#include <future>
#include <string>
#include <vector>

#include "app/cli/EngineInbox.h"
#include "app/cli/GetWatch.h"

using namespace tributary;
using namespace tributary::cli;

namespace {

using namespace std::chrono_literals;

// Only read after the watch has returned, so no lock is needed.
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

Update updateWith(TaskId id, TaskState state) {
  TaskSnapshot task;
  task.id = id;
  task.name = "file" + std::to_string(id);
  task.state = state;
  task.sizeKnown = true;
  task.totalBytes = 100;
  task.verifiedBytes = state == TaskState::Completed ? 100 : 40;
  Update update;
  update.tasks.push_back(task);
  return update;
}

Event eventFor(TaskId id, Event::Kind kind, ErrorCode error = ErrorCode::Ok,
               std::string message = {}) {
  return Event{kind, id, error, std::move(message)};
}

GetCommand command(bool json) {
  GetCommand get;
  get.json = json;
  return get;
}

}  // namespace

class TestCliWatch : public QObject {
  Q_OBJECT

 private slots:
  void completes() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(false), out);
    watch.track(1, "http://h/file1");
    EngineInbox inbox;
    inbox.pushUpdate(updateWith(1, TaskState::Downloading));
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));
    QCOMPARE(watch.run(inbox), 0);
    QCOMPARE(watch.signal(), 0);
    QCOMPARE(captured.status.size(), 2u);
    QVERIFY(QString::fromStdString(captured.status[0]).startsWith("file1: 40.0% of 100 B"));
    QCOMPARE(captured.status[1], "file1: done, 100 B (http 0 B, cdn 0 B, bt 0 B, shared 0 B)");
    QVERIFY(captured.errors.empty() && captured.json.empty());
  }

  void completedStateCountsAsDone() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(true), out);
    watch.track(1, "s");
    EngineInbox inbox;
    inbox.pushUpdate(updateWith(1, TaskState::Completed));
    QCOMPARE(watch.run(inbox), 0);
    QCOMPARE(captured.json.size(), 3u);
    QVERIFY(captured.json[0].starts_with(R"({"type":"progress","id":1,)"));
    QVERIFY(captured.json[1].starts_with(R"({"type":"completed","id":1,)"));
    QVERIFY(captured.json[2].starts_with(R"({"type":"done","id":1,)"));
    QVERIFY(captured.status.empty());
  }

  void quietPrintsNothingOnSuccess() {
    Captured captured;
    const CliOutput out = captured.output();
    GetCommand get;
    get.quiet = true;
    GetWatch watch(get, out);
    watch.track(1, "s");
    EngineInbox inbox;
    inbox.pushUpdate(updateWith(1, TaskState::Downloading));
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));
    QCOMPARE(watch.run(inbox), 0);
    QVERIFY(captured.status.empty() && captured.json.empty() && captured.errors.empty());
  }

  void failureEventEndsTheRun() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(true), out);
    watch.track(1, "http://h/a");
    watch.track(2, "http://h/b");
    EngineInbox inbox;
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));
    inbox.pushEvent(eventFor(2, Event::Kind::Failed, ErrorCode::Timeout, "no data for 60 s"));
    QCOMPARE(watch.run(inbox), 1);
    QCOMPARE(captured.errors, (std::vector<std::string>{"timeout: no data for 60 s"}));
    QCOMPARE(captured.json.size(), 2u);
    QVERIFY(captured.json[0].starts_with(R"({"type":"completed","id":1,"elapsed":)"));
    QVERIFY(
        captured.json[1].starts_with("{\"type\":\"error\",\"id\":2,\"source\":\"http://h/b\","));
  }

  // The metadata and completed lines are stamped when their events arrive, in
  // seconds since the time given to track() (bench/magnet reads them).
  void metadataAndCompletedLinesCarryTheElapsedTime() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(true), out);
    watch.track(1, "magnet:?xt=urn:btih:0123", GetWatch::Clock::now() - 2s);
    watch.track(2, "other");
    EngineInbox inbox;
    inbox.pushEvent(eventFor(1, Event::Kind::MetadataReceived, ErrorCode::Ok, "the name"));
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));  // a repeat prints nothing
    inbox.pushEvent(eventFor(2, Event::Kind::Completed));
    QCOMPARE(watch.run(inbox), 0);
    QCOMPARE(captured.json.size(), 5u);  // metadata, completed twice, done twice
    const auto elapsed = [](const std::string& line) {
      const auto at = line.find(R"("elapsed":)");
      return at == std::string::npos ? -1.0 : std::stod(line.substr(at + 10));
    };
    QVERIFY(captured.json[0].starts_with(R"({"type":"metadata","id":1,"name":"the name",)"));
    QVERIFY(captured.json[1].starts_with(R"({"type":"completed","id":1,)"));
    QVERIFY(captured.json[2].starts_with(R"({"type":"completed","id":2,)"));
    QVERIFY(elapsed(captured.json[0]) >= 2.0 && elapsed(captured.json[0]) < 10.0);
    QVERIFY(elapsed(captured.json[1]) >= elapsed(captured.json[0]));
    QVERIFY(elapsed(captured.json[2]) >= 0.0 && elapsed(captured.json[2]) < 2.0);
    QVERIFY(captured.json[3].starts_with(R"({"type":"done","id":1,)"));
  }

  // Without --json nothing of the kind reaches stdout or the status lines.
  void noEventLinesWithoutJson() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(false), out);
    watch.track(1, "s");
    EngineInbox inbox;
    inbox.pushEvent(eventFor(1, Event::Kind::MetadataReceived, ErrorCode::Ok, "n"));
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));
    QCOMPARE(watch.run(inbox), 0);
    QVERIFY(captured.json.empty());
    QCOMPARE(captured.status.size(), 1u);  // the done line
  }

  void failedSnapshotEndsTheRun() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(false), out);
    watch.track(1, "s");
    EngineInbox inbox;
    Update update = updateWith(1, TaskState::Failed);
    update.tasks[0].error = ErrorCode::HttpNotFound;
    update.tasks[0].errorDetail = "404";
    inbox.pushUpdate(update);
    QCOMPARE(watch.run(inbox), 1);
    QCOMPARE(captured.errors, (std::vector<std::string>{"http_not_found: 404"}));
  }

  void removedTaskEndsTheRun() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(false), out);
    watch.track(1, "s");
    EngineInbox inbox;
    Update update;
    update.removed.push_back(1);
    inbox.pushUpdate(update);
    QCOMPARE(watch.run(inbox), 1);
    QCOMPARE(captured.errors.size(), 1u);
  }

  void signalEndsTheRunQuietly() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(false), out);
    watch.track(1, "s");
    EngineInbox inbox;
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));
    inbox.pushSignal(SIGTERM);
    QCOMPARE(watch.run(inbox), 128 + SIGTERM);
    QCOMPARE(watch.signal(), SIGTERM);
    QVERIFY(captured.errors.empty());  // the caller reports once state is saved
  }

  void othersTasksAreIgnored() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(false), out);
    watch.track(1, "s");
    EngineInbox inbox;
    inbox.pushEvent(eventFor(9, Event::Kind::Failed, ErrorCode::Timeout));
    inbox.pushUpdate(updateWith(9, TaskState::Downloading));
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));
    QCOMPARE(watch.run(inbox), 0);
    QCOMPARE(captured.status.size(), 1u);  // only the done line of task 1
  }

  // The run waits for every task; it is woken by the inbox, not by polling.
  void waitsForEveryTask() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(false), out);
    watch.track(1, "a");
    watch.track(2, "b");
    EngineInbox inbox;
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));
    auto result = std::async(std::launch::async, [&] { return watch.run(inbox); });
    QCOMPARE(result.wait_for(300ms), std::future_status::timeout);
    inbox.pushEvent(eventFor(2, Event::Kind::Completed));
    QCOMPARE(result.wait_for(10s), std::future_status::ready);
    QCOMPARE(result.get(), 0);
  }

  // The Completed event beats the tick: the done line waits for the snapshot
  // with the final counters (at most a second), not the stale one before it.
  void doneLineCarriesTheFinalCounters() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(false), out);
    watch.track(1, "s");
    EngineInbox inbox;
    inbox.pushUpdate(updateWith(1, TaskState::Downloading));
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));
    const auto start = std::chrono::steady_clock::now();
    auto result = std::async(std::launch::async, [&] { return watch.run(inbox); });
    QCOMPARE(result.wait_for(200ms), std::future_status::timeout);
    Update final = updateWith(1, TaskState::Completed);
    final.tasks[0].traffic.bt = 100;
    inbox.pushUpdate(final);
    QCOMPARE(result.wait_for(10s), std::future_status::ready);
    QCOMPARE(result.get(), 0);
    QVERIFY(std::chrono::steady_clock::now() - start < 1s);
    QCOMPARE(captured.status.back(),
             "file1: done, 100 B (http 0 B, cdn 0 B, bt 100 B, shared 0 B)");
  }

  // Without that snapshot (nothing changed, so the engine sends none) the wait is bounded.
  void doneLineDoesNotWaitForever() {
    Captured captured;
    const CliOutput out = captured.output();
    GetWatch watch(command(false), out);
    watch.track(1, "s");
    EngineInbox inbox;
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));
    const auto start = std::chrono::steady_clock::now();
    QCOMPARE(watch.run(inbox), 0);
    const auto waited = std::chrono::steady_clock::now() - start;
    QVERIFY(waited >= 1s && waited < 5s);
  }

  void seedTimeIsHonoured() {
    Captured captured;
    const CliOutput out = captured.output();
    GetCommand get;
    get.seedTime = 1s;
    GetWatch watch(get, out);
    watch.track(1, "s");
    EngineInbox inbox;
    inbox.pushEvent(eventFor(1, Event::Kind::Completed));
    const auto start = std::chrono::steady_clock::now();
    auto result = std::async(std::launch::async, [&] { return watch.run(inbox); });
    QCOMPARE(result.wait_for(10s), std::future_status::ready);
    QCOMPARE(result.get(), 0);
    QVERIFY(std::chrono::steady_clock::now() - start >= 1s);
  }
};

QTEST_GUILESS_MAIN(TestCliWatch)
#include "tst_cliwatch.moc"
