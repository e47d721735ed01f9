// decodeBencode on any bytes: no crash, every span inside the input, and what
// decodes re-encodes canonically: a strict (sorted) input comes back byte for byte.
#include <cstdint>
#include <string_view>

#include "engine/codec/Bencode.h"

using namespace tributary::codec;

namespace {

void walk(const BencodeValue& value, std::string_view input, int depth) {
  const std::string_view raw = value.raw();
  if (raw.data() < input.data() || raw.data() + raw.size() > input.data() + input.size() ||
      depth > 100) {
    __builtin_trap();
  }
  for (const BencodeValue item : value.items()) {
    walk(item, input, depth + 1);
  }
  for (const BencodeEntry& entry : value.entries()) {
    // Keys are unique, so find() lands on this very entry (checked on small
    // dictionaries only: it is quadratic).
    if (value.size() < 64 && value.find(entry.key).offset() != entry.value.offset()) {
      __builtin_trap();
    }
    walk(entry.value, input, depth + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  BencodeParseError error;
  BencodeLimits limits;
  limits.maxTokens = 100'000;
  const auto document = decodeBencode(input, error, limits);
  if (!document) {
    if (error.offset > size) {
      __builtin_trap();
    }
    return 0;
  }
  walk(document->root(), input, 0);
  const std::string encoded = BencodeNode::fromValue(document->root()).encode();
  BencodeLimits strict = limits;
  strict.rejectUnsortedKeys = true;
  if (!decodeBencode(encoded, error, strict)) {
    __builtin_trap();
  }
  const bool sorted = !document->root().firstUnsortedDict();
  if (sorted != (encoded == input)) {
    __builtin_trap();
  }
  return 0;
}
