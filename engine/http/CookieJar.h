// Internal: the cookies one download task has been given (RFC 6265 §5.3-§5.4, the
// parts a download manager needs: no third-party or SameSite policy, no persistence).
// Pure logic on the task's loop: no I/O, no locks, the caller passes the clock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/codec/Url.h"
#include "engine/http/ResponseHead.h"

namespace tributary::http {

struct Cookie {
  std::string name;
  std::string value;
  std::string domain;  // the request host when hostOnly, else the Domain attribute
  std::string path;
  std::optional<std::int64_t> expiresUnix;  // nullopt: a session cookie, kept until clear()
  bool hostOnly = true;
  bool secure = false;
  bool httpOnly = false;
  std::int64_t creationUnix = 0;
  // Orders cookies created within the same second; kept by a replacement (§5.3 step 11).
  std::uint64_t creationOrder = 0;

  bool expired(std::int64_t nowUnix) const noexcept {
    return expiresUnix && *expiresUnix <= nowUnix;
  }
};

struct CookieJarLimits {
  std::size_t maxPerDomain = 50;  // RFC 6265 §6.1 asks for at least 50 and 3000
  std::size_t maxTotal = 3000;
  std::size_t maxNameValueBytes = 4096;  // a larger cookie is ignored, as browsers do
  std::size_t maxSetCookieBytes = 8192;  // the whole field, attributes included
};

class CookieJar {
 public:
  explicit CookieJar(CookieJarLimits limits = {}) : limits_(limits) {}

  // Takes every Set-Cookie field of a response to requestUrl. Cookies that break a
  // rule (foreign Domain, oversized, control characters...) are dropped silently.
  void store(const codec::Url& requestUrl, const ResponseHead& head, std::int64_t nowUnix);
  // One Set-Cookie field value. True when it was accepted: stored, replacing an older
  // one, or, being already expired, deleting one.
  bool storeSetCookie(const codec::Url& requestUrl, std::string_view setCookie,
                      std::int64_t nowUnix);

  // The Cookie field value for a request to url ("a=b; c=d"), longer paths first, then
  // older cookies first (§5.4 step 2); empty when no cookie applies.
  std::string header(const codec::Url& url, std::int64_t nowUnix) const;

  const std::vector<Cookie>& cookies() const noexcept { return cookies_; }
  std::size_t size() const noexcept { return cookies_.size(); }
  void clear() noexcept { cookies_.clear(); }

 private:
  void evictOverLimits(const std::string& domain, std::int64_t nowUnix);

  CookieJarLimits limits_;
  std::vector<Cookie> cookies_;
  std::uint64_t nextCreationOrder_ = 0;
};

// RFC 6265 §5.1.1: the forgiving cookie-date parser ("Wed, 09 Jun 2021 10:18:14 GMT",
// "Wednesday, 09-Jun-21 10:18:14 GMT", "Wed Jun  9 10:18:14 2021"...). Seconds since
// 1970 UTC, or nullopt for a date the algorithm refuses (then Expires is ignored).
std::optional<std::int64_t> parseCookieDate(std::string_view text);

// §5.1.3: host equals domain, or ends with "." + domain and is not an IP literal.
bool cookieDomainMatches(std::string_view host, std::string_view domain);
// §5.1.4: the directory of the request path: "/a/b/c" -> "/a/b", "/a" -> "/".
std::string defaultCookiePath(std::string_view requestPath);
// §5.1.4: cookiePath is requestPath or a '/'-bounded prefix of it.
bool cookiePathMatches(std::string_view requestPath, std::string_view cookiePath);

}  // namespace tributary::http
