#include "ui/bridge/ErrorText.h"

namespace tributary::ui {

QString ErrorText::describe(ErrorCode code, const std::string& detail) {
  if (code == ErrorCode::Ok) {
    return {};
  }
  const QString text = phrase(code);
  if (detail.empty()) {
    return text;
  }
  return tr("%1: %2", "error phrase: engine detail").arg(text, QString::fromStdString(detail));
}

QString ErrorText::phrase(ErrorCode code) {
  switch (code) {
    case ErrorCode::Ok:
      return {};
    case ErrorCode::InvalidArgument:
      return tr("Invalid input");
    case ErrorCode::NotSupported:
      return tr("Not supported yet");
    case ErrorCode::UnknownTask:
      return tr("No such download");
    case ErrorCode::ShuttingDown:
      return tr("The download engine is shutting down");
    case ErrorCode::Internal:
      return tr("Internal error");
    case ErrorCode::DiskFull:
      return tr("The disk is full");
    case ErrorCode::PermissionDenied:
      return tr("Permission denied");
    case ErrorCode::FileMissing:
      return tr("A file is missing");
    case ErrorCode::IoError:
      return tr("Disk read or write error");
    case ErrorCode::DnsFailure:
      return tr("Host name not found");
    case ErrorCode::ConnectionRefused:
      return tr("Connection refused");
    case ErrorCode::ConnectionReset:
      return tr("Connection reset");
    case ErrorCode::Timeout:
      return tr("Timed out");
    case ErrorCode::TlsFailure:
      return tr("Secure connection failed");
    case ErrorCode::HttpNotFound:
      return tr("Not found on the server (HTTP 404)");
    case ErrorCode::HttpForbidden:
      return tr("Access denied by the server (HTTP 403)");
    case ErrorCode::HttpGone:
      return tr("No longer on the server (HTTP 410)");
    case ErrorCode::HttpPreconditionFailed:
      return tr("The file changed on the server (HTTP 412)");
    case ErrorCode::HttpRangeNotSatisfiable:
      return tr("The server refused the requested range (HTTP 416)");
    case ErrorCode::HttpClientError:
      return tr("The server refused the request");
    case ErrorCode::HttpServerError:
      return tr("Server error");
    case ErrorCode::TooManyRedirects:
      return tr("Too many redirects");
    case ErrorCode::RedirectLoop:
      return tr("Redirect loop");
    case ErrorCode::HijackedResponse:
      return tr("The server sent something other than the file");
    case ErrorCode::RemoteChanged:
      return tr("The file changed on the server");
    case ErrorCode::ProtocolError:
      return tr("Malformed response");
    case ErrorCode::ChecksumMismatch:
      return tr("Checksum mismatch");
    case ErrorCode::InvalidTorrent:
      return tr("Invalid torrent file");
    case ErrorCode::InvalidMagnet:
      return tr("Invalid magnet link");
    case ErrorCode::TrackerError:
      return tr("Tracker error");
  }
  // A code newer than this file: still say something rather than nothing.
  return tr("Error %1").arg(static_cast<int>(code));
}

}  // namespace tributary::ui
