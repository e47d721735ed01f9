// The decoder is a loop over an explicit stack of open containers rather than a
// recursion, so a hostile nesting can only ever cost maxDepth small frames.
#include <algorithm>
#include <limits>

#include "engine/codec/Bencode.h"

namespace tributary::codec {

namespace {

using Token = detail::BencodeToken;
using Type = BencodeValue::Type;

constexpr std::uint32_t kNoToken = std::numeric_limits<std::uint32_t>::max();

bool isDigit(char c) noexcept {
  return c >= '0' && c <= '9';
}

}  // namespace

class BencodeDecoder {
 public:
  BencodeDecoder(std::string_view input, const BencodeLimits& limits, std::vector<Token>& tokens)
      : in_(input), limits_(limits), tokens_(tokens) {}

  bool run(BencodeParseError& error) {
    error_ = &error;
    error = {};
    if (in_.size() >= std::numeric_limits<std::uint32_t>::max()) {
      return fail(BencodeError::InputTooLarge, 0);
    }
    do {
      if (pos_ >= in_.size()) {
        return fail(BencodeError::UnexpectedEnd, pos_);
      }
      const char c = in_[pos_];
      if (!stack_.empty() && c == 'e') {
        if (!closeContainer()) {
          return false;
        }
        continue;
      }
      if (!stack_.empty() && stack_.back().dict && stack_.back().expectKey && !isDigit(c)) {
        return fail(BencodeError::NonStringKey, pos_);
      }
      if (tokens_.size() >= limits_.maxTokens) {
        return fail(BencodeError::TokenLimitExceeded, pos_);
      }
      bool ok = false;
      if (c == 'i') {
        ok = parseInteger();
      } else if (isDigit(c)) {
        ok = parseString();
      } else if (c == 'l' || c == 'd') {
        ok = openContainer(c == 'd' ? Type::Dict : Type::List);
      } else {
        return fail(BencodeError::UnexpectedByte, pos_);
      }
      if (!ok) {
        return false;
      }
    } while (!stack_.empty());
    if (pos_ != in_.size() && !limits_.allowTrailingData) {
      return fail(BencodeError::TrailingData, pos_);
    }
    return true;
  }

  static void adopt(BencodeDocument& document, std::vector<Token> tokens, std::string_view input,
                    std::unique_ptr<const std::string> owned) {
    document.tokens_ = std::move(tokens);
    document.input_ = input;
    document.owned_ = std::move(owned);
  }

 private:
  struct Frame {
    std::uint32_t token = 0;
    std::uint32_t lastKey = kNoToken;
    bool dict = false;
    bool expectKey = true;
  };

  bool fail(BencodeError code, std::size_t offset) {
    *error_ = {code, offset};
    return false;
  }

  std::uint32_t push(Type type, std::size_t start, std::size_t end, std::uint32_t aux) {
    Token token;
    token.start = static_cast<std::uint32_t>(start);
    token.end = static_cast<std::uint32_t>(end);
    token.aux = aux;
    token.type = static_cast<std::uint8_t>(type);
    tokens_.push_back(token);
    return static_cast<std::uint32_t>(tokens_.size() - 1);
  }

  bool parseInteger() {
    const std::size_t start = pos_++;
    const bool negative = pos_ < in_.size() && in_[pos_] == '-';
    if (negative) {
      ++pos_;
    }
    if (pos_ >= in_.size()) {
      return fail(BencodeError::UnexpectedEnd, pos_);
    }
    if (in_[pos_] == 'e') {
      return fail(BencodeError::EmptyInteger, start);
    }
    if (!isDigit(in_[pos_])) {
      return fail(BencodeError::UnexpectedByte, pos_);
    }
    if (in_[pos_] == '0' && pos_ + 1 < in_.size() && isDigit(in_[pos_ + 1])) {
      return fail(BencodeError::LeadingZero, pos_);
    }
    if (negative && in_[pos_] == '0') {
      return fail(BencodeError::NegativeZero, start);
    }
    // The magnitude of INT64_MIN is one more than INT64_MAX.
    const std::uint64_t limit =
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
    std::uint64_t magnitude = 0;
    while (pos_ < in_.size() && isDigit(in_[pos_])) {
      const auto digit = static_cast<std::uint64_t>(in_[pos_] - '0');
      if (magnitude > (limit - digit) / 10) {
        return fail(BencodeError::IntegerOverflow, start);
      }
      magnitude = magnitude * 10 + digit;
      ++pos_;
    }
    if (pos_ >= in_.size()) {
      return fail(BencodeError::UnexpectedEnd, pos_);
    }
    if (in_[pos_] != 'e') {
      return fail(BencodeError::UnexpectedByte, pos_);
    }
    ++pos_;
    return completed(push(Type::Integer, start, pos_, 0));
  }

  bool parseString() {
    const std::size_t start = pos_;
    if (in_[pos_] == '0' && pos_ + 1 < in_.size() && isDigit(in_[pos_ + 1])) {
      return fail(BencodeError::LeadingZero, start);
    }
    std::uint64_t length = 0;
    while (pos_ < in_.size() && isDigit(in_[pos_])) {
      length = length * 10 + static_cast<std::uint64_t>(in_[pos_] - '0');
      // Stop before the product can overflow: no length past the input can fit.
      if (length > in_.size()) {
        return fail(BencodeError::StringTooLong, start);
      }
      ++pos_;
    }
    if (pos_ >= in_.size()) {
      return fail(BencodeError::UnexpectedEnd, pos_);
    }
    if (in_[pos_] != ':') {
      return fail(BencodeError::UnexpectedByte, pos_);
    }
    ++pos_;
    if (length > in_.size() - pos_) {
      return fail(BencodeError::StringTooLong, start);
    }
    const auto header = static_cast<std::uint32_t>(pos_ - start);
    pos_ += static_cast<std::size_t>(length);
    return completed(push(Type::String, start, pos_, header));
  }

