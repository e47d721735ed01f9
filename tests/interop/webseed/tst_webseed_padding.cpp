// BEP 47 padding files through the whole engine against nginx: the server has
// only the real files, the client makes up the padding zeros the pieces hash
// over, and those zeros are nobody's traffic. A padded multi-file torrent
// fetched from a web seed alone completes with traffic.cdn equal to the real
// files' bytes; fetched from its origin URL (AddParams::alsoFrom) alone,
// traffic.http is. Either way the source's own count agrees, and the server
// is never asked for a padding file.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>

#include "support/EngineSession.h"
#include "support/NginxServer.h"
#include "support/SourceLookup.h"
#include "support/TestFiles.h"
#include "unit/metainfo/TorrentBuilder.h"

using namespace tributary;
using namespace std::chrono_literals;
using test::sourceFor;
using test::writeFile;

namespace {

constexpr std::int64_t kPiece = 64 * 1024;

}  // namespace

class TstWebSeedPadding : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir root_;  // nginx's root: padded/... (the real files only)
  QTemporaryDir work_;  // the .torrent files
  std::unique_ptr<test::NginxServer> nginx_;
  std::vector<testing::FileSpec> specs_;
  QMap<QString, QByteArray> content_;  // "padded/a.bin" -> bytes
  QByteArray stream_;                  // the torrent's bytes, padding zeros included
  std::uint64_t realBytes_ = 0;
  std::uint64_t paddingBytes_ = 0;

  std::string url(const QString& path) const { return (nginx_->baseUrl() + path).toStdString(); }

  // Each real file, then padding up to the next piece boundary (as BEP 47
  // creators align files), except after the last one.
  void addFile(const QString& name, int size, unsigned seed, bool padAfter) {
    const QByteArray bytes = test::randomBytes(static_cast<std::size_t>(size), seed);
    content_["padded/" + name] = bytes;
    specs_.push_back({{name.toStdString()}, size});
    stream_ += bytes;
    realBytes_ += static_cast<std::uint64_t>(size);
    const std::int64_t pad = (kPiece - stream_.size() % kPiece) % kPiece;
    if (padAfter && pad > 0) {
      specs_.push_back({{".pad", std::to_string(pad)}, pad, "p"});
      stream_ += QByteArray(static_cast<qsizetype>(pad), '\0');
      paddingBytes_ += static_cast<std::uint64_t>(pad);
    }
  }

  // The real piece hashes over the padded stream; `webSeed` as url-list.
  QString makeTorrent(const std::string& webSeed, const QString& name) {
    testing::BencodeNode info = testing::multiFileInfo("padded", specs_, kPiece);
    std::string pieces;
    for (qsizetype at = 0; at < stream_.size(); at += kPiece) {
      pieces +=
          QCryptographicHash::hash(stream_.mid(at, kPiece), QCryptographicHash::Sha1).toStdString();
    }
    info.set("pieces", pieces);
    testing::BencodeNode torrent;
    torrent.set("info", std::move(info));
    if (!webSeed.empty()) {
      torrent.set("url-list", webSeed);
    }
    const QString path = work_.filePath(name);
    return writeFile(path, QByteArray::fromStdString(torrent.encode())) ? path : QString();
  }

  QString verify(const QString& parent) const {
    for (auto it = content_.begin(); it != content_.end(); ++it) {
      QFile file(QDir(parent).filePath(it.key()));
      if (!file.open(QIODevice::ReadOnly) || file.readAll() != it.value()) {
        return it.key() + " is missing or differs";
      }
    }
    if (QFileInfo::exists(QDir(parent).filePath("padded/.pad"))) {
      return "padding reached the disk";
    }
    return {};
  }

  // Adds, waits for Completed, checks the files; the settled snapshot.
  std::optional<TaskSnapshot> download(test::EngineSession& session, AddParams params,
                                       const QString& dir) {
    params.saveDir = dir.toStdString();
    const TaskId id = session.add(params);
    if (id == kInvalidTaskId) {
      qWarning("add() refused");
      return std::nullopt;
    }
    const auto end = session.waitForEnd(id, 60s);
    if (!end || end->kind != Event::Kind::Completed) {
      qWarning("did not complete: %s", end ? end->message.c_str() : "timeout");
      return std::nullopt;
    }
    if (const QString wrong = verify(dir); !wrong.isEmpty()) {
      qWarning("%s", qPrintable(wrong));
      return std::nullopt;
    }
    if (!session.waitForSnapshot(
            id, [](const TaskSnapshot& s) { return s.state == TaskState::Completed; })) {
      return std::nullopt;
    }
    return session.settledSnapshot(id);
  }

 private slots:
  void initTestCase() {
    if (test::NginxServer::executable().isEmpty()) {
      QSKIP("nginx is not installed");
    }
    // Odd sizes, so each padding file is of another length and a piece holds
    // a file's tail, then zeros.
    addFile("a.bin", 3 * kPiece + 1000, 21, true);
    addFile("b.bin", 5 * kPiece + 40000, 22, true);
    addFile("c.bin", kPiece / 2 + 7, 23, true);
    addFile("d.bin", 2 * kPiece + 123, 24, false);
    QVERIFY(paddingBytes_ > kPiece);  // enough that counting it shows
    for (auto it = content_.begin(); it != content_.end(); ++it) {
      QVERIFY(writeFile(root_.filePath(it.key()), it.value()));
    }
    test::NginxOptions options;
    options.rootDir = root_.path();
    nginx_ = std::make_unique<test::NginxServer>(options);
    QCOMPARE(nginx_->start(), QString());
  }

  // The same padded torrent from one HTTP source alone: a web seed in its
  // url-list (CDN traffic) or its origin folder (AddParams::alsoFrom, HTTP
  // traffic). Either way that source's bytes are the real files' bytes.
  void paddingIsNotSourceTraffic_data() {
    QTest::addColumn<bool>("webSeed");
    QTest::newRow("web seed: cdn") << true;
    QTest::newRow("origin: http") << false;
  }

  void paddingIsNotSourceTraffic() {
    QFETCH(bool, webSeed);
    const std::string folder = url("/");  // the folder holding "padded/"
    const QString torrent =
        webSeed ? makeTorrent(folder, "webseed.torrent") : makeTorrent({}, "origin.torrent");
    QVERIFY(!torrent.isEmpty());
    QTemporaryDir out;
    test::EngineSession session;
    AddParams params;
    params.source = torrent.toStdString();
    if (!webSeed) {
      params.alsoFrom = folder;
    }
    const auto s = download(session, params, out.path());
    QVERIFY(s);
    const std::uint64_t counted = webSeed ? s->traffic.cdn : s->traffic.http;
    QCOMPARE(s->traffic.bt, 0u);
    QCOMPARE(webSeed ? s->traffic.http : s->traffic.cdn, 0u);
    // One source and no peers: nothing is raced, so nothing is fetched twice;
    // a block thrown away would show in wastedBytes.
    const std::uint64_t wasted = s->torrent ? s->torrent->wastedBytes : 0;
    QVERIFY2(counted >= realBytes_ && counted <= realBytes_ + wasted,
             qPrintable(QStringLiteral("%1 %2, real files %3, padding %4, wasted %5")
                            .arg(webSeed ? "cdn" : "http")
                            .arg(counted)
                            .arg(realBytes_)
                            .arg(paddingBytes_)
                            .arg(wasted)));
    const SourceSnapshot* source = sourceFor(*s, folder);
    QVERIFY(source != nullptr);
    QCOMPARE(source->kind, webSeed ? SourceKind::Cdn : SourceKind::Http);
    QCOMPARE(source->downloaded, counted);
    // The server was never asked for the padding.
    QVERIFY(!nginx_->accessLog().contains("/.pad/"));
  }
};

QTEST_GUILESS_MAIN(TstWebSeedPadding)
#include "tst_webseed_padding.moc"
