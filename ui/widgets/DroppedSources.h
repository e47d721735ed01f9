// Public to ui/: what a drop (or a paste) onto the window asks to download.
// File managers send text/uri-list with file:// URLs; browsers send a link as
// text/uri-list, text/x-moz-url (UTF-16 "URL\ntitle" pairs, Firefox) and
// text/plain at once. The first of those forms that holds anything wins, so
// one link dragged from a browser is added once, not three times.
#pragma once

#include <QString>
#include <QStringList>

class QMimeData;

namespace tributary::ui {

struct DroppedSources {
  QStringList sources;   // .torrent paths, magnet: links and http(s) URLs, in drop order
  QStringList rejected;  // local files that are not .torrent files, and folders

  bool isEmpty() const { return sources.isEmpty() && rejected.isEmpty(); }

  static DroppedSources fromMimeData(const QMimeData* mime);
  // One candidate (a line of text or of a URI list); false when it names
  // nothing we can download.
  bool addCandidate(const QString& text);
};

}  // namespace tributary::ui
