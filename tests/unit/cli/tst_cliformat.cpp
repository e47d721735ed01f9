// What `get` prints: the progress line, and JSON lines any strict parser accepts.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "app/cli/JsonLine.h"
#include "app/cli/ProgressFormat.h"

using namespace tributary;
using namespace tributary::cli;

namespace {

QJsonObject parseObject(const std::string& line) {
  QJsonParseError error;
  const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(line), &error);
  if (error.error != QJsonParseError::NoError || !doc.isObject()) {
    qWarning("not a JSON object: %s (%s)", line.c_str(), qPrintable(error.errorString()));
    return {};
  }
  return doc.object();
}

TaskSnapshot downloading() {
  TaskSnapshot task;
  task.id = 7;
  task.kind = TaskKind::Http;
  task.state = TaskState::Downloading;
  task.name = "ubuntu.iso";
  task.source = "http://h/ubuntu.iso";
  task.totalBytes = 1024 * 1024 * 1024;
  task.sizeKnown = true;
  task.verifiedBytes = task.totalBytes / 4;
  task.downloadRate = 3 * 1024 * 1024;
  task.traffic = TrafficCounters{1, 2, 3, 4};
  SourceSnapshot origin;
  origin.url = "http://h/ubuntu.iso";
  origin.kind = SourceKind::Http;
  origin.state = SourceSnapshot::State::Active;
  origin.connections = 5;
  SourceSnapshot mirror = origin;
  mirror.url = "https://cdn/ubuntu.iso";
  mirror.kind = SourceKind::Cdn;
  mirror.connections = 3;
  task.sources = {origin, mirror};
  return task;
}

}  // namespace

class TestCliFormat : public QObject {
  Q_OBJECT

