// RFC 3986 §5.2: resolving a reference (typically a Location header) against a base.
#include "engine/codec/Url.h"

namespace tributary::codec {

namespace {

bool isAlpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isSchemeChar(char c) noexcept {
  return isAlpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}
bool isTrimmable(char c) noexcept {
  return static_cast<unsigned char>(c) <= 0x20;
}
bool isControl(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7F;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] + 32) : a[i];
    if (x != b[i]) {
      return false;
    }
  }
  return true;
}

// The length of the reference's scheme (without ':'), or 0 when it has none: a
// scheme is only a scheme if its ':' comes before any '/', '?' or '#' (§4.2).
std::size_t schemeLength(std::string_view ref) noexcept {
  if (ref.empty() || !isAlpha(ref[0])) {
    return 0;
  }
  std::size_t i = 1;
  while (i < ref.size() && isSchemeChar(ref[i])) {
    ++i;
  }
  return (i < ref.size() && ref[i] == ':') ? i : 0;
}

// §5.2.3: the base path up to its last '/', then the reference path.
std::string mergePaths(const std::string& basePath, std::string_view refPath) {
  const std::size_t slash = basePath.rfind('/');
  std::string merged =
      slash == std::string::npos ? std::string("/") : basePath.substr(0, slash + 1);
  merged.append(refPath);
  return merged;
}

void popLastSegment(std::string& out) {
  const std::size_t slash = out.rfind('/');
  out.erase(slash == std::string::npos ? 0 : slash);
}

}  // namespace

std::string removeDotSegments(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      out += '/';
      break;
    } else if (in.starts_with("/../")) {
      in.remove_prefix(3);
      popLastSegment(out);
    } else if (in == "/..") {
      popLastSegment(out);
      out += '/';
      break;
    } else if (in == "." || in == "..") {
      break;
    } else {
      const std::size_t next = in.find('/', 1);
      const std::size_t len = next == std::string_view::npos ? in.size() : next;
      out.append(in.substr(0, len));
      in.remove_prefix(len);
    }
  }
  return out;
}

std::optional<Url> resolveUrl(const Url& base, std::string_view reference, UrlParseError& error,
                              const UrlLimits& limits) {
  error = {};
  std::size_t begin = 0;
  std::size_t end = reference.size();
  while (begin < end && isTrimmable(reference[begin])) {
    ++begin;
  }
  while (end > begin && isTrimmable(reference[end - 1])) {
    --end;
  }
  std::string_view ref = reference.substr(begin, end - begin);
  if (ref.size() > limits.maxLength) {
    error = {UrlError::TooLong, begin + limits.maxLength};
    return std::nullopt;
  }
  for (std::size_t i = 0; i < ref.size(); ++i) {
    if (isControl(ref[i])) {
      error = {UrlError::BadCharacter, begin + i};
      return std::nullopt;
    }
  }

  const std::size_t scheme = schemeLength(ref);
  if (scheme > 0) {
    // "http:path" with the base's own scheme and no authority is the pre-RFC 3986
    // relative form that §5.2.2 lets non-strict parsers accept; browsers do.
    const bool sameSchemeRelative = equalsIgnoreCase(ref.substr(0, scheme), base.scheme) &&
                                    !ref.substr(scheme + 1).starts_with("//");
    if (!sameSchemeRelative) {
      std::optional<Url> url = parseUrl(ref, error, limits);
      error.position += url ? 0 : begin;
      return url;
    }
    ref.remove_prefix(scheme + 1);
    begin += scheme + 1;
  }

  ref = ref.substr(0, ref.find('#'));
  if (ref.starts_with("//")) {
    // A network-path reference keeps only the base's scheme.
    const std::string absolute = base.scheme + ':' + std::string(ref);
    std::optional<Url> url = parseUrl(absolute, error, limits);
    if (!url) {
      const std::size_t prefix = base.scheme.size() + 1;
      error.position = begin + (error.position > prefix ? error.position - prefix : 0);
    }
    return url;
  }

  Url target = base;
  std::string_view refPath = ref;
  const std::size_t question = ref.find('?');
  if (question != std::string_view::npos) {
    refPath = ref.substr(0, question);
    target.query = normalizeUrlComponent(ref.substr(question + 1));
  }
  if (refPath.empty()) {
    if (question == std::string_view::npos) {
      target.query = base.query;
    }
    return target;
  }
  const std::string path = normalizeUrlComponent(refPath);
  target.path = removeDotSegments(path.starts_with('/') ? path : mergePaths(base.path, path));
  if (target.path.empty()) {
    target.path = "/";
  }
  if (question == std::string_view::npos) {
    target.query.reset();
  }
  return target;
}

}  // namespace tributary::codec
