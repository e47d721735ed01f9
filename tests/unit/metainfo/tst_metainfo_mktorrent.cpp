// Real torrents made by mktorrent, read by us and by python3-libtorrent: the
// info-hash, the piece geometry and the file list must agree, and the piece
// hashes must match the content when it is read through mapPiece().
#include <QtTest>

#include "engine/bt/Metainfo.h"
#include "engine/util/Sha.h"

using namespace tributary;
using namespace tributary::bt;

namespace {

constexpr int kTimeoutMs = 60000;

const char* const kLibtorrentScript = R"(
import libtorrent as lt, sys
ti = lt.torrent_info(sys.argv[1])
print(ti.info_hash())
print(ti.num_pieces(), ti.piece_length(), ti.total_size(), 1 if ti.priv() else 0)
fs = ti.files()
for i in range(fs.num_files()):
    print('%d\t%s' % (fs.file_size(i), fs.file_path(i)))
)";

bool run(const QString& program, const QStringList& args, QByteArray* output) {
  QProcess process;
  process.start(program, args);
  if (!process.waitForFinished(kTimeoutMs) || process.exitStatus() != QProcess::NormalExit ||
      process.exitCode() != 0) {
    qWarning() << program << "failed:" << process.readAllStandardError();
    return false;
  }
  if (output != nullptr) {
    *output = process.readAllStandardOutput();
  }
  return true;
}

void writeFile(const QString& path, qint64 size, quint32 seed) {
  QDir().mkpath(QFileInfo(path).path());
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  QByteArray data(size, Qt::Uninitialized);
  quint32 x = seed;
  for (char& c : data) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  QCOMPARE(file.write(data), size);
}

}  // namespace

class TstMetainfoMktorrent : public QObject {
  Q_OBJECT

  void compareWithLibtorrent(const QString& torrentPath, const Metainfo& meta) {
    QByteArray out;
    QVERIFY(run("/usr/bin/python3", {"-c", kLibtorrentScript, torrentPath}, &out));
    const QList<QByteArray> lines = out.trimmed().split('\n');
    QVERIFY(lines.size() >= 3);
    QCOMPARE(lines[0].trimmed().toStdString(), meta.infoHashHex());
    const QList<QByteArray> geometry = lines[1].split(' ');
    QCOMPARE(geometry.size(), 4);
    QCOMPARE(geometry[0].toUInt(), meta.pieceCount());
    QCOMPARE(geometry[1].toLongLong(), meta.pieceLength);
    QCOMPARE(geometry[2].toLongLong(), meta.totalLength);
    QCOMPARE(geometry[3].toInt() == 1, meta.isPrivate);
    QCOMPARE(std::size_t(lines.size() - 2), meta.files.size());
    for (std::size_t i = 0; i < meta.files.size(); ++i) {
      const QList<QByteArray> fields = lines[int(i) + 2].split('\t');
      QCOMPARE(fields.size(), 2);
      QCOMPARE(fields[0].toLongLong(), meta.files[i].length);
      QCOMPARE(fields[1].toStdString(), meta.files[i].path);
    }
  }

  // Reads every piece from `root` (the task folder) through mapPiece() and checks its hash.
  void verifyPieces(const QString& root, const Metainfo& meta) {
    for (std::uint32_t piece = 0; piece < meta.pieceCount(); ++piece) {
      util::Sha1 sha;
      std::int64_t read = 0;
      for (const FileSlice& slice : meta.mapPiece(piece)) {
        QFile file(root + '/' + QString::fromStdString(meta.files[slice.fileIndex].path));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.seek(slice.offsetInFile));
        const QByteArray data = file.read(slice.length);
        QCOMPARE(qint64(data.size()), slice.length);
        sha.update(std::string_view(data.constData(), std::size_t(data.size())));
        read += slice.length;
      }
      QCOMPARE(read, meta.pieceSize(piece));
      const auto digest = sha.finish();
      QVERIFY2(std::string_view(reinterpret_cast<const char*>(digest.data()), 20) ==
                   meta.pieceHash(piece),
               qPrintable(QStringLiteral("piece %1").arg(piece)));
    }
  }

  Metainfo parseFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
      return {};
    }
    const QByteArray bytes = file.readAll();
    auto meta = parseMetainfo(std::string_view(bytes.constData(), std::size_t(bytes.size())));
    if (!meta.ok()) {
      qWarning("%s", meta.error().toString().c_str());
      return {};
    }
    return std::move(meta).value();
  }

 private slots:
  void initTestCase() {
    if (QStandardPaths::findExecutable("mktorrent").isEmpty()) {
      QSKIP("mktorrent is not installed");
    }
  }

  void multiFileTorrent() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString content = tmp.path() + "/My Pack";
    writeFile(content + "/a.txt", 100000, 1);
    writeFile(content + "/sub/b.bin", 70001, 2);
    writeFile(content + "/sub/deeper/c", 1, 3);
    writeFile(content + "/z-small", 300, 4);
    const QString torrent = tmp.path() + "/pack.torrent";
    QVERIFY(run("mktorrent",
                {"-a", "http://127.0.0.1:6969/announce", "-a", "udp://127.0.0.1:6969", "-w",
                 "http://127.0.0.1:8080/seed/", "-c", "made by a test", "-p", "-l", "15", "-t", "1",
                 "-o", torrent, content},
                nullptr));
    const Metainfo meta = parseFile(torrent);
    QCOMPARE(meta.name, std::string("My Pack"));
    QVERIFY(meta.multiFile);
    QVERIFY(meta.isPrivate);
    QCOMPARE(meta.pieceLength, std::int64_t{32768});
    QCOMPARE(meta.totalLength, std::int64_t{100000 + 70001 + 1 + 300});
    QCOMPARE(meta.comment, std::string("made by a test"));
    QCOMPARE(meta.trackerTiers, (std::vector<std::vector<std::string>>{
                                    {"http://127.0.0.1:6969/announce"}, {"udp://127.0.0.1:6969"}}));
    QCOMPARE(meta.webSeeds, (std::vector<std::string>{"http://127.0.0.1:8080/seed/"}));
    QVERIFY(meta.createdBy.find("mktorrent") != std::string::npos);
    QVERIFY(meta.creationDate.has_value());
    compareWithLibtorrent(torrent, meta);
    verifyPieces(tmp.path(), meta);
  }

  void singleFileTorrent() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    writeFile(tmp.path() + "/data.bin", 1000000, 9);
    const QString torrent = tmp.path() + "/single.torrent";
    QVERIFY(run("mktorrent",
                {"-a", "http://127.0.0.1:6969/announce", "-l", "16", "-t", "1", "-o", torrent,
                 tmp.path() + "/data.bin"},
                nullptr));
    const Metainfo meta = parseFile(torrent);
    QCOMPARE(meta.name, std::string("data.bin"));
    QVERIFY(!meta.multiFile);
    QVERIFY(!meta.isPrivate);
    QCOMPARE(meta.pieceCount(), std::uint32_t{16});
    compareWithLibtorrent(torrent, meta);
    verifyPieces(tmp.path(), meta);
  }
};

QTEST_GUILESS_MAIN(TstMetainfoMktorrent)
#include "tst_metainfo_mktorrent.moc"
