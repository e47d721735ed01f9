// Public to ui/: what a .torrent file holds, as Qt values, for the add dialog
// (engine/api/TorrentInspect.h underneath). Reading a torrent of many thousand
// files takes tens of milliseconds even optimised (30,000 files: 40 ms at -O2,
// 0.7 s in a debug build), so the GUI asks for it on a worker thread.
#pragma once

#include <QFuture>
#include <QList>
#include <QString>
#include <QStringList>
#include <QtGlobal>

namespace tributary::ui {

struct TorrentPreviewFile {
  // Path elements inside the task's folder: for a multi-file torrent the first
  // is the torrent's name, for a single-file torrent the only one is the name.
  QStringList path;
  quint64 size = 0;
  bool padding = false;  // BEP 47: never on disk, never shown

  bool operator==(const TorrentPreviewFile&) const = default;
};

struct TorrentPreviewResult;

struct TorrentPreview {
  QString name;
  QString infoHashHex;
  quint64 totalBytes = 0;  // padding left out
  quint64 pieceSize = 0;
  bool multiFile = false;
  // The torrent's order, padding included: entry i is the file that
  // AddOptions::filePriorities[i] addresses.
  QList<TorrentPreviewFile> files;

  // Reads and parses `path` on the calling thread.
  static TorrentPreviewResult fromFile(const QString& path);
  // The same on QThreadPool::globalInstance(); the future's one result is ready
  // when it finishes.
  static QFuture<TorrentPreviewResult> fromFileAsync(const QString& path);
};

struct TorrentPreviewResult {
  TorrentPreview preview;
  QString error;  // translated, with the engine's detail; empty on success

  bool ok() const { return error.isEmpty(); }
};

}  // namespace tributary::ui
