// Helpers shared by the cookie jar tests.
#pragma once

#include <QtTest>

#include <string>
#include <string_view>

#include "engine/codec/Url.h"
#include "engine/http/CookieJar.h"

namespace cookietest {

inline tributary::codec::Url url(std::string_view text) {
  tributary::codec::UrlParseError error;
  const std::optional<tributary::codec::Url> parsed = tributary::codec::parseUrl(text, error);
  if (!parsed) {
    qFatal("test URL did not parse: %s", std::string(text).c_str());
  }
  return *parsed;
}

// The Cookie line the jar would send to `to` at `now`.
inline std::string sent(const tributary::http::CookieJar& jar, std::string_view to,
                        std::int64_t now = 1000) {
  return jar.header(url(to), now);
}

inline bool set(tributary::http::CookieJar& jar, std::string_view from, std::string_view cookie,
                std::int64_t now = 1000) {
  return jar.storeSetCookie(url(from), cookie, now);
}

}  // namespace cookietest
