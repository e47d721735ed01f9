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

TaskSnapshot torrent() {
  TaskSnapshot task;
  task.id = 9;
  task.kind = TaskKind::Torrent;
  task.state = TaskState::Downloading;
  task.name = "debian";
  task.source = "/t/debian.torrent";
  task.totalBytes = 4 * 1024 * 1024;
  task.sizeKnown = true;
  task.verifiedBytes = task.totalBytes / 2;
  task.downloadRate = 1024 * 1024;
  task.uploadRate = 2048;
  task.peers = 5;
  task.seeds = 2;
  task.traffic = TrafficCounters{10, 0, 20, 30};
  TorrentSnapshot t;
  t.infoHashHex = std::string(40, 'a');
  t.pieceCount = 16;
  t.piecesHave = 8;
  t.pieceLength = 256 * 1024;
  task.torrent = t;
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
    QVERIFY(partial["loops"].toArray().isEmpty());  // not measured yet
  }

  void progressJsonCarriesLoopBusy() {
    const auto object = parseObject(cli::progressJson(downloading(), {0.0, 0.1234, 0.9996, 1.5}));
    const auto loops = object["loops"].toArray();
    QCOMPARE(loops.size(), 4);
    QCOMPARE(loops[0].toDouble(), 0.0);
    QCOMPARE(loops[1].toDouble(), 0.123);
    QCOMPARE(loops[2].toDouble(), 1.0);
    QCOMPARE(loops[3].toDouble(), 1.0);  // clamped
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

  // Peers and seeds, both directions; no HTTP connection count unless there are web seeds.
  void torrentProgressLine() {
    TaskSnapshot task = torrent();
    QVERIFY(isTorrent(task));
    QVERIFY(!isTorrent(downloading()));
    QCOMPARE(cli::progressLine(task),
             "debian: 50.0% of 4.0 MiB, down 1.0 MiB/s, up 2.0 KiB/s, ETA 0:00:02, 5 peers "
             "(2 seeds) [downloading]");
    SourceSnapshot webSeed;
    webSeed.kind = SourceKind::Cdn;
    webSeed.connections = 2;
    task.sources = {webSeed};
    task.peers = 1;
    task.seeds = 1;
    QCOMPARE(cli::progressLine(task),
             "debian: 50.0% of 4.0 MiB, down 1.0 MiB/s, up 2.0 KiB/s, ETA 0:00:02, 1 peer "
             "(1 seed), 2 web connections [downloading]");
    task.state = TaskState::Seeding;
    task.verifiedBytes = task.totalBytes;
    task.sources.clear();
    QCOMPARE(cli::progressLine(task),
             "debian: 100.0% of 4.0 MiB, down 1.0 MiB/s, up 2.0 KiB/s, shared 30 B, 1 peer "
             "(1 seed) [seeding]");
  }

  void torrentJson() {
    const auto progress = parseObject(cli::progressJson(torrent()));
    QCOMPARE(progress["kind"].toString(), "torrent");
    QCOMPARE(progress["peers"].toInteger(), 5);
    QCOMPARE(progress["seeds"].toInteger(), 2);
    QCOMPARE(progress["upload_rate"].toInteger(), 2048);
    const auto traffic = progress["traffic"].toObject();
    QCOMPARE(traffic.keys(), (QStringList{"bt", "cdn", "http", "shared"}));
    QCOMPARE(traffic["bt"].toInteger(), 10);
    QCOMPARE(traffic["cdn"].toInteger(), 20);
    QCOMPARE(traffic["shared"].toInteger(), 30);
    const auto info = progress["torrent"].toObject();
    QCOMPARE(info["info_hash"].toString(), QString(40, 'a'));
    QCOMPARE(info["pieces"].toInteger(), 16);
    QCOMPARE(info["pieces_have"].toInteger(), 8);
    QCOMPARE(info["piece_length"].toInteger(), 256 * 1024);

    const auto done = parseObject(doneJson(torrent()));
    QCOMPARE(done["kind"].toString(), "torrent");
    QCOMPARE(done["traffic"].toObject()["shared"].toInteger(), 30);
    QCOMPARE(done["torrent"].toObject()["info_hash"].toString(), QString(40, 'a'));

    const auto http = parseObject(cli::progressJson(downloading()));
    QCOMPARE(http["kind"].toString(), "http");
    QVERIFY(http["torrent"].isNull());
    QVERIFY(parseObject(doneJson(downloading()))["torrent"].isNull());
  }

  void stateNames() {
    QCOMPARE(taskStateName(TaskState::FetchingMetadata), "fetching_metadata");
    QCOMPARE(taskStateName(TaskState::Failed), "failed");
    QCOMPARE(sourceKindName(SourceKind::Bt), "bt");
  }
};

QTEST_GUILESS_MAIN(TestCliFormat)
#include "tst_cliformat.moc"