  bool openContainer(Type type) {
    if (stack_.size() >= limits_.maxDepth) {
      return fail(BencodeError::DepthExceeded, pos_);
    }
    Frame frame;
    frame.token = push(type, pos_, pos_, 0);
    frame.dict = type == Type::Dict;
    stack_.push_back(frame);
    ++pos_;
    return true;
  }

  bool closeContainer() {
    const Frame frame = stack_.back();
    if (frame.dict && !frame.expectKey) {
      return fail(BencodeError::MissingValue, pos_);
    }
    ++pos_;
    Token& token = tokens_[frame.token];
    token.end = static_cast<std::uint32_t>(pos_);
    token.aux = static_cast<std::uint32_t>(tokens_.size());
    if (frame.dict && !token.sorted && !checkDuplicates(frame.token)) {
      return false;
    }
    stack_.pop_back();
    return completed(frame.token);
  }

  std::string_view keyOf(std::uint32_t index) const {
    const Token& token = tokens_[index];
    return in_.substr(token.start + token.aux, token.end - token.start - token.aux);
  }

  // Book-keeping in the parent once a value is complete: counts, and key order.
  bool completed(std::uint32_t index) {
    if (stack_.empty()) {
      return true;
    }
    Frame& frame = stack_.back();
    Token& parent = tokens_[frame.token];
    if (!frame.dict) {
      ++parent.count;
      return true;
    }
    if (!frame.expectKey) {
      ++parent.count;
      frame.expectKey = true;
      return true;
    }
    if (frame.lastKey != kNoToken) {
      const int order = keyOf(index).compare(keyOf(frame.lastKey));
      if (order == 0) {
        return fail(BencodeError::DuplicateKey, tokens_[index].start);
      }
      if (order < 0) {
        if (limits_.rejectUnsortedKeys) {
          return fail(BencodeError::UnsortedKeys, tokens_[index].start);
        }
        parent.sorted = false;
      }
    }
    frame.lastKey = index;
    frame.expectKey = false;
    return true;
  }

  // An unsorted dictionary can hide a duplicate anywhere, not just next to its
  // twin: sort its keys once (O(n log n), only for the rare unsorted ones).
  bool checkDuplicates(std::uint32_t dict) {
    keys_.clear();
    const Token& token = tokens_[dict];
    std::uint32_t index = dict + 1;
    while (index < token.aux) {
      keys_.push_back(index);
      const Token& value = tokens_[index + 1];
      const auto valueType = static_cast<Type>(value.type);
      index = (valueType == Type::List || valueType == Type::Dict) ? value.aux : index + 2;
    }
    std::sort(keys_.begin(), keys_.end(), [this](std::uint32_t a, std::uint32_t b) {
      const int order = keyOf(a).compare(keyOf(b));
      return order != 0 ? order < 0 : a < b;
    });
    for (std::size_t i = 1; i < keys_.size(); ++i) {
      if (keyOf(keys_[i]) == keyOf(keys_[i - 1])) {
        return fail(BencodeError::DuplicateKey, tokens_[keys_[i]].start);
      }
    }
    return true;
  }

  std::string_view in_;
  const BencodeLimits& limits_;
  std::vector<Token>& tokens_;
  BencodeParseError* error_ = nullptr;
  std::size_t pos_ = 0;
  std::vector<Frame> stack_;
  std::vector<std::uint32_t> keys_;
};

namespace {

std::optional<BencodeDocument> decodeInto(std::string_view input, BencodeParseError& error,
                                          const BencodeLimits& limits,
                                          std::unique_ptr<const std::string> owned) {
  // No reserve from the input size: a large .torrent is mostly one long string
  // (the piece hashes), so growth on demand is what keeps memory near the need.
  std::vector<Token> tokens;
  BencodeDecoder decoder(input, limits, tokens);
  if (!decoder.run(error)) {
    return std::nullopt;
  }
  BencodeDocument document;
  BencodeDecoder::adopt(document, std::move(tokens), input, std::move(owned));
  return document;
}

}  // namespace

std::optional<BencodeDocument> decodeBencode(std::string_view input, BencodeParseError& error,
                                             const BencodeLimits& limits) {
  return decodeInto(input, error, limits, nullptr);
}

Result<BencodeDocument> decodeBencode(std::string_view input, const BencodeLimits& limits) {
  BencodeParseError error;
  std::optional<BencodeDocument> document = decodeBencode(input, error, limits);
  if (!document) {
    return Error{ErrorCode::ProtocolError, "bencode: " + error.message()};
  }
  return std::move(*document);
}

std::optional<BencodeDocument> decodeBencodeOwned(std::string input, BencodeParseError& error,
                                                  const BencodeLimits& limits) {
  auto owned = std::make_unique<const std::string>(std::move(input));
  const std::string_view view(*owned);
  return decodeInto(view, error, limits, std::move(owned));
}

}  // namespace tributary::codec
