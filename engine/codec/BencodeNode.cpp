#include "engine/codec/BencodeNode.h"

#include <algorithm>
#include <charconv>

#include "engine/codec/Bencode.h"

namespace tributary::codec {

namespace {

// std::string's ordering is char_traits<char>::compare, which compares bytes as
// unsigned: exactly BEP 3's "sorted as raw strings".
auto lowerBound(std::vector<BencodeNode::Entry>& entries, std::string_view key) {
  return std::lower_bound(
      entries.begin(), entries.end(), key,
      [](const BencodeNode::Entry& e, std::string_view k) { return e.key < k; });
}

}  // namespace

void appendBencodeInteger(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out += 'i';
  out.append(buffer, result.ptr);
  out += 'e';
}

void appendBencodeString(std::string& out, std::string_view text) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, text.size());
  out.append(buffer, result.ptr);
  out += ':';
  out.append(text);
}

BencodeNode BencodeNode::makeList() {
  BencodeNode node;
  node.type_ = Type::List;
  return node;
}

BencodeNode BencodeNode::makeDict() {
  return BencodeNode();
}

BencodeNode BencodeNode::preEncoded(std::string bytes) {
  BencodeNode node;
  node.type_ = Type::PreEncoded;
  node.bytes_ = std::move(bytes);
  return node;
}

BencodeNode BencodeNode::fromValue(const BencodeValue& value) {
  switch (value.type()) {
    case BencodeValue::Type::Integer:
      return BencodeNode(*value.asInteger());
    case BencodeValue::Type::String:
      return BencodeNode(*value.asString());
    case BencodeValue::Type::List: {
      BencodeNode node = makeList();
      node.items_.reserve(value.size());
      for (const BencodeValue item : value.items()) {
        node.items_.push_back(fromValue(item));
      }
      return node;
    }
    case BencodeValue::Type::Dict: {
      BencodeNode node;
      for (const BencodeEntry& entry : value.entries()) {
        node.set(entry.key, fromValue(entry.value));
      }
      return node;
    }
    case BencodeValue::Type::None:
      break;
  }
  return BencodeNode();
}

void BencodeNode::becomeList() {
  if (type_ != Type::List) {
    *this = makeList();
  }
}

void BencodeNode::becomeDict() {
  if (type_ != Type::Dict) {
    *this = makeDict();
  }
}

BencodeNode& BencodeNode::push(BencodeNode value) {
  becomeList();
  items_.push_back(std::move(value));
  return items_.back();
}

BencodeNode& BencodeNode::set(std::string_view key, BencodeNode value) {
  becomeDict();
  auto it = lowerBound(entries_, key);
  if (it != entries_.end() && it->key == key) {
    it->value = std::move(value);
  } else {
    it = entries_.insert(it, Entry{std::string(key), std::move(value)});
  }
  return it->value;
}

BencodeNode& BencodeNode::operator[](std::string_view key) {
  becomeDict();
  auto it = lowerBound(entries_, key);
  if (it == entries_.end() || it->key != key) {
    it = entries_.insert(it, Entry{std::string(key), BencodeNode()});
  }
  return it->value;
}

const BencodeNode* BencodeNode::find(std::string_view key) const noexcept {
  if (type_ != Type::Dict) {
    return nullptr;
  }
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                                   [](const Entry& e, std::string_view k) { return e.key < k; });
  return it != entries_.end() && it->key == key ? &it->value : nullptr;
}

bool BencodeNode::erase(std::string_view key) {
  if (type_ != Type::Dict) {
    return false;
  }
  const auto it = lowerBound(entries_, key);
  if (it == entries_.end() || it->key != key) {
    return false;
  }
  entries_.erase(it);
  return true;
}

std::size_t BencodeNode::size() const noexcept {
  switch (type_) {
    case Type::List:
      return items_.size();
    case Type::Dict:
      return entries_.size();
    default:
      return 0;
  }
}

std::string BencodeNode::encode() const {
  std::string out;
  encodeTo(out);
  return out;
}

void BencodeNode::encodeTo(std::string& out) const {
  switch (type_) {
    case Type::Integer:
      appendBencodeInteger(out, integer_);
      return;
    case Type::String:
      appendBencodeString(out, bytes_);
      return;
    case Type::PreEncoded:
      out += bytes_;
      return;
    case Type::List:
      out += 'l';
      for (const BencodeNode& item : items_) {
        item.encodeTo(out);
      }
      out += 'e';
      return;
    case Type::Dict:
      out += 'd';
      for (const Entry& entry : entries_) {
        appendBencodeString(out, entry.key);
        entry.value.encodeTo(out);
      }
      out += 'e';
      return;
  }
}

bool operator==(const BencodeNode& a, const BencodeNode& b) {
  if (a.type_ != b.type_) {
    return false;
  }
  switch (a.type_) {
    case BencodeNode::Type::Integer:
      return a.integer_ == b.integer_;
    case BencodeNode::Type::String:
    case BencodeNode::Type::PreEncoded:
      return a.bytes_ == b.bytes_;
    case BencodeNode::Type::List:
      return a.items_ == b.items_;
    case BencodeNode::Type::Dict:
      return std::equal(a.entries_.begin(), a.entries_.end(), b.entries_.begin(), b.entries_.end(),
                        [](const BencodeNode::Entry& x, const BencodeNode::Entry& y) {
                          return x.key == y.key && x.value == y.value;
                        });
  }
  return false;
}

}  // namespace tributary::codec
