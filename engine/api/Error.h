// Public: error codes the engine reports. ui/ turns them into translated words;
// the engine only attaches a short, untranslated detail (a URL, an errno text).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tributary {

enum class ErrorCode : std::uint16_t {
  Ok = 0,
  // Commands and arguments.
  InvalidArgument,
  NotSupported,  // a source kind or feature this build does not implement yet
  UnknownTask,
  ShuttingDown,
  Internal,
  // Local files.
  DiskFull,
  PermissionDenied,
  FileMissing,
  IoError,
  // Network.
  DnsFailure,
  ConnectionRefused,
  ConnectionReset,
  Timeout,
  TlsFailure,
  // HTTP.
  HttpNotFound,
  HttpForbidden,
  HttpGone,
  HttpPreconditionFailed,
  HttpRangeNotSatisfiable,
  HttpClientError,
  HttpServerError,
  TooManyRedirects,
  RedirectLoop,
  HijackedResponse,  // an HTML page or a wrong length where the file was expected
  RemoteChanged,     // ETag / Last-Modified / size differ from what we started with
  ProtocolError,     // malformed response or message
  ChecksumMismatch,
  // BitTorrent.
  InvalidTorrent,
  InvalidMagnet,
  TrackerError,
};

// A stable, machine-readable name ("not_supported"): used in logs and CLI JSON.
std::string_view errorCodeName(ErrorCode code) noexcept;

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string detail;  // untrusted text is escaped and capped before it lands here

  // "not_supported: magnet links" — the form the CLI prints on one line.
  std::string toString() const;
};

// A value or an Error. Errors that are part of normal flow travel as values,
// never as exceptions (STYLE.md).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const& { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace tributary
