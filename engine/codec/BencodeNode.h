// Internal: building bencoded values and writing them in canonical form (BEP 3:
// integers without leading zeros, dictionary keys as byte strings in ascending
// raw-byte order, no duplicates), for the extension handshake, DHT and tracker
// messages and `create`. Include "engine/codec/Bencode.h", which includes this.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tributary::codec {

class BencodeValue;

// An owning bencode value. Dictionaries keep their entries sorted by key, so
// encode() is always canonical whatever the order of set() calls.
class BencodeNode {
 public:
  enum class Type : std::uint8_t { Integer, String, List, Dict, PreEncoded };
  struct Entry;

  // The constructors are defined below Entry: a vector<Entry> member needs the
  // complete type wherever a constructor is (clang checks it in the class body).
  BencodeNode();  // an empty dictionary, the usual root of a message
  template <std::integral T>
  requires(!std::same_as<T, bool>) BencodeNode(T value);  // NOLINT: implicit, set("port", 6881)
  BencodeNode(std::string text);                          // NOLINT
  BencodeNode(std::string_view text);                     // NOLINT
  BencodeNode(const char* text);                          // NOLINT

  static BencodeNode makeList();
  static BencodeNode makeDict();
  // Bytes written verbatim by encode(): an info dictionary kept byte-exact so its
  // hash does not change (BEP 9 metadata into a .torrent). The caller vouches
  // that they are one valid bencoded value.
  static BencodeNode preEncoded(std::string bytes);
  // A deep copy of a decoded value (None becomes an empty dictionary).
  static BencodeNode fromValue(const BencodeValue& value);

  Type type() const noexcept { return type_; }
  bool isInteger() const noexcept { return type_ == Type::Integer; }
  bool isString() const noexcept { return type_ == Type::String; }
  bool isList() const noexcept { return type_ == Type::List; }
  bool isDict() const noexcept { return type_ == Type::Dict; }

  std::int64_t integer() const noexcept { return integer_; }     // 0 unless an integer
  const std::string& string() const noexcept { return bytes_; }  // string or pre-encoded bytes

  // Lists (a node of another type becomes an empty list first).
  BencodeNode& push(BencodeNode value);  // returns the stored item
  const std::vector<BencodeNode>& items() const noexcept { return items_; }

  // Dictionaries (a node of another type becomes an empty dictionary first).
  BencodeNode& set(std::string_view key, BencodeNode value);  // insert or replace
  BencodeNode& operator[](std::string_view key);  // inserts an empty dictionary if absent
  const BencodeNode* find(std::string_view key) const noexcept;
  bool erase(std::string_view key);
  const std::vector<Entry>& entries() const noexcept { return entries_; }  // sorted by key

  std::size_t size() const noexcept;  // list items or dictionary entries

  std::string encode() const;
  void encodeTo(std::string& out) const;

  friend bool operator==(const BencodeNode& a, const BencodeNode& b);

 private:
  void becomeList();
  void becomeDict();

  Type type_ = Type::Dict;
  std::int64_t integer_ = 0;
  std::string bytes_;
  std::vector<BencodeNode> items_;
  std::vector<Entry> entries_;
};

struct BencodeNode::Entry {
  std::string key;
  BencodeNode value;
};

inline BencodeNode::BencodeNode() = default;
template <std::integral T>
requires(!std::same_as<T, bool>) inline BencodeNode::BencodeNode(T value)
    : type_(Type::Integer), integer_(static_cast<std::int64_t>(value)) {}
inline BencodeNode::BencodeNode(std::string text) : type_(Type::String), bytes_(std::move(text)) {}
inline BencodeNode::BencodeNode(std::string_view text) : type_(Type::String), bytes_(text) {}
inline BencodeNode::BencodeNode(const char* text) : type_(Type::String), bytes_(text) {}

// The building blocks of encode(), for writers that stream.
void appendBencodeInteger(std::string& out, std::int64_t value);
void appendBencodeString(std::string& out, std::string_view text);

}  // namespace tributary::codec
