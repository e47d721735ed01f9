// storage::moveTorrentFiles ("Set location"): files move with their folders,
// across file systems too (copy, then remove), files the user already moved
// are left where they are, and nothing is ever overwritten.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "engine/storage/MoveTorrentFiles.h"

using namespace tributary;
using namespace tributary::storage;

namespace {

TorrentLayout layout() {
  return TorrentLayout::create({{"t/a.bin", 5, false},
                                {"t/.pad/3", 3, true},
                                {"t/sub/b.bin", 6, false},
                                {"t/c.bin", 4, false}},
                               8)
      .value();
}

bool put(const QString& path, const QByteArray& bytes) {
  QDir().mkpath(QFileInfo(path).path());
  QFile f(path);
  return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray get(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

}  // namespace

class TestMoveTorrentFiles : public QObject {
  Q_OBJECT

 private slots:
  void movesFilesAndLeavesNoEmptyFolders_data() {
    QTest::addColumn<QString>("targetBase");
    QTest::newRow("same file system") << QDir::tempPath();
    if (QDir(QStringLiteral("/dev/shm")).exists()) {
      QTest::newRow("another file system") << QStringLiteral("/dev/shm");  // rename: EXDEV
    }
  }
  void movesFilesAndLeavesNoEmptyFolders() {
    QFETCH(QString, targetBase);
    QTemporaryDir from;
    QTemporaryDir to(targetBase + QStringLiteral("/move-XXXXXX"));
    QVERIFY(from.isValid() && to.isValid());
    QVERIFY(put(from.filePath("t/a.bin"), "aaaaa"));
    QVERIFY(put(from.filePath("t/sub/b.bin"), "bbbbbb"));
    // c.bin never created (skipped); the user's own file stays with its folder.
    QVERIFY(put(from.filePath("t/notes.txt"), "mine"));
    const std::string target = to.filePath("new").toStdString();
    auto moved = moveTorrentFiles(*systemFileIo(), layout(), from.path().toStdString(), target);
    QVERIFY2(moved, moved ? "" : moved.error().toString().c_str());
    QCOMPARE(get(to.filePath("new/t/a.bin")), QByteArray("aaaaa"));
    QCOMPARE(get(to.filePath("new/t/sub/b.bin")), QByteArray("bbbbbb"));
    QVERIFY(!QFileInfo::exists(to.filePath("new/t/c.bin")));
    QVERIFY(!QFileInfo::exists(from.filePath("t/a.bin")));
    QVERIFY(!QFileInfo::exists(from.filePath("t/sub")));  // emptied, removed
    QCOMPARE(get(from.filePath("t/notes.txt")), QByteArray("mine"));
    QVERIFY(QDir(to.filePath("new/t")).entryList(QStringList("*.tributary-move")).isEmpty());
  }

  void filesAlreadyMovedStayAndNothingIsOverwritten() {
    QTemporaryDir from;
    QTemporaryDir to;
    QVERIFY(put(to.filePath("t/a.bin"), "AAAAA"));  // moved by the user
    QVERIFY(put(from.filePath("t/sub/b.bin"), "bbbbbb"));
    QVERIFY(moveTorrentFiles(*systemFileIo(), layout(), from.path().toStdString(),
                             to.path().toStdString()));
    QCOMPARE(get(to.filePath("t/a.bin")), QByteArray("AAAAA"));
    QCOMPARE(get(to.filePath("t/sub/b.bin")), QByteArray("bbbbbb"));

    // Both places hold c.bin: refused, named, neither copy touched.
    QVERIFY(put(from.filePath("t/c.bin"), "cccc"));
    QVERIFY(put(to.filePath("t/c.bin"), "CCCC"));
    auto refused = moveTorrentFiles(*systemFileIo(), layout(), from.path().toStdString(),
                                    to.path().toStdString());
    QVERIFY(!refused);
    QVERIFY(refused.error().detail.find("c.bin") != std::string::npos);
    QCOMPARE(get(from.filePath("t/c.bin")), QByteArray("cccc"));
    QCOMPARE(get(to.filePath("t/c.bin")), QByteArray("CCCC"));
  }
};

QTEST_GUILESS_MAIN(TestMoveTorrentFiles)
#include "tst_move_torrent_files.moc"
