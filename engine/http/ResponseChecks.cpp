#include "engine/http/ResponseChecks.h"

#include <cctype>

#include "engine/net/TlsErrors.h"

namespace tributary::http {
namespace {

std::string lowerCase(std::string_view text) {
  std::string lower;
  lower.reserve(text.size());
  for (char c : text) {
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower;
}

}  // namespace

bool isRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string strongEtag(const ResourceValidators& validators) {
  return validators.etag && !validators.etag->weak ? validators.etag->tag : std::string();
}

bool looksHijacked(const ResponseHead& head, const std::string& expectedName) {
  const std::string* type = head.find("Content-Type");
  if (type == nullptr || lowerCase(std::string_view(*type).substr(0, 9)) != "text/html") {
    return false;
  }
  const auto dot = expectedName.rfind('.');
  if (dot == std::string::npos) {
    return false;  // no extension: nothing to compare with
  }
  const std::string ext = lowerCase(std::string_view(expectedName).substr(dot + 1));
  static const char* const kPages[] = {"html", "htm",  "xhtml", "shtml", "php",
                                       "asp",  "aspx", "jsp",   "cgi"};
  for (const char* page : kPages) {
    if (ext == page) {
      return false;
    }
  }
  return true;
}

bool changedSince(const ResourceValidators& before, const ResourceValidators& now) {
  const std::string etagBefore = strongEtag(before);
  const std::string etagNow = strongEtag(now);
  if (!etagBefore.empty() && !etagNow.empty() && etagBefore != etagNow) {
    return true;
  }
  return !before.lastModified.empty() && !now.lastModified.empty() &&
         before.lastModified != now.lastModified;
}

std::optional<std::string> mirrorMismatch(const ResourceValidators& origin,
                                          const ResourceValidators& mirror) {
  if (!origin.lastModified.empty() && !mirror.lastModified.empty()) {
    if (origin.lastModified != mirror.lastModified) {
      return "Last-Modified " + net::printableDetail(mirror.lastModified, 80) +
             " where the origin has " + net::printableDetail(origin.lastModified, 80);
    }
    return std::nullopt;
  }
  const std::string originTag = strongEtag(origin);
  const std::string mirrorTag = strongEtag(mirror);
  if (!originTag.empty() && !mirrorTag.empty() && originTag != mirrorTag) {
    return "ETag " + net::printableDetail(mirrorTag, 80) + " where the origin has " +
           net::printableDetail(originTag, 80);
  }
  return std::nullopt;
}

}  // namespace tributary::http
