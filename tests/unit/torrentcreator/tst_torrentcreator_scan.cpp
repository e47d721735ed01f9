// bt::scanContent() and the refusals of bt::makeTorrent(): what a torrent may
// hold (symlinks inside PATH followed, like mktorrent) and what is refused with
// a clear error (empty content, symlinks leaving PATH or looping, FIFOs, bad
// parameters).
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>

#include "CreatorFiles.h"
#include "engine/bt/Metainfo.h"
#include "engine/bt/TorrentCreator.h"

using namespace tributary;
using namespace tributary::bt;
using test::writePatternFile;

namespace {

CreateTorrentParams paramsFor(const QString& path) {
  CreateTorrentParams params;
  params.path = path.toStdString();
  params.pieceSize = 16 * 1024;
  return params;
}

bool symlinkTo(const QString& target, const QString& link) {
  return ::symlink(target.toLocal8Bit().constData(), link.toLocal8Bit().constData()) == 0;
}

QString detailOf(const Result<CreatedTorrent>& result) {
  return result ? QStringLiteral("<ok>") : QString::fromStdString(result.error().detail);
}

}  // namespace

class TestTorrentCreatorScan : public QObject {
  Q_OBJECT

 private slots:
  void nameFollowsThePathAsTyped() {
    QTemporaryDir dir;
    writePatternFile(dir.filePath("real/f"), 10, 1);
    QVERIFY(symlinkTo(dir.filePath("real"), dir.filePath("alias")));
    QCOMPARE(scanContent(dir.filePath("real/").toStdString()).value().name, std::string("real"));
    // A symlinked PATH keeps its own name, as mktorrent's basename does.
    QCOMPARE(scanContent(dir.filePath("alias").toStdString()).value().name, std::string("alias"));
    QCOMPARE(scanContent(dir.filePath("real/.").toStdString()).value().name, std::string("real"));
  }

  void symlinksInsidePathAreFollowed() {
    QTemporaryDir dir;
    const QString root = dir.filePath("c");
    const QByteArray data = writePatternFile(root + "/data/file.bin", 3000, 2);
    QVERIFY(symlinkTo("data/file.bin", root + "/link.bin"));  // relative
    QVERIFY(symlinkTo(root + "/data", root + "/more"));       // a folder, absolute
    const auto content = scanContent(root.toStdString());
    QVERIFY2(content, content ? "" : content.error().detail.c_str());
    std::vector<std::string> keys;
    for (const auto& file : content.value().files) {
      keys.push_back(file.sortKey);
    }
    QCOMPARE(keys, (std::vector<std::string>{"data/file.bin", "link.bin", "more/file.bin"}));
    QCOMPARE(content.value().totalBytes, 9000u);
    const auto created = makeTorrent(paramsFor(root), {});
    QVERIFY(created);
    const Metainfo m = parseMetainfo(created.value().bytes).value();
    QCOMPARE(QByteArray::fromStdString(m.pieceHashes),
             test::pieceHashes(data + data + data, 16384));
  }

