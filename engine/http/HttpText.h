// Internal: the character classes and list syntax of RFC 9110 §5.6 shared by the
// HTTP parsers. Header-only and allocation-free.
#pragma once

#include <cstddef>
#include <string_view>

namespace tributary::http {

inline char asciiLower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (asciiLower(a[i]) != asciiLower(b[i])) {
      return false;
    }
  }
  return true;
}

inline bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) noexcept {
  return text.size() >= prefix.size() && equalsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

// RFC 9110 §5.6.2 tchar: the characters of a token (field names, codings, parameters).
inline bool isTokenChar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

inline bool isToken(std::string_view s) noexcept {
  if (s.empty()) {
    return false;
  }
  for (const char c : s) {
    if (!isTokenChar(c)) {
      return false;
    }
  }
  return true;
}

inline bool isOws(char c) noexcept {
  return c == ' ' || c == '\t';
}

inline bool isDigit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// RFC 9110 §5.5 field-value octets: HTAB, SP, VCHAR, obs-text. Everything else (NUL,
// CR, LF, other controls, DEL) is refused: they are how response splitting starts.
inline bool isFieldValueChar(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u == '\t' || (u >= 0x20 && u != 0x7F);
}

inline std::string_view trimOws(std::string_view s) noexcept {
  while (!s.empty() && isOws(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && isOws(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// Calls f(element) for each non-empty element of a #list (§5.6.1), trimmed. Quoted
// commas are not special-cased: the lists this is used for (Connection,
// Transfer-Encoding, Content-Length, Accept-Ranges) hold tokens and numbers only.
template <class F>
void forEachListElement(std::string_view list, F&& f) {
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trimOws(list.substr(0, comma));
    if (!element.empty()) {
      f(element);
    }
    if (comma == std::string_view::npos) {
      return;
    }
    list.remove_prefix(comma + 1);
  }
}

}  // namespace tributary::http
