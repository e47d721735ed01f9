#include "ui/dialogs/AlsoFromCheck.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace tributary::ui {

namespace {

bool isInfoHash(const QString& digits) {
  static const QRegularExpression kHex(QStringLiteral("^[0-9A-Fa-f]{40}$"));
  static const QRegularExpression kBase32(QStringLiteral("^[A-Za-z2-7]{32}$"));
  return kHex.match(digits).hasMatch() || kBase32.match(digits).hasMatch();
}

}  // namespace

bool AlsoFromCheck::isMagnet(const QString& text) {
  return text.trimmed().startsWith(QLatin1String("magnet:"), Qt::CaseInsensitive);
}

bool AlsoFromCheck::isHttpUrl(const QString& text) {
  const QString trimmed = text.trimmed();
  return trimmed.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
         trimmed.startsWith(QLatin1String("https://"), Qt::CaseInsensitive);
}

QString AlsoFromCheck::httpUrlError(const QString& trimmed) {
  const QUrl url(trimmed, QUrl::StrictMode);
  const QString scheme = url.scheme().toLower();
  if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) ||
      url.host().isEmpty()) {
    return tr("“%1” is not an http(s) URL.").arg(trimmed);
  }
  return {};
}

QString AlsoFromCheck::originUrlError(const QString& text, bool multiFile, const QString& name) {
  const QString trimmed = text.trimmed();
  if (trimmed.isEmpty()) {
    return {};
  }
  if (isMagnet(trimmed) || trimmed.endsWith(QStringLiteral(".torrent"), Qt::CaseInsensitive)) {
    return tr(
        "A torrent cannot be added to another torrent: give the URL the same content "
        "is served at.");
  }
  if (QString error = httpUrlError(trimmed); !error.isEmpty()) {
    return error;
  }
  if (multiFile && !QUrl(trimmed).path().endsWith(QLatin1Char('/'))) {
    return tr("This torrent has several files: give the URL of the folder that holds "
              "“%1/”, ending in “/”.")
        .arg(name);
  }
  return {};
}

QString AlsoFromCheck::magnetError(const QString& text) {
  const QString trimmed = text.trimmed();
  const QUrl url(trimmed);
  // QUrl keeps "magnet:?xt=..." as a scheme and a query, nothing else.
  const QList<QPair<QString, QString>> items = QUrlQuery(url.query()).queryItems();
  for (const auto& [key, value] : items) {
    if (key.compare(QLatin1String("xt"), Qt::CaseInsensitive) == 0 &&
        value.startsWith(QLatin1String("urn:btih:"), Qt::CaseInsensitive) &&
        isInfoHash(value.mid(9))) {
      return {};
    }
  }
  return tr("“%1” is not a magnet link with a BitTorrent info hash (xt=urn:btih:…).").arg(trimmed);
}

QString AlsoFromCheck::torrentError(const QString& text) {
  const QString trimmed = text.trimmed();
  if (trimmed.isEmpty()) {
    return {};
  }
  if (isMagnet(trimmed)) {
    return magnetError(trimmed);
  }
  if (trimmed.contains(QLatin1String("://"))) {
    return tr(
        "A download from a URL is paired with its .torrent file or magnet link, not with "
        "another URL.");
  }
  if (!QFileInfo(trimmed).isFile()) {
    return tr("There is no file “%1”.").arg(trimmed);
  }
  return {};
}

QString AlsoFromCheck::linkError(const QString& text) {
  const QString trimmed = text.trimmed();
  if (trimmed.isEmpty()) {
    return {};
  }
  if (isMagnet(trimmed)) {
    return magnetError(trimmed);
  }
  if (isHttpUrl(trimmed)) {
    return httpUrlError(trimmed);
  }
  return tr("“%1” is neither a magnet link nor an http(s) URL.").arg(trimmed);
}

}  // namespace tributary::ui
