#include "engine/http/CookieJar.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

#include "engine/codec/IpLiteral.h"
#include "engine/http/HttpText.h"
#include "engine/http/SetCookie.h"

namespace tributary::http {

namespace {

constexpr std::int64_t kExpiredLongAgo = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kNeverExpires = std::numeric_limits<std::int64_t>::max();

bool isIpLiteral(std::string_view host) {
  return codec::isIpv4Literal(host) || codec::isIpv6Literal(host);
}

// ---- cookie-date, RFC 6265 §5.1.1 ----

bool isDateDelimiter(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x09 || (u >= 0x20 && u <= 0x2F) || (u >= 0x3B && u <= 0x40) ||
         (u >= 0x5B && u <= 0x60) || (u >= 0x7B && u <= 0x7E);
}

// Reads minDigits..maxDigits digits at pos; the grammar then wants the end of the
// token or a non-digit ("1*2DIGIT ( non-digit *OCTET )").
bool readNumber(std::string_view token, std::size_t& pos, std::size_t minDigits,
                std::size_t maxDigits, int& value) {
  value = 0;
  std::size_t digits = 0;
  while (pos < token.size() && isDigit(token[pos]) && digits < maxDigits) {
    value = value * 10 + (token[pos] - '0');
    ++pos;
    ++digits;
  }
  return digits >= minDigits && (pos == token.size() || !isDigit(token[pos]));
}

bool matchTime(std::string_view token, int& hour, int& minute, int& second) {
  std::size_t pos = 0;
  if (!readNumber(token, pos, 1, 2, hour) || pos >= token.size() || token[pos++] != ':') {
    return false;
  }
  if (!readNumber(token, pos, 1, 2, minute) || pos >= token.size() || token[pos++] != ':') {
    return false;
  }
  return readNumber(token, pos, 1, 2, second);
}

bool matchNumberToken(std::string_view token, std::size_t minDigits, std::size_t maxDigits,
                      int& value) {
  std::size_t pos = 0;
  return readNumber(token, pos, minDigits, maxDigits, value);
}

bool matchMonth(std::string_view token, int& month) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() < 3) {
    return false;
  }
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (equalsIgnoreCase(token.substr(0, 3), kMonths[i])) {
      month = static_cast<int>(i) + 1;
      return true;
    }
  }
  return false;
}

bool isLeapYear(int year) noexcept {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(int year, int month) noexcept {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t year, int month, int day) noexcept {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t yearOfEra = year - era * 400;
  const std::int64_t dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

std::int64_t saturatingAdd(std::int64_t now, std::int64_t seconds) noexcept {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(now, seconds, &sum)) {
    return seconds > 0 ? kNeverExpires : kExpiredLongAgo;
  }
  return sum;
}

bool sameKey(const Cookie& a, const Cookie& b) noexcept {
  return a.name == b.name && a.domain == b.domain && a.path == b.path;
}

}  // namespace

std::optional<std::int64_t> parseCookieDate(std::string_view text) {
  std::optional<int> hour, minute, second, day, month, year;
  std::size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && isDateDelimiter(text[pos])) {
      ++pos;
    }
    const std::size_t start = pos;
    while (pos < text.size() && !isDateDelimiter(text[pos])) {
      ++pos;
    }
    const std::string_view token = text.substr(start, pos - start);
    if (token.empty()) {
      continue;
    }
    // Each token fills the first production it matches, in this order (§5.1.1 step 2).
    int h = 0, m = 0, s = 0, n = 0;
    if (!hour && matchTime(token, h, m, s)) {
      hour = h;
      minute = m;
      second = s;
    } else if (!day && matchNumberToken(token, 1, 2, n)) {
      day = n;
    } else if (!month && matchMonth(token, n)) {
      month = n;
    } else if (!year && matchNumberToken(token, 2, 4, n)) {
      year = n;
    }
  }
  if (!hour || !day || !month || !year) {
    return std::nullopt;
  }
  int y = *year;
  if (y >= 70 && y <= 99) {
    y += 1900;
  } else if (y >= 0 && y <= 69) {
    y += 2000;
  }
  if (*day < 1 || *day > 31 || y < 1601 || *hour > 23 || *minute > 59 || *second > 59 ||
      *day > daysInMonth(y, *month)) {
    return std::nullopt;
  }
  return daysFromCivil(y, *month, *day) * 86400 + *hour * 3600 + *minute * 60 + *second;
}

bool cookieDomainMatches(std::string_view host, std::string_view domain) {
  if (host == domain) {
    return true;
  }
  return !domain.empty() && host.size() > domain.size() && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.' && !isIpLiteral(host);
}

std::string defaultCookiePath(std::string_view requestPath) {
  if (!requestPath.starts_with('/')) {
    return "/";
  }
  const std::size_t lastSlash = requestPath.rfind('/');
  return lastSlash == 0 ? std::string("/") : std::string(requestPath.substr(0, lastSlash));
}

bool cookiePathMatches(std::string_view requestPath, std::string_view cookiePath) {
  if (!requestPath.starts_with(cookiePath)) {
    return false;
  }
  return requestPath.size() == cookiePath.size() || cookiePath.ends_with('/') ||
         requestPath[cookiePath.size()] == '/';
}

void CookieJar::store(const codec::Url& requestUrl, const ResponseHead& head,
                      std::int64_t nowUnix) {
  for (const std::string_view value : head.findAll("Set-Cookie")) {
    storeSetCookie(requestUrl, value, nowUnix);
  }
}

