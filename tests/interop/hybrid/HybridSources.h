// The sources the hybrid tests (one task fed by HTTP and a swarm) share: nginx
// serving the test's folder, with its data/ folder served again at /slow/,
// held to 2 MiB/s a connection, as slow as a seeder the test limits the same
// way, so that each kind of source has a share.
#pragma once

#include <QString>

#include <memory>

#include "support/LibtorrentPeer.h"
#include "support/NginxServer.h"

namespace tributary::test {

// Why a test with nginx and a python3-libtorrent seeder cannot run here, or empty.
inline QString missingHybridPrograms() {
  if (NginxServer::executable().isEmpty()) {
    return QStringLiteral("nginx is not installed");
  }
  if (!LibtorrentPeer::available()) {
    return QStringLiteral("python3-libtorrent is not installed");
  }
  return {};
}

// Starts `nginx` on `root` ("/") with `root`/data/ also at "/slow/". Empty on
// success; else why not.
inline QString startHybridNginx(std::unique_ptr<NginxServer>& nginx, const QString& root) {
  NginxOptions options;
  options.rootDir = root;
  options.extraServerDirectives =
      QStringLiteral("location /slow/ { alias %1/data/; limit_rate 2m; }\n").arg(root);
  nginx = std::make_unique<NginxServer>(options);
  return nginx->start();
}

}  // namespace tributary::test
