// Public to ui/: what an "Also download from" field (AddParams::alsoFrom) may
// hold, checked as the user types so a bad value is named under the field and
// OK stays off, instead of failing after the dialog closed. The same pairing
// rules as the CLI's --origin/--torrent: a torrent or magnet takes its
// content's http(s) URL, an http(s) URL takes a .torrent file or a magnet.
// Each check returns why the text will not do (translated), or an empty
// string when it will or is empty. The engine still checks what it can only
// know later (sizes, a magnet's layout, the pieces as they verify).
#pragma once

#include <QCoreApplication>
#include <QString>

namespace tributary::ui {

class AlsoFromCheck {
  Q_DECLARE_TR_FUNCTIONS(tributary::ui::AlsoFromCheck)

 public:
  static bool isMagnet(const QString& text);
  static bool isHttpUrl(const QString& text);

  // `text` as a torrent's origin URL. A multi-file torrent's origin is the
  // folder holding its top folder `name`, ending in '/' (BEP 19); a magnet's
  // layout is unknown until its metadata is in, so pass multiFile = false.
  static QString originUrlError(const QString& text, bool multiFile, const QString& name);
  // `text` as the torrent of an http(s) download: a magnet link with a
  // BitTorrent info hash, or a file that exists.
  static QString torrentError(const QString& text);
  // `text` as a magnet link: it must name a v1 info hash (xt=urn:btih: with
  // 40 hex or 32 base32 digits), the one kind the engine adds.
  static QString magnetError(const QString& text);
  // `text` as the link of a download of its own: a magnet link or an http(s) URL.
  static QString linkError(const QString& text);

 private:
  static QString httpUrlError(const QString& trimmed);
};

}  // namespace tributary::ui
