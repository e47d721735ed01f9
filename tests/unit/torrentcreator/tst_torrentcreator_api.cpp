// The public createTorrent() of engine/api/TorrentCreator.h, linked the way
// app/ links it (tributary_engine): a torrent made and its summary.
#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QtTest>

#include "CreatorFiles.h"
#include "engine/api/TorrentCreator.h"

using namespace tributary;

class TestTorrentCreatorApi : public QObject {
  Q_OBJECT

 private slots:
  void createsAndSummarises() {
    QTemporaryDir dir;
    test::writePatternFile(dir.filePath("share/one.bin"), 50'000, 1);
    test::writePatternFile(dir.filePath("share/two/empty"), 0, 2);
    CreateTorrentParams params;
    params.path = dir.filePath("share").toStdString();
    params.trackers = {"udp://127.0.0.1:6969/announce"};
    const auto created = createTorrent(params);
    QVERIFY2(created, created ? "" : created.error().toString().c_str());
    const CreatedTorrent& c = created.value();
    QCOMPARE(c.name, std::string("share"));
    QCOMPARE(c.fileCount, 2u);
    QCOMPARE(c.totalBytes, 50'000u);
    QCOMPARE(c.pieceSize, automaticPieceSize(50'000));
    QCOMPARE(c.pieceCount, 4u);  // 16 KiB pieces
    QVERIFY(c.bytes.starts_with("d8:announce29:udp://127.0.0.1:6969/announce"));
    // The info-hash is the SHA-1 of the info dictionary's bytes.
    const auto at = c.bytes.find("4:infod");
    QVERIFY(at != std::string::npos);
    const QByteArray info =
        QByteArray::fromStdString(c.bytes.substr(at + 6, c.bytes.size() - at - 7));
    QCOMPARE(QCryptographicHash::hash(info, QCryptographicHash::Sha1).toHex().toStdString(),
             c.infoHashHex);
  }

  void refusesAMissingPath() {
    CreateTorrentParams params;
    params.path = "/nonexistent/tributary/path";
    const auto created = createTorrent(params);
    QVERIFY(!created);
    QCOMPARE(created.error().code, ErrorCode::FileMissing);
  }
};

QTEST_GUILESS_MAIN(TestTorrentCreatorApi)
#include "tst_torrentcreator_api.moc"