 private slots:
  void jsonStringEscapes() {
    QCOMPARE(jsonString("plain"), "\"plain\"");
    QCOMPARE(jsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
    QCOMPARE(jsonString("l1\nl2\r\t"), "\"l1\\nl2\\r\\t\"");
    QCOMPARE(jsonString(std::string_view("\x01\x1f\x7f", 3)), "\"\\u0001\\u001f\\u007f\"");
    QCOMPARE(jsonString(std::string_view("nul\0x", 5)), "\"nul\\u0000x\"");
  }

  void jsonStringKeepsValidUtf8AndReplacesTheRest() {
    QCOMPARE(jsonString("\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80"),
             "\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\"");
    const std::string replacement = "\xef\xbf\xbd";
    QCOMPARE(jsonString("a\xff"
                        "b"),
             "\"a" + replacement + "b\"");
    QCOMPARE(jsonString("\xc3"), "\"" + replacement + "\"");                    // truncated
    QCOMPARE(jsonString("\xc0\xaf"), "\"" + replacement + replacement + "\"");  // overlong
    QCOMPARE(jsonString("\xed\xa0\x80"), "\"" + replacement + replacement + replacement + "\"");
    QCOMPARE(jsonString("\xf4\x90\x80\x80"),  // above U+10FFFF
             "\"" + replacement + replacement + replacement + replacement + "\"");
    // Whatever the bytes, Qt's strict parser takes the result.
    std::string everyByte;
    for (int b = 0; b < 256; ++b) {
      everyByte += static_cast<char>(b);
    }
    const auto object = parseObject(JsonLine().string("s", everyByte).str());
    QVERIFY(object.contains("s"));
    QVERIFY(object["s"].toString().startsWith(QString(QChar(0)) + QChar(1)));
  }

  void jsonLineBuildsOneObject() {
    const std::string line = JsonLine()
                                 .string("a", "x")
                                 .number("n", 18446744073709551615ull)
                                 .boolean("b", false)
                                 .null("z")
                                 .raw("o", "{\"k\":1}")
                                 .str();
    QCOMPARE(line, R"({"a":"x","n":18446744073709551615,"b":false,"z":null,"o":{"k":1}})");
    QCOMPARE(JsonLine().str(), "{}");
  }

  void bytesAndDurations() {
    QCOMPARE(formatBytes(0), "0 B");
    QCOMPARE(formatBytes(1023), "1023 B");
    QCOMPARE(formatBytes(1024), "1.0 KiB");
    QCOMPARE(formatBytes(1536 * 1024), "1.5 MiB");
    QCOMPARE(formatBytes(std::uint64_t(5) << 40), "5.0 TiB");
    QCOMPARE(formatBytes(~std::uint64_t(0)), "16.0 EiB");
    QCOMPARE(formatDuration(std::nullopt), "--");
    QCOMPARE(formatDuration(0), "0:00:00");
    QCOMPARE(formatDuration(3723), "1:02:03");
    QCOMPARE(formatDuration(100 * 3600), "100:00:00");
  }

  void percentEtaAndConnections() {
    TaskSnapshot task = downloading();
    QCOMPARE(permille(task), 250u);
    QCOMPARE(etaSeconds(task), 256u);  // 768 MiB at 3 MiB/s
    QCOMPARE(connectionCount(task), 8u);
    task.verifiedBytes = task.totalBytes - 1;
    QCOMPARE(permille(task), 999u);  // never shows 100% before the last byte
    QCOMPARE(etaSeconds(task), 1u);  // rounded up
    task.downloadRate = 0;
    QCOMPARE(etaSeconds(task), std::nullopt);
    task.verifiedBytes = task.totalBytes;
    QCOMPARE(permille(task), 1000u);
    QCOMPARE(etaSeconds(task), 0u);
    task.sizeKnown = false;
    QCOMPARE(permille(task), std::nullopt);
    QCOMPARE(etaSeconds(task), std::nullopt);

    task.peers = 4;
    QCOMPARE(connectionCount(task), 12u);  // peers count while no BT source is listed
    task.sources[1].kind = SourceKind::Bt;
    QCOMPARE(connectionCount(task), 8u);
  }

  void progressLine() {
    QCOMPARE(cli::progressLine(downloading()),
             "ubuntu.iso: 25.0% of 1.0 GiB, 3.0 MiB/s, ETA 0:04:16, 8 connections [downloading]");
    TaskSnapshot unknown = downloading();
    unknown.name.clear();
    unknown.sizeKnown = false;
    unknown.totalBytes = 0;
    QCOMPARE(cli::progressLine(unknown),
             "http://h/ubuntu.iso: 256.0 MiB of unknown size, 3.0 MiB/s, ETA --, 8 connections "
             "[downloading]");
    QCOMPARE(doneLine(downloading()),
             "ubuntu.iso: done, 256.0 MiB (http 2 B, cdn 3 B, bt 1 B, shared 4 B)");
  }

  void progressJson() {
    const auto object = parseObject(cli::progressJson(downloading()));
    QCOMPARE(object["type"].toString(), "progress");
    QCOMPARE(object["id"].toInteger(), 7);
    QCOMPARE(object["name"].toString(), "ubuntu.iso");
    QCOMPARE(object["state"].toString(), "downloading");
    QCOMPARE(object["total"].toInteger(), 1024 * 1024 * 1024);
    QCOMPARE(object["verified"].toInteger(), 256 * 1024 * 1024);
    QCOMPARE(object["percent"].toDouble(), 25.0);
    QCOMPARE(object["download_rate"].toInteger(), 3 * 1024 * 1024);
    QCOMPARE(object["eta"].toInteger(), 256);
    QCOMPARE(object["connections"].toInteger(), 8);
    const auto traffic = object["traffic"].toObject();
    QCOMPARE(traffic["bt"].toInteger(), 1);
    QCOMPARE(traffic["http"].toInteger(), 2);
    QCOMPARE(traffic["cdn"].toInteger(), 3);
    QCOMPARE(traffic["shared"].toInteger(), 4);
    const auto sources = object["sources"].toArray();
    QCOMPARE(sources.size(), 2);
    QCOMPARE(sources[1].toObject()["kind"].toString(), "cdn");
    QCOMPARE(sources[1].toObject()["state"].toString(), "active");
    QCOMPARE(sources[1].toObject()["url"].toString(), "https://cdn/ubuntu.iso");

    TaskSnapshot unknown = downloading();
    unknown.sizeKnown = false;
    unknown.sources.clear();
    const auto partial = parseObject(cli::progressJson(unknown));
    QVERIFY(partial["total"].isNull());
    QVERIFY(partial["percent"].isNull());
    QVERIFY(partial["eta"].isNull());
    QVERIFY(partial["sources"].toArray().isEmpty());
  }

  void doneAndErrorJson() {
    const auto done = parseObject(doneJson(downloading()));
    QCOMPARE(done["type"].toString(), "done");
    QCOMPARE(done["id"].toInteger(), 7);
    QCOMPARE(done["traffic"].toObject()["cdn"].toInteger(), 3);

    const auto refused = parseObject(
        errorJson(kInvalidTaskId, "http://h/f", "http_not_found", "404 Not Found from http://h/f"));
    QCOMPARE(refused["type"].toString(), "error");
    QVERIFY(refused["id"].isNull());
    QCOMPARE(refused["source"].toString(), "http://h/f");
    QCOMPARE(refused["code"].toString(), "http_not_found");
    QCOMPARE(refused["message"].toString(), "404 Not Found from http://h/f");
    QCOMPARE(parseObject(errorJson(3, "s", "timeout", "")).value("id").toInteger(), 3);
  }

  void stateNames() {
    QCOMPARE(taskStateName(TaskState::FetchingMetadata), "fetching_metadata");
    QCOMPARE(taskStateName(TaskState::Failed), "failed");
    QCOMPARE(sourceKindName(SourceKind::Bt), "bt");
  }
};

QTEST_GUILESS_MAIN(TestCliFormat)
#include "tst_cliformat.moc"