  void refusals_data() {
    QTest::addColumn<QString>("setup");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("detail");  // a part of the error detail
    const int invalid = static_cast<int>(ErrorCode::InvalidArgument);
    QTest::newRow("missing") << "missing" << static_cast<int>(ErrorCode::FileMissing)
                             << "cannot open";
    QTest::newRow("empty folder") << "emptyFolder" << invalid << "has no files";
    QTest::newRow("only empty dirs") << "emptyDirs" << invalid << "has no files";
    QTest::newRow("only empty files") << "emptyFiles" << invalid << "every file is empty";
    QTest::newRow("empty single file") << "emptyFile" << invalid << "the file is empty";
    QTest::newRow("symlink out") << "symlinkOut" << invalid << "outside";
    QTest::newRow("symlink dir out") << "symlinkDirOut" << invalid << "outside";
    QTest::newRow("dangling") << "dangling" << invalid << "target cannot be read";
    QTest::newRow("loop") << "loop" << invalid << "symlink loop";
    QTest::newRow("fifo") << "fifo" << invalid << "not a regular file";
  }
  void refusals() {
    QFETCH(QString, setup);
    QFETCH(int, code);
    QFETCH(QString, detail);
    QTemporaryDir dir;
    const QString root = dir.filePath("c");
    QDir().mkpath(root);
    writePatternFile(dir.filePath("outside.bin"), 100, 1);
    if (setup == "missing") {
      QDir(root).removeRecursively();
    } else if (setup == "emptyDirs") {
      QDir().mkpath(root + "/a/b");
      QDir().mkpath(root + "/c");
    } else if (setup == "emptyFiles") {
      writePatternFile(root + "/a", 0, 1);
      writePatternFile(root + "/sub/b", 0, 1);
    } else if (setup == "emptyFile") {
      QDir(root).removeRecursively();
      writePatternFile(root, 0, 1);
    } else if (setup == "symlinkOut") {
      writePatternFile(root + "/ok", 100, 1);
      QVERIFY(symlinkTo("../outside.bin", root + "/escape"));
    } else if (setup == "symlinkDirOut") {
      writePatternFile(root + "/ok", 100, 1);
      QVERIFY(QDir().mkpath(root + "/sub"));
      QVERIFY(symlinkTo(dir.path(), root + "/sub/parent"));
    } else if (setup == "dangling") {
      writePatternFile(root + "/ok", 100, 1);
      QVERIFY(symlinkTo("nowhere", root + "/dangling"));
    } else if (setup == "loop") {
      writePatternFile(root + "/sub/ok", 100, 1);
      QVERIFY(symlinkTo("..", root + "/sub/up"));
    } else if (setup == "fifo") {
      writePatternFile(root + "/ok", 100, 1);
      QCOMPARE(::mkfifo((root + "/pipe").toLocal8Bit().constData(), 0600), 0);
    }
    const auto result = makeTorrent(paramsFor(root), {});
    QVERIFY(!result);
    QCOMPARE(static_cast<int>(result.error().code), code);
    QVERIFY2(detailOf(result).contains(detail), qPrintable(detailOf(result)));
    QVERIFY2(detailOf(result).contains(root), qPrintable(detailOf(result)));  // says where
  }

  void badParameters_data() {
    QTest::addColumn<quint64>("pieceSize");
    QTest::addColumn<QString>("tracker");
    QTest::newRow("piece 1000") << quint64{1000} << "";
    QTest::newRow("piece 8 KiB") << quint64{8192} << "";
    QTest::newRow("piece 128 MiB") << (quint64{128} << 20) << "";
    QTest::newRow("empty tracker") << quint64{0} << "<empty>";
    QTest::newRow("tracker with a space") << quint64{0} << "http://a b/";
  }
  void badParameters() {
    QFETCH(quint64, pieceSize);
    QFETCH(QString, tracker);
    QTemporaryDir dir;
    writePatternFile(dir.filePath("f"), 100, 1);
    CreateTorrentParams params = paramsFor(dir.filePath("f"));
    params.pieceSize = pieceSize;
    if (!tracker.isEmpty()) {
      params.trackers = {tracker == "<empty>" ? std::string() : tracker.toStdString()};
    }
    const auto result = makeTorrent(params, {});
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::InvalidArgument);
  }

  void limitsBoundTheWalk() {
    QTemporaryDir dir;
    const QString root = dir.filePath("c");
    for (int i = 0; i < 5; ++i) {
      writePatternFile(root + "/f" + QString::number(i), 10, 1);
    }
    ContentScanLimits limits;
    limits.maxFiles = 4;
    const auto tooMany = scanContent(root.toStdString(), limits);
    QVERIFY(!tooMany);
    QVERIFY(QString::fromStdString(tooMany.error().detail).contains("more than 4 files"));

    QString deep = root;
    for (int i = 0; i < 6; ++i) {
      deep += "/d";
    }
    writePatternFile(deep + "/x", 1, 1);
    limits.maxFiles = 100;
    limits.maxDepth = 4;
    const auto tooDeep = scanContent(root.toStdString(), limits);
    QVERIFY(!tooDeep);
    QVERIFY(QString::fromStdString(tooDeep.error().detail).contains("nested"));
  }

  void unreadableFolderIsAnError() {
    if (::geteuid() == 0) {
      QSKIP("root reads every folder");
    }
    QTemporaryDir dir;
    const QString root = dir.filePath("c");
    writePatternFile(root + "/locked/f", 10, 1);
    QVERIFY(QFile::setPermissions(root + "/locked", QFileDevice::Permissions{}));
    const auto result = makeTorrent(paramsFor(root), {});
    QFile::setPermissions(root + "/locked",
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::PermissionDenied);
  }
};

QTEST_GUILESS_MAIN(TestTorrentCreatorScan)
#include "tst_torrentcreator_scan.moc"
