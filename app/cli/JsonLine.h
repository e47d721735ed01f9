// Builds one JSON object on one line for `get --json`. Keys are ours; string
// values may be anything (torrent names, URLs) and always come out as valid,
// escaped UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tributary::cli {

class JsonLine {
 public:
  // Distinct names, not overloads: a string literal would pick a bool overload.
  JsonLine& string(std::string_view key, std::string_view value);
  JsonLine& number(std::string_view key, std::uint64_t value);
  JsonLine& boolean(std::string_view key, bool value);
  JsonLine& null(std::string_view key);
  // `json` is already serialized (a nested object or array, a formatted number).
  JsonLine& raw(std::string_view key, std::string_view json);

  // The object, without a trailing newline.
  std::string str() const { return text_ + "}"; }

 private:
  void key(std::string_view name);
  std::string text_ = "{";
};

// A JSON string literal, quotes included. Control characters are escaped and
// bytes that are not valid UTF-8 become U+FFFD, so strict parsers accept it.
std::string jsonString(std::string_view text);

}  // namespace tributary::cli
