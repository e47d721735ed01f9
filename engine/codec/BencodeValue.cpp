// Queries on the flat token array. Every token was validated by the decoder, so
// these only guard against a None handle or the wrong type, never bad bytes.
#include "engine/codec/Bencode.h"

namespace tributary::codec {

BencodeValue::Type BencodeValue::type() const noexcept {
  return tokens_ == nullptr ? Type::None : static_cast<Type>(token().type);
}

std::optional<std::int64_t> BencodeValue::asInteger() const noexcept {
  if (!isInteger()) {
    return std::nullopt;
  }
  const detail::BencodeToken& t = token();
  std::size_t pos = t.start + 1;
  const bool negative = input_[pos] == '-';
  if (negative) {
    ++pos;
  }
  // The decoder checked the range, so the magnitude fits in 64 unsigned bits.
  std::uint64_t magnitude = 0;
  for (; pos + 1 < t.end; ++pos) {
    magnitude = magnitude * 10 + static_cast<std::uint64_t>(input_[pos] - '0');
  }
  return negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
}

std::optional<std::string_view> BencodeValue::asString() const noexcept {
  if (!isString()) {
    return std::nullopt;
  }
  const detail::BencodeToken& t = token();
  return std::string_view(input_ + t.start + t.aux, t.end - t.start - t.aux);
}

std::string_view BencodeValue::raw() const noexcept {
  if (tokens_ == nullptr) {
    return {};
  }
  return std::string_view(input_ + token().start, token().end - token().start);
}

std::size_t BencodeValue::offset() const noexcept {
  return tokens_ == nullptr ? 0 : token().start;
}

std::size_t BencodeValue::size() const noexcept {
  return isList() || isDict() ? token().count : 0;
}

std::uint32_t BencodeValue::nextSibling() const noexcept {
  return isList() || isDict() ? token().aux : index_ + 1;
}

BencodeValue BencodeValue::item(std::size_t index) const noexcept {
  if (!isList() || index >= token().count) {
    return {};
  }
  BencodeValue at(tokens_, input_, index_ + 1);
  for (std::size_t i = 0; i < index; ++i) {
    at.index_ = at.nextSibling();
  }
  return at;
}

BencodeValue::ItemRange BencodeValue::items() const noexcept {
  if (!isList()) {
    return {};
  }
  return {BencodeItemIterator({tokens_, input_, index_ + 1}),
          BencodeItemIterator({tokens_, input_, token().aux})};
}

BencodeValue::EntryRange BencodeValue::entries() const noexcept {
  if (!isDict()) {
    return {};
  }
  return {BencodeEntryIterator({tokens_, input_, index_ + 1}),
          BencodeEntryIterator({tokens_, input_, token().aux})};
}

BencodeValue BencodeValue::find(std::string_view key) const noexcept {
  for (const BencodeEntry& entry : entries()) {
    if (entry.key == key) {
      return entry.value;
    }
  }
  return {};
}

std::optional<std::int64_t> BencodeValue::findInteger(std::string_view key) const noexcept {
  return find(key).asInteger();
}

std::optional<std::string_view> BencodeValue::findString(std::string_view key) const noexcept {
  return find(key).asString();
}

BencodeValue BencodeValue::findList(std::string_view key) const noexcept {
  BencodeValue value = find(key);
  return value.isList() ? value : BencodeValue();
}

BencodeValue BencodeValue::findDict(std::string_view key) const noexcept {
  BencodeValue value = find(key);
  return value.isDict() ? value : BencodeValue();
}

bool BencodeValue::keysSorted() const noexcept {
  return isDict() && token().sorted;
}

BencodeValue BencodeValue::firstUnsortedDict() const noexcept {
  if (tokens_ == nullptr) {
    return {};
  }
  // A subtree is a contiguous run of tokens, so a linear scan visits every dict.
  for (std::uint32_t i = index_; i < nextSibling(); ++i) {
    const detail::BencodeToken& t = tokens_[i];
    if (static_cast<Type>(t.type) == Type::Dict && !t.sorted) {
      return {tokens_, input_, i};
    }
  }
  return {};
}

BencodeItemIterator& BencodeItemIterator::operator++() noexcept {
  current_.index_ = current_.nextSibling();
  return *this;
}

BencodeItemIterator BencodeItemIterator::operator++(int) noexcept {
  BencodeItemIterator before = *this;
  ++*this;
  return before;
}

BencodeEntry BencodeEntryIterator::operator*() const noexcept {
  const BencodeValue value(key_.tokens_, key_.input_, key_.index_ + 1);
  return {key_.asString().value_or(std::string_view()), key_.offset(), value};
}

BencodeEntryIterator& BencodeEntryIterator::operator++() noexcept {
  const BencodeValue value(key_.tokens_, key_.input_, key_.index_ + 1);
  key_.index_ = value.nextSibling();
  return *this;
}

BencodeEntryIterator BencodeEntryIterator::operator++(int) noexcept {
  BencodeEntryIterator before = *this;
  ++*this;
  return before;
}

BencodeValue BencodeDocument::root() const noexcept {
  if (tokens_.empty()) {
    return {};
  }
  return {tokens_.data(), input_.data(), 0};
}

}  // namespace tributary::codec
