#include "engine/http/HttpStatusError.h"

#include <string>

namespace tributary::http {

Error httpStatusError(int status, const codec::Url& url) {
  const std::string where = " from " + url.toString(false);
  switch (status) {
    case 403:
      return {ErrorCode::HttpForbidden, "403 Forbidden" + where};
    case 404:
      return {ErrorCode::HttpNotFound, "404 Not Found" + where};
    case 410:
      return {ErrorCode::HttpGone, "410 Gone" + where};
    case 412:
      return {ErrorCode::HttpPreconditionFailed, "412 Precondition Failed" + where};
    case 416:
      return {ErrorCode::HttpRangeNotSatisfiable, "416 Range Not Satisfiable" + where};
    default:
      break;
  }
  if (status >= 500) {
    return {ErrorCode::HttpServerError, "server error " + std::to_string(status) + where};
  }
  return {ErrorCode::HttpClientError, "unexpected status " + std::to_string(status) + where};
}

}  // namespace tributary::http
