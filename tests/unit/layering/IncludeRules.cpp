#include "IncludeRules.h"

#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>

namespace {

// Layers of engine/, bottom-up. A folder may include its own layer and those
// below; engine/api holds plain value types every layer shares.
int engineRank(const QString& folder) {
  static const QHash<QString, int> ranks = {
      {"api", 0},     {"util", 1},   {"codec", 1},   {"loop", 2}, {"net", 3},
      {"storage", 3}, {"core", 4},   {"http", 5},    {"bt", 5},   {"dht", 5},
      {"utp", 5},     {"hybrid", 6}, {"session", 7},
  };
  return ranks.value(folder, -1);
}

// Files allowed to include OpenSSL: hashing in util, TLS in net, MSE in bt.
bool mayUseOpenSsl(const QString& path) {
  static const QRegularExpression allowed(
      QStringLiteral("^engine/(util/(Sha|Hash|Digest|Crypto)|net/Tls|bt/Mse)[^/]*$"));
  return allowed.match(path).hasMatch();
}

QString topFolder(const QString& path, int depth) {
  const QStringList parts = path.split('/');
  return parts.size() > depth ? parts.at(depth) : QString();
}

}  // namespace

QList<IncludeViolation> checkIncludes(const QString& relativePath, const QString& text) {
  static const QRegularExpression includeLine(
      QStringLiteral(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])"));
  QList<IncludeViolation> found;
  const QString area = topFolder(relativePath, 0);
  const QString folder = topFolder(relativePath, 1);
  const QStringList lines = text.split('\n');
  for (int i = 0; i < lines.size(); ++i) {
    const auto match = includeLine.match(lines.at(i));
    if (!match.hasMatch()) {
      continue;
    }
    const QString header = match.captured(2);
    auto violate = [&](const QString& rule) { found.append({relativePath, i + 1, header, rule}); };
    const bool isQt = header.startsWith('Q') || header.startsWith(QStringLiteral("Qt")) ||
                      header.startsWith(QStringLiteral("qt"));
    if (area == QStringLiteral("engine")) {
      if (isQt && match.captured(1) == QStringLiteral("<")) {
        violate(QStringLiteral("engine/ never includes Qt"));
      }
      if (header == QStringLiteral("uv.h") && folder != QStringLiteral("loop")) {
        violate(QStringLiteral("<uv.h> only under engine/loop"));
      }
      if (header.startsWith(QStringLiteral("openssl/")) && !mayUseOpenSsl(relativePath)) {
        violate(QStringLiteral("OpenSSL only in the crypto/TLS files"));
      }
      if (header.startsWith(QStringLiteral("engine/"))) {
        const QString target = topFolder(header, 1);
        const int from = engineRank(folder);
        const int to = engineRank(target);
        if (to < 0) {
          violate(QStringLiteral("unknown engine folder"));
        } else if (target != folder && to != 0 && to >= from) {
          violate(QStringLiteral("engine/%1 may not include engine/%2 (it is not below)")
                      .arg(folder, target));
        }
      }
    } else if (header.startsWith(QStringLiteral("engine/"))) {
      const bool publicApi = header.startsWith(QStringLiteral("engine/api/"));
      const bool bridge = relativePath.startsWith(QStringLiteral("ui/bridge/"));
      if (!publicApi) {
        violate(QStringLiteral("only engine/api is public"));
      } else if (area == QStringLiteral("ui") && !bridge) {
        violate(QStringLiteral("in ui/, only ui/bridge sees the engine"));
      }
    }
  }
  return found;
}

QList<IncludeViolation> checkTree(const QString& root, int* filesChecked) {
  QList<IncludeViolation> found;
  int count = 0;
  for (const char* area : {"engine", "ui", "app"}) {
    QDirIterator it(root + '/' + QLatin1String(area),
                    {QStringLiteral("*.h"), QStringLiteral("*.hpp"), QStringLiteral("*.cpp"),
                     QStringLiteral("*.cc")},
                    QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
      const QString path = it.next();
      QFile file(path);
      if (!file.open(QIODevice::ReadOnly)) {
        found.append({path, 0, {}, QStringLiteral("unreadable")});
        continue;
      }
      ++count;
      found += checkIncludes(path.mid(root.size() + 1), QString::fromUtf8(file.readAll()));
    }
  }
  if (filesChecked != nullptr) {
    *filesChecked = count;
  }
  return found;
}
