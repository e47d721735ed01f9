#include "engine/http/RequestWriter.h"

#include "engine/http/HttpText.h"

namespace tributary::http {

namespace {

bool isSafeValue(std::string_view value) {
  for (const char c : value) {
    if (!isFieldValueChar(c)) {
      return false;
    }
  }
  return true;
}

void appendField(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

Error invalid(std::string_view what) {
  return Error{ErrorCode::InvalidArgument, "unsafe request field: " + std::string(what)};
}

}  // namespace

Result<std::string> writeRequestHead(const codec::Url& url, const RequestOptions& options) {
  const std::string target = url.requestTarget();
  // A Url from codec::parseUrl is always clean; a hand-built one may not be.
  for (const char c : target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
      return invalid("request target");
    }
  }
  if (url.host.empty() || !isSafeValue(url.host) ||
      url.host.find_first_of(" \t") != std::string::npos) {
    return invalid("host");
  }
  const std::pair<std::string_view, const std::string*> checked[] = {
      {"If-Range", &options.ifRange},
      {"User-Agent", &options.userAgent},
      {"Referer", &options.referer},
      {"Cookie", &options.cookie},
  };
  for (const auto& [name, value] : checked) {
    if (!isSafeValue(*value)) {
      return invalid(name);
    }
  }
  for (const auto& [name, value] : options.extraFields) {
    if (!isToken(name) || !isSafeValue(value)) {
      return invalid("extra field");
    }
  }

  std::string out;
  out.reserve(256 + target.size());
  out.append(options.method == RequestMethod::Head ? "HEAD " : "GET ");
  out.append(target);
  out.append(" HTTP/1.1\r\n");
  appendField(out, "Host", url.hostHeader());
  if (!options.userAgent.empty()) {
    appendField(out, "User-Agent", options.userAgent);
  }
  appendField(out, "Accept", "*/*");
  appendField(out, "Accept-Encoding", "identity");
  if (options.range) {
    std::string range = "bytes=" + std::to_string(options.range->first) + '-';
    if (options.range->last) {
      if (*options.range->last < options.range->first) {
        return invalid("Range");
      }
      range += std::to_string(*options.range->last);
    }
    appendField(out, "Range", range);
    if (!options.ifRange.empty()) {
      appendField(out, "If-Range", options.ifRange);
    }
  }
  if (!options.referer.empty()) {
    appendField(out, "Referer", options.referer);
  }
  if (!options.cookie.empty()) {
    appendField(out, "Cookie", options.cookie);
  }
  for (const auto& [name, value] : options.extraFields) {
    appendField(out, name, value);
  }
  appendField(out, "Connection", options.keepAlive ? "keep-alive" : "close");
  out.append("\r\n");
  return out;
}

}  // namespace tributary::http
