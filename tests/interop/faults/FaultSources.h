// The sources the fault tests download from, all on 127.0.0.1 and all
// rate-limited so that a download lasts long enough to be interrupted: nginx
// serving one file (an HTTP task), and a python3-libtorrent seeder that
// announces to an opentracker (a torrent task that finds its peer only
// through the tracker, so a tracker that cannot be reached matters).
#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

#include "TorrentFixture.h"
#include "support/LibtorrentPeer.h"
#include "support/NginxServer.h"
#include "support/OpenTracker.h"

namespace tributary::test {

struct FaultSourcesOptions {
  int httpMiB = 16;
  QString httpRatePerConnection = QStringLiteral("256k");  // nginx limit_rate
  int httpConnections = 4;
  int btMiB = 16;
  qint64 btUploadLimit = 1 << 20;  // bytes/s, the seeder's
  unsigned seed = 1;
};

class FaultSources {
 public:
  // Why the tests cannot run here (a program missing), or empty.
  static QString missingPrograms();

  // Starts nginx, the tracker and the seeder (registered with the tracker).
  // Empty on success; else why not.
  QString start(const FaultSourcesOptions& options);

  // `tributary-cli` arguments fetching both into `outDir` (BitTorrent over TCP
  // only, peers from the tracker only).
  QStringList cliArgs(const QString& outDir) const;
  // Empty when both downloads under `outDir` are exact; else the first difference.
  QString verify(const QString& outDir) const;

  const OpenTracker& tracker() const { return tracker_; }
  QString infoHash() const { return infoHash_; }
  QString describe() const;  // what each source said, for a failure message

 private:
  FaultSourcesOptions options_;
  QTemporaryDir dir_;
  TorrentFixture fixture_;
  QString infoHash_;
  QByteArray httpSha256_;
  OpenTracker tracker_;
  std::unique_ptr<NginxServer> nginx_;
  std::unique_ptr<LibtorrentPeer> seeder_;
};

}  // namespace tributary::test
