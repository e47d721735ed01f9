// Internal: bencode (BEP 3), the encoding of .torrent files, tracker responses,
// the extension protocol and DHT messages. The decoder is strict and bounded
// (libtorrent's bdecode is the model): it never recurses deeper than the limit,
// never makes more tokens than the limit, never trusts a length before checking
// it against the remaining input, and returns an error code with a byte offset.
//
// A decoded document is a flat token array over the caller's bytes: strings are
// string_views into the input (no copies) and every value knows its exact byte
// span, which is what the info-hash is computed over. The encoder is in
// BencodeNode.h (included below), so this header is the one to include.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/api/Error.h"

namespace tributary::codec {

enum class BencodeError : std::uint8_t {
  Ok = 0,
  UnexpectedEnd,       // the input stops inside a value
  UnexpectedByte,      // a byte that cannot start or continue a value here
  EmptyInteger,        // "ie" or "i-e"
  LeadingZero,         // "i03e", "i-03e", "03:abc"
  NegativeZero,        // "i-0e"
  IntegerOverflow,     // outside the signed 64-bit range
  StringTooLong,       // a string length beyond the end of the input
  NonStringKey,        // a dictionary key that is not a string
  MissingValue,        // a dictionary key followed by 'e'
  DuplicateKey,        // always rejected
  UnsortedKeys,        // rejected only when BencodeLimits::rejectUnsortedKeys
  DepthExceeded,       // more nested lists/dictionaries than maxDepth
  TokenLimitExceeded,  // more values than maxTokens
  TrailingData,        // bytes after the root value (unless allowTrailingData)
  InputTooLarge,       // offsets are 32-bit: 4 GiB and more is refused
};

// A stable name ("leading_zero") for logs and Error details.
std::string_view bencodeErrorName(BencodeError code) noexcept;

struct BencodeParseError {
  BencodeError code = BencodeError::Ok;
  std::size_t offset = 0;  // where in the input the problem was found

  // "leading zero in a number at offset 3": for logs and Error details.
  std::string message() const;
};

struct BencodeLimits {
  std::size_t maxDepth = 100;
  std::size_t maxTokens = 2'000'000;
  // Real-world .torrent files often have unsorted top-level keys, so by default
  // unsorted dictionaries are only flagged (BencodeValue::keysSorted); a caller
  // that must be strict everywhere sets this.
  bool rejectUnsortedKeys = false;
  // BEP 9 metadata messages carry raw bytes after the dictionary; with this set,
  // the root's raw() tells where it ended.
  bool allowTrailingData = false;
};

namespace detail {

struct BencodeToken {
  std::uint32_t start = 0;  // first byte of the value's encoding
  std::uint32_t end = 0;    // one past its last byte
  // string: length of the "<len>:" header; list/dict: index one past the last
  // token of the subtree (so siblings are reached without walking children).
  std::uint32_t aux = 0;
  std::uint32_t count = 0;  // list: items; dict: key/value pairs
  std::uint8_t type = 0;    // BencodeValue::Type
  bool sorted = true;       // dict: keys strictly ascending
};

}  // namespace detail

class BencodeEntryIterator;
class BencodeItemIterator;

// A cheap handle on one decoded value (two pointers and an index). It stays valid
// while its BencodeDocument lives, even if the document is moved; a default or
// "not found" handle has type None and answers every query with empty/nullopt.
class BencodeValue {
 public:
  enum class Type : std::uint8_t { None, Integer, String, List, Dict };

  BencodeValue() = default;

  Type type() const noexcept;
  explicit operator bool() const noexcept { return type() != Type::None; }
  bool isInteger() const noexcept { return type() == Type::Integer; }
  bool isString() const noexcept { return type() == Type::String; }
  bool isList() const noexcept { return type() == Type::List; }
  bool isDict() const noexcept { return type() == Type::Dict; }

  // Typed getters: nullopt when the value is of another type.
  std::optional<std::int64_t> asInteger() const noexcept;
  std::optional<std::string_view> asString() const noexcept;

  // The exact encoded bytes of the value (for a dict: from 'd' to its 'e').
  std::string_view raw() const noexcept;
  std::size_t offset() const noexcept;  // of raw() in the input

  // Lists: items; dictionaries: key/value pairs; 0 otherwise.
  std::size_t size() const noexcept;

  // Lists. item(i) walks i siblings (O(i)); iterate with items() for all of them.
  BencodeValue item(std::size_t index) const noexcept;
  struct ItemRange;
  ItemRange items() const noexcept;

