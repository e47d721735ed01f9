#include "FaultSources.h"

#include <QStandardPaths>

#include "support/TestFiles.h"

namespace tributary::test {
namespace {

const QString kHttpName = QStringLiteral("payload.bin");

}  // namespace

QString FaultSources::missingPrograms() {
  if (NginxServer::executable().isEmpty()) {
    return QStringLiteral("nginx is not installed");
  }
  if (OpenTracker::executable().isEmpty()) {
    return QStringLiteral("opentracker is not installed");
  }
  if (!LibtorrentPeer::available()) {
    return QStringLiteral("python3-libtorrent is not installed");
  }
  if (QStandardPaths::findExecutable(QStringLiteral("mktorrent")).isEmpty()) {
    return QStringLiteral("mktorrent is not installed");
  }
  return {};
}

QString FaultSources::start(const FaultSourcesOptions& options) {
  options_ = options;
  if (!dir_.isValid()) {
    return QStringLiteral("no temporary folder");
  }
  // An odd size: the last request is a short one.
  const qint64 httpSize = (qint64{options.httpMiB} << 20) + 777;
  httpSha256_ = writePayload(dir_.filePath(kHttpName), httpSize, options.seed);
  if (httpSha256_.isEmpty()) {
    return QStringLiteral("cannot write the HTTP payload");
  }
  NginxOptions web;
  web.rootDir = dir_.path();
  // sendfile_max_chunk: the rate's bytes come steadily, not in one burst a second.
  web.extraServerDirectives =
      QStringLiteral("limit_rate %1; sendfile_max_chunk 16k;").arg(options.httpRatePerConnection);
  nginx_ = std::make_unique<NginxServer>(web);
  if (QString why = nginx_->start(); !why.isEmpty()) {
    return "nginx: " + why;
  }

  if (QString why = fixture_.create(options.btMiB, options.seed ^ 0xb7u); !why.isEmpty()) {
    return why;
  }
  infoHash_ = TorrentFixture::infoHashOf(fixture_.torrentFile());
  if (infoHash_.size() != 40) {
    return QStringLiteral("no info-hash for the torrent");
  }
  if (QString why = tracker_.start({infoHash_}); !why.isEmpty()) {
    return "opentracker: " + why;
  }
  const QString tracked = dir_.filePath("tracked.torrent");
  if (QString why = fixture_.makeTorrent({tracker_.httpAnnounceUrl()}, tracked); !why.isEmpty()) {
    return why;
  }
  LibtorrentPeerOptions peer;
  peer.torrentFile = tracked;
  peer.dataDir = fixture_.contentParent();
  peer.uploadLimit = options.btUploadLimit;
  peer.noPex = true;
  seeder_ = std::make_unique<LibtorrentPeer>(peer);
  if (QString why = seeder_->start(); !why.isEmpty()) {
    return "seeder: " + why;
  }
  // Our client must find it there: the tracker is its only way to the seeder.
  if (!tracker_.waitForSwarm(infoHash_, 1, 20000)) {
    return QStringLiteral("the seeder did not announce to the tracker: %1").arg(seeder_->output());
  }
  return {};
}

QStringList FaultSources::cliArgs(const QString& outDir) const {
  return {"get",
          nginx_->baseUrl() + '/' + kHttpName,
          dir_.filePath("tracked.torrent"),
          "-d",
          outDir,
          "-c",
          QString::number(options_.httpConnections),
          "--no-dht",
          "--no-lsd",
          "--no-pex",
          "--no-utp"};
}

QString FaultSources::verify(const QString& outDir) const {
  if (sha256Of(outDir + '/' + kHttpName) != httpSha256_) {
    return QStringLiteral("%1 differs from what nginx served").arg(kHttpName);
  }
  return fixture_.verify(outDir);
}

QString FaultSources::describe() const {
  return QStringLiteral("nginx error log:\n%1\nseeder:\n%2\ntracker:\n%3")
      .arg(nginx_ ? nginx_->errorLog().right(1500) : QString(),
           seeder_ ? seeder_->output().right(1500) : QString(), tracker_.output().right(500));
}

}  // namespace tributary::test