bool CookieJar::storeSetCookie(const codec::Url& requestUrl, std::string_view setCookie,
                               std::int64_t nowUnix) {
  std::optional<SetCookie> parsed = parseSetCookie(setCookie, limits_.maxSetCookieBytes);
  if (!parsed || parsed->name.size() + parsed->value.size() > limits_.maxNameValueBytes) {
    return false;
  }
  const std::string& host = requestUrl.host;
  Cookie cookie;
  cookie.name = std::move(parsed->name);
  cookie.value = std::move(parsed->value);
  cookie.secure = parsed->secure;
  cookie.httpOnly = parsed->httpOnly;

  // §5.3 step 3: Max-Age wins over Expires; an Expires we cannot read is ignored.
  if (parsed->maxAge) {
    cookie.expiresUnix =
        *parsed->maxAge <= 0 ? kExpiredLongAgo : saturatingAdd(nowUnix, *parsed->maxAge);
  } else if (parsed->expires) {
    cookie.expiresUnix = parseCookieDate(*parsed->expires);
  }

  cookie.domain = host;
  if (parsed->domain) {
    const std::string& domain = *parsed->domain;
    // Without a public-suffix list, a dotless Domain ("com", "localhost") stands in
    // for one; §5.3 step 5 still lets it name the request host itself, host-only.
    // An IP literal host only ever gets host-only cookies (§5.1.3).
    const bool suffixOrIp = domain.find('.') == std::string::npos || isIpLiteral(host);
    if (suffixOrIp) {
      if (domain != host) {
        return false;
      }
    } else if (!cookieDomainMatches(host, domain)) {
      return false;
    } else {
      cookie.hostOnly = false;
      cookie.domain = domain;
    }
  }
  cookie.path = parsed->path ? std::move(*parsed->path) : defaultCookiePath(requestUrl.path);

  if (cookie.secure && !requestUrl.isHttps()) {
    return false;
  }
  // RFC 6265bis §5.7 step 16: plain http must not shadow or overwrite a Secure cookie,
  // or a network attacker could plant values the https session then trusts.
  if (!requestUrl.isHttps()) {
    for (const Cookie& existing : cookies_) {
      if (existing.secure && existing.name == cookie.name &&
          (cookieDomainMatches(existing.domain, cookie.domain) ||
           cookieDomainMatches(cookie.domain, existing.domain)) &&
          cookiePathMatches(cookie.path, existing.path)) {
        return false;
      }
    }
  }

  const auto old = std::find_if(cookies_.begin(), cookies_.end(),
                                [&](const Cookie& c) { return sameKey(c, cookie); });
  if (cookie.expired(nowUnix)) {
    // An already-expired cookie is how a server deletes one (§5.3 step 11-12).
    if (old != cookies_.end()) {
      cookies_.erase(old);
    }
    return true;
  }
  if (old != cookies_.end()) {
    cookie.creationUnix = old->creationUnix;
    cookie.creationOrder = old->creationOrder;
    *old = std::move(cookie);
    return true;
  }
  cookie.creationUnix = nowUnix;
  cookie.creationOrder = nextCreationOrder_++;
  const std::string domain = cookie.domain;
  cookies_.push_back(std::move(cookie));
  evictOverLimits(domain, nowUnix);
  return true;
}

void CookieJar::evictOverLimits(const std::string& domain, std::int64_t nowUnix) {
  const auto inDomain = [&](const Cookie& c) { return c.domain == domain; };
  const bool overDomain = static_cast<std::size_t>(std::count_if(cookies_.begin(), cookies_.end(),
                                                                 inDomain)) > limits_.maxPerDomain;
  if (!overDomain && cookies_.size() <= limits_.maxTotal) {
    return;
  }
  // §5.3 step 12: expired cookies go first, then the oldest ones.
  std::erase_if(cookies_, [&](const Cookie& c) { return c.expired(nowUnix); });
  const auto olderFirst = [](const Cookie& a, const Cookie& b) {
    return a.creationOrder < b.creationOrder;
  };
  while (static_cast<std::size_t>(std::count_if(cookies_.begin(), cookies_.end(), inDomain)) >
         limits_.maxPerDomain) {
    auto oldest = cookies_.end();
    for (auto it = cookies_.begin(); it != cookies_.end(); ++it) {
      if (inDomain(*it) && (oldest == cookies_.end() || olderFirst(*it, *oldest))) {
        oldest = it;
      }
    }
    cookies_.erase(oldest);
  }
  while (cookies_.size() > limits_.maxTotal) {
    cookies_.erase(std::min_element(cookies_.begin(), cookies_.end(), olderFirst));
  }
}

std::string CookieJar::header(const codec::Url& url, std::int64_t nowUnix) const {
  std::vector<const Cookie*> chosen;
  for (const Cookie& c : cookies_) {
    const bool hostOk = c.hostOnly ? url.host == c.domain : cookieDomainMatches(url.host, c.domain);
    if (hostOk && !c.expired(nowUnix) && cookiePathMatches(url.path, c.path) &&
        (!c.secure || url.isHttps())) {
      chosen.push_back(&c);
    }
  }
  std::sort(chosen.begin(), chosen.end(), [](const Cookie* a, const Cookie* b) {
    if (a->path.size() != b->path.size()) {
      return a->path.size() > b->path.size();
    }
    return a->creationOrder < b->creationOrder;
  });
  std::string out;
  for (const Cookie* c : chosen) {
    if (!out.empty()) {
      out += "; ";
    }
    out += c->name;
    out += '=';
    out += c->value;
  }
  return out;
}

}  // namespace tributary::http
