// Names and messages of bencode errors: names for logs and details, text for people.
#include "engine/codec/Bencode.h"

namespace tributary::codec {

namespace {

std::string_view errorText(BencodeError code) noexcept {
  switch (code) {
    case BencodeError::Ok:
      return "no error";
    case BencodeError::UnexpectedEnd:
      return "input ends inside a value";
    case BencodeError::UnexpectedByte:
      return "unexpected byte";
    case BencodeError::EmptyInteger:
      return "integer without digits";
    case BencodeError::LeadingZero:
      return "leading zero in a number";
    case BencodeError::NegativeZero:
      return "negative zero";
    case BencodeError::IntegerOverflow:
      return "integer outside the 64-bit range";
    case BencodeError::StringTooLong:
      return "string longer than the remaining input";
    case BencodeError::NonStringKey:
      return "dictionary key is not a string";
    case BencodeError::MissingValue:
      return "dictionary key without a value";
    case BencodeError::DuplicateKey:
      return "duplicate dictionary key";
    case BencodeError::UnsortedKeys:
      return "dictionary keys out of order";
    case BencodeError::DepthExceeded:
      return "nesting too deep";
    case BencodeError::TokenLimitExceeded:
      return "too many values";
    case BencodeError::TrailingData:
      return "data after the end of the value";
    case BencodeError::InputTooLarge:
      return "input too large";
  }
  return "unknown error";
}

}  // namespace

std::string_view bencodeErrorName(BencodeError code) noexcept {
  switch (code) {
    case BencodeError::Ok:
      return "ok";
    case BencodeError::UnexpectedEnd:
      return "unexpected_end";
    case BencodeError::UnexpectedByte:
      return "unexpected_byte";
    case BencodeError::EmptyInteger:
      return "empty_integer";
    case BencodeError::LeadingZero:
      return "leading_zero";
    case BencodeError::NegativeZero:
      return "negative_zero";
    case BencodeError::IntegerOverflow:
      return "integer_overflow";
    case BencodeError::StringTooLong:
      return "string_too_long";
    case BencodeError::NonStringKey:
      return "non_string_key";
    case BencodeError::MissingValue:
      return "missing_value";
    case BencodeError::DuplicateKey:
      return "duplicate_key";
    case BencodeError::UnsortedKeys:
      return "unsorted_keys";
    case BencodeError::DepthExceeded:
      return "depth_exceeded";
    case BencodeError::TokenLimitExceeded:
      return "token_limit_exceeded";
    case BencodeError::TrailingData:
      return "trailing_data";
    case BencodeError::InputTooLarge:
      return "input_too_large";
  }
  return "unknown";
}

std::string BencodeParseError::message() const {
  std::string out(errorText(code));
  out += " at offset ";
  out += std::to_string(offset);
  return out;
}

}  // namespace tributary::codec
