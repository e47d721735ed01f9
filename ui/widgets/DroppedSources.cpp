#include "ui/widgets/DroppedSources.h"

#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

namespace tributary::ui {

namespace {

const QString kUriList = QStringLiteral("text/uri-list");
const QString kMozUrl = QStringLiteral("text/x-moz-url");

bool isLink(const QString& text) {
  return text.startsWith(QLatin1String("magnet:?"), Qt::CaseInsensitive) ||
         text.startsWith(QLatin1String("http://"), Qt::CaseInsensitive) ||
         text.startsWith(QLatin1String("https://"), Qt::CaseInsensitive);
}

// RFC 2483: one URI a line, CRLF-separated, '#' starts a comment line.
QStringList uriListLines(const QByteArray& bytes) {
  QStringList lines;
  for (const QByteArray& line : bytes.split('\n')) {
    const QString text = QString::fromUtf8(line).trimmed();
    if (!text.isEmpty() && !text.startsWith(QLatin1Char('#'))) {
      lines << text;
    }
  }
  return lines;
}

// Firefox writes text/x-moz-url as UTF-16 in the machine's byte order:
// URL, newline, title, newline, URL, ... Every other line is a title.
QStringList mozUrlLines(const QByteArray& bytes) {
  QString text;
  if (bytes.size() >= 2 && bytes.size() % 2 == 0) {
    text =
        QString::fromUtf16(reinterpret_cast<const char16_t*>(bytes.constData()), bytes.size() / 2);
  }
  if (text.startsWith(QChar(QChar::ByteOrderMark))) {
    text.remove(0, 1);
  }
  text.remove(QChar(0));
  QStringList urls;
  const QStringList lines = text.split(QLatin1Char('\n'));
  for (qsizetype i = 0; i < lines.size(); i += 2) {
    const QString url = lines.at(i).trimmed();
    if (!url.isEmpty()) {
      urls << url;
    }
  }
  return urls;
}

}  // namespace

bool DroppedSources::addCandidate(const QString& candidate) {
  const QString text = candidate.trimmed();
  if (text.isEmpty()) {
    return false;
  }
  if (isLink(text)) {
    // Kept exactly as given: re-encoding a magnet's or a signed URL's query
    // through QUrl could change the bytes the server checks.
    if (!sources.contains(text)) {
      sources << text;
    }
    return true;
  }
  QString path;
  if (text.startsWith(QLatin1String("file:"), Qt::CaseInsensitive)) {
    path = QUrl(text).toLocalFile();
  } else if (QFileInfo(text).isAbsolute()) {
    path = text;  // a bare path, as some file managers put in text/plain
  }
  if (path.isEmpty()) {
    return false;
  }
  const QFileInfo info(path);
  if (info.suffix().compare(QLatin1String("torrent"), Qt::CaseInsensitive) == 0 && !info.isDir()) {
    if (!sources.contains(path)) {
      sources << path;
    }
  } else if (!rejected.contains(path)) {
    rejected << path;
  }
  return true;
}

DroppedSources DroppedSources::fromMimeData(const QMimeData* mime) {
  DroppedSources dropped;
  if (!mime) {
    return dropped;
  }
  QList<QStringList> forms;
  if (mime->hasFormat(kUriList)) {
    forms << uriListLines(mime->data(kUriList));
  }
  if (mime->hasFormat(kMozUrl)) {
    forms << mozUrlLines(mime->data(kMozUrl));
  }
  if (mime->hasText()) {
    forms << mime->text().split(QLatin1Char('\n'));
  }
  for (const QStringList& form : forms) {
    for (const QString& line : form) {
      dropped.addCandidate(line);
    }
    if (!dropped.isEmpty()) {
      break;
    }
  }
  return dropped;
}

}  // namespace tributary::ui