  // Dictionaries. find() scans the pairs (O(size)); None when absent or not a dict.
  BencodeValue find(std::string_view key) const noexcept;
  std::optional<std::int64_t> findInteger(std::string_view key) const noexcept;
  std::optional<std::string_view> findString(std::string_view key) const noexcept;
  BencodeValue findList(std::string_view key) const noexcept;  // None unless a list
  BencodeValue findDict(std::string_view key) const noexcept;  // None unless a dict
  struct EntryRange;
  EntryRange entries() const noexcept;

  // Dictionaries: whether the keys are in strictly ascending raw-byte order.
  bool keysSorted() const noexcept;
  // The first dictionary in this value's subtree (itself included) whose keys are
  // not sorted; None when every one is. The metainfo uses it on the info dict.
  BencodeValue firstUnsortedDict() const noexcept;

 private:
  friend class BencodeDocument;
  friend class BencodeItemIterator;
  friend class BencodeEntryIterator;
  BencodeValue(const detail::BencodeToken* tokens, const char* input, std::uint32_t index) noexcept
      : tokens_(tokens), input_(input), index_(index) {}
  const detail::BencodeToken& token() const noexcept { return tokens_[index_]; }
  std::uint32_t nextSibling() const noexcept;

  const detail::BencodeToken* tokens_ = nullptr;
  const char* input_ = nullptr;
  std::uint32_t index_ = 0;
};

struct BencodeEntry {
  std::string_view key;
  std::size_t keyOffset = 0;  // of the key's encoding in the input
  BencodeValue value;
};

class BencodeItemIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = BencodeValue;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = BencodeValue;

  BencodeItemIterator() = default;
  BencodeValue operator*() const noexcept { return current_; }
  BencodeItemIterator& operator++() noexcept;
  BencodeItemIterator operator++(int) noexcept;
  bool operator==(const BencodeItemIterator& other) const noexcept {
    return current_.index_ == other.current_.index_;
  }

 private:
  friend class BencodeValue;
  explicit BencodeItemIterator(BencodeValue at) noexcept : current_(at) {}
  BencodeValue current_;
};

class BencodeEntryIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = BencodeEntry;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = BencodeEntry;

  BencodeEntryIterator() = default;
  BencodeEntry operator*() const noexcept;
  BencodeEntryIterator& operator++() noexcept;
  BencodeEntryIterator operator++(int) noexcept;
  bool operator==(const BencodeEntryIterator& other) const noexcept {
    return key_.index_ == other.key_.index_;
  }

 private:
  friend class BencodeValue;
  explicit BencodeEntryIterator(BencodeValue key) noexcept : key_(key) {}
  BencodeValue key_;  // the key token; its value is the next token
};

struct BencodeValue::ItemRange {
  BencodeItemIterator first;
  BencodeItemIterator last;
  BencodeItemIterator begin() const noexcept { return first; }
  BencodeItemIterator end() const noexcept { return last; }
};

struct BencodeValue::EntryRange {
  BencodeEntryIterator first;
  BencodeEntryIterator last;
  BencodeEntryIterator begin() const noexcept { return first; }
  BencodeEntryIterator end() const noexcept { return last; }
};

// The result of a decode: the tokens, and the input they point into. By default
// the caller keeps the input alive; decodeBencodeOwned() moves it in instead.
// Moving a document keeps every BencodeValue taken from it valid.
class BencodeDocument {
 public:
  BencodeDocument() = default;

  BencodeValue root() const noexcept;  // None for a default-constructed document
  std::string_view input() const noexcept { return input_; }
  std::size_t tokenCount() const noexcept { return tokens_.size(); }

 private:
  friend class BencodeDecoder;
  std::vector<detail::BencodeToken> tokens_;
  std::string_view input_;
  std::unique_ptr<const std::string> owned_;  // a pointer, so moves keep its address
};

// Decodes exactly one value from `input` (which must outlive the document).
std::optional<BencodeDocument> decodeBencode(std::string_view input, BencodeParseError& error,
                                             const BencodeLimits& limits = {});
// The same with a ProtocolError carrying the message ("bencode: ... at offset N").
Result<BencodeDocument> decodeBencode(std::string_view input, const BencodeLimits& limits = {});
// For a caller that does not keep the buffer: the document owns it.
std::optional<BencodeDocument> decodeBencodeOwned(std::string input, BencodeParseError& error,
                                                  const BencodeLimits& limits = {});

}  // namespace tributary::codec

#include "engine/codec/BencodeNode.h"  // IWYU pragma: export
