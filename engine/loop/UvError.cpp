#include "engine/loop/UvError.h"

#include <uv.h>

#include <string>

namespace tributary::loop {
namespace {

ErrorCode codeFor(int status) {
  switch (status) {
    case UV_ECONNREFUSED:
      return ErrorCode::ConnectionRefused;
    case UV_ECONNRESET:
    case UV_EPIPE:
    case UV_ECONNABORTED:
      return ErrorCode::ConnectionReset;
    case UV_ETIMEDOUT:
      return ErrorCode::Timeout;
    case UV_EAI_ADDRFAMILY:
    case UV_EAI_AGAIN:
    case UV_EAI_BADFLAGS:
    case UV_EAI_BADHINTS:
    case UV_EAI_CANCELED:
    case UV_EAI_FAIL:
    case UV_EAI_FAMILY:
    case UV_EAI_MEMORY:
    case UV_EAI_NODATA:
    case UV_EAI_NONAME:
    case UV_EAI_OVERFLOW:
    case UV_EAI_PROTOCOL:
    case UV_EAI_SERVICE:
    case UV_EAI_SOCKTYPE:
      return ErrorCode::DnsFailure;
    default:
      return ErrorCode::IoError;
  }
}

}  // namespace

std::string_view uvErrorText(int status) {
  return uv_strerror(status);
}

Error uvError(int status, std::string_view context) {
  std::string detail(context);
  if (!detail.empty()) {
    detail += ": ";
  }
  detail += uv_strerror(status);
  return Error{codeFor(status), std::move(detail)};
}

}  // namespace tributary::loop
