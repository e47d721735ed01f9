#include "ui/bridge/TorrentPreview.h"

#include <QPromise>
#include <QThreadPool>
#include <memory>

#include "engine/api/TorrentInspect.h"
#include "ui/bridge/ErrorText.h"

namespace tributary::ui {

namespace {

TorrentPreview convert(const TorrentInfo& info) {
  TorrentPreview preview;
  preview.name = QString::fromStdString(info.name);
  preview.infoHashHex = QString::fromStdString(info.infoHashHex);
  preview.totalBytes = info.totalBytes;
  preview.pieceSize = info.pieceSize;
  preview.multiFile = info.multiFile;
  preview.files.reserve(static_cast<qsizetype>(info.files.size()));
  for (const TorrentFileInfo& file : info.files) {
    TorrentPreviewFile out;
    out.path.reserve(static_cast<qsizetype>(file.path.size()));
    for (const std::string& element : file.path) {
      out.path << QString::fromStdString(element);
    }
    out.size = file.size;
    out.padding = file.padding;
    preview.files << std::move(out);
  }
  return preview;
}

}  // namespace

TorrentPreviewResult TorrentPreview::fromFile(const QString& path) {
  const Result<TorrentInfo> info = inspectTorrentFile(path.toStdString());
  if (!info) {
    return TorrentPreviewResult{{}, ErrorText::describe(info.error().code, info.error().detail)};
  }
  return TorrentPreviewResult{convert(info.value()), {}};
}

QFuture<TorrentPreviewResult> TorrentPreview::fromFileAsync(const QString& path) {
  // std::function needs a copyable callable; QPromise is move-only.
  auto promise = std::make_shared<QPromise<TorrentPreviewResult>>();
  QFuture<TorrentPreviewResult> future = promise->future();
  promise->start();
  QThreadPool::globalInstance()->start([promise, path] {
    promise->addResult(fromFile(path));
    promise->finish();
  });
  return future;
}

}  // namespace tributary::ui
