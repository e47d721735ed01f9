// The stable names behind engine/api/Error.h (here, the lowest layer, so every
// layer can print an Error): logs and the CLI JSON use them; a name never changes.
#include "engine/api/Error.h"

namespace tributary {

std::string_view errorCodeName(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::Ok:
      return "ok";
    case ErrorCode::InvalidArgument:
      return "invalid_argument";
    case ErrorCode::NotSupported:
      return "not_supported";
    case ErrorCode::UnknownTask:
      return "unknown_task";
    case ErrorCode::ShuttingDown:
      return "shutting_down";
    case ErrorCode::Internal:
      return "internal";
    case ErrorCode::DiskFull:
      return "disk_full";
    case ErrorCode::PermissionDenied:
      return "permission_denied";
    case ErrorCode::FileMissing:
      return "file_missing";
    case ErrorCode::IoError:
      return "io_error";
    case ErrorCode::DnsFailure:
      return "dns_failure";
    case ErrorCode::ConnectionRefused:
      return "connection_refused";
    case ErrorCode::ConnectionReset:
      return "connection_reset";
    case ErrorCode::Timeout:
      return "timeout";
    case ErrorCode::TlsFailure:
      return "tls_failure";
    case ErrorCode::HttpNotFound:
      return "http_not_found";
    case ErrorCode::HttpForbidden:
      return "http_forbidden";
    case ErrorCode::HttpGone:
      return "http_gone";
    case ErrorCode::HttpPreconditionFailed:
      return "http_precondition_failed";
    case ErrorCode::HttpRangeNotSatisfiable:
      return "http_range_not_satisfiable";
    case ErrorCode::HttpClientError:
      return "http_client_error";
    case ErrorCode::HttpServerError:
      return "http_server_error";
    case ErrorCode::TooManyRedirects:
      return "too_many_redirects";
    case ErrorCode::RedirectLoop:
      return "redirect_loop";
    case ErrorCode::HijackedResponse:
      return "hijacked_response";
    case ErrorCode::RemoteChanged:
      return "remote_changed";
    case ErrorCode::ProtocolError:
      return "protocol_error";
    case ErrorCode::ChecksumMismatch:
      return "checksum_mismatch";
    case ErrorCode::InvalidTorrent:
      return "invalid_torrent";
    case ErrorCode::InvalidMagnet:
      return "invalid_magnet";
    case ErrorCode::TrackerError:
      return "tracker_error";
  }
  return "unknown_error";
}

std::string Error::toString() const {
  std::string out(errorCodeName(code));
  if (!detail.empty()) {
    out += ": ";
    out += detail;
  }
  return out;
}

}  // namespace tributary
