#include "engine/http/ResumeFile.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <limits>
#include <utility>

#include "engine/storage/AtomicFile.h"
#include "engine/storage/Crc32.h"

namespace tributary::http {
namespace {

constexpr std::string_view kMagic = "tributary-resume";
constexpr std::string_view kChecksumKey = "crc32";
constexpr std::string_view kUnknownTotal = "unknown";
// Offsets become off_t in positional writes.
constexpr std::uint64_t kMaxTotal =
    static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
constexpr std::size_t kCrcDigits = 8;

enum class Key : std::uint8_t { Url, Name, Total, Etag, LastModified, Mirror, Done, Count };

constexpr std::array<std::string_view, static_cast<std::size_t>(Key::Count)> kKeyNames = {
    "url", "name", "total", "etag", "last-modified", "mirror", "done"};

std::optional<Key> keyFromName(std::string_view name) {
  for (std::size_t i = 0; i < kKeyNames.size(); ++i) {
    if (kKeyNames[i] == name) {
      return static_cast<Key>(i);
    }
  }
  return std::nullopt;
}

bool isControl(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

int hexDigit(char c) {  // lower case only: each value has one spelling
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

void appendEscaped(std::string& out, std::string_view value) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (isControl(u)) {
          out += "\\x";
          out += kHex[u >> 4];
          out += kHex[u & 0xfU];
        } else {
          out += c;
        }
    }
  }
}

bool unescape(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (isControl(static_cast<unsigned char>(c))) {
      return false;  // the encoder escapes every control byte
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= in.size()) {
      return false;
    }
    switch (in[i]) {
      case '\\':
        out += '\\';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'x': {
        if (i + 2 >= in.size()) {
          return false;
        }
        const int hi = hexDigit(in[i + 1]);
        const int lo = hexDigit(in[i + 2]);
        if (hi < 0 || lo < 0) {
          return false;
        }
        out += static_cast<char>((hi << 4) | lo);
        i += 2;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

// A canonical decimal (no sign, no leading zero) up to kMaxTotal, or "unknown".
bool parseTotal(std::string_view text, std::optional<std::uint64_t>& total) {
  if (text == kUnknownTotal) {
    total.reset();
    return true;
  }
  if (text.empty() || text.size() > 19 || (text.size() > 1 && text[0] == '0')) {
    return false;
  }
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value > kMaxTotal) {
    return false;
  }
  total = value;
  return true;
}

std::string crcText(std::uint32_t crc) {
  std::array<char, kCrcDigits + 1> buf{};
  std::snprintf(buf.data(), buf.size(), "%08x", static_cast<unsigned>(crc));
  return std::string(buf.data(), kCrcDigits);
}

bool parseCrc(std::string_view text, std::uint32_t& crc) {
  if (text.size() != kCrcDigits) {
    return false;
  }
  crc = 0;
  for (const char c : text) {
    const int digit = hexDigit(c);
    if (digit < 0) {
      return false;
    }
    crc = (crc << 4) | static_cast<std::uint32_t>(digit);
  }
  return true;
}

Error invalid(std::string what) {
  return Error{ErrorCode::InvalidArgument, "resume state: " + std::move(what)};
}

// The fields of one file as they are read, before they are checked together.
struct Fields {
  std::array<std::size_t, static_cast<std::size_t>(Key::Count)> line{};  // 0 = not seen
  std::string_view total;
  std::string_view done;
};

}  // namespace

std::string_view resumeErrorName(ResumeError code) noexcept {
  switch (code) {
    case ResumeError::Ok:
      return "ok";
    case ResumeError::TooLarge:
      return "too_large";
    case ResumeError::Truncated:
      return "truncated";
    case ResumeError::BadChecksum:
      return "bad_checksum";
    case ResumeError::BadHeader:
      return "bad_header";
    case ResumeError::UnsupportedVersion:
      return "unsupported_version";
    case ResumeError::LineTooLong:
      return "line_too_long";
    case ResumeError::Syntax:
      return "syntax";
    case ResumeError::UnknownKey:
      return "unknown_key";
    case ResumeError::DuplicateKey:
      return "duplicate_key";
    case ResumeError::MissingKey:
      return "missing_key";
    case ResumeError::BadEscape:
      return "bad_escape";
    case ResumeError::BadValue:
      return "bad_value";
    case ResumeError::BadNumber:
      return "bad_number";
    case ResumeError::BadRanges:
      return "bad_ranges";
    case ResumeError::TooManyMirrors:
      return "too_many_mirrors";
  }
  return "unknown";
}

std::string resumePathFor(std::string_view partPath) {
  std::string path(partPath);
  path += kResumeSuffix;
  return path;
}

Result<std::string> encodeResume(const ResumeState& state, const ResumeLimits& limits) {
  if (state.url.empty() || state.fileName.empty()) {
    return invalid("a url and a file name are required");
  }
  if (state.totalSize && *state.totalSize > kMaxTotal) {
    return invalid("total size too large");
  }
  if (state.done.rangeCount() > limits.ranges.maxRanges) {
    return invalid("too many done ranges");
  }
  if (state.totalSize && !state.done.empty() && state.done.last()->end > *state.totalSize) {
    return invalid("done ranges past the total size");
  }
  if (state.mirrors.size() > limits.maxMirrors) {
    return invalid("too many mirrors");
  }
  std::string out;
  bool tooLong = false;
  auto line = [&](std::string_view key, std::string_view raw, bool escape) {
    const std::size_t start = out.size();
    out += key;
    out += ' ';
    if (escape) {
      appendEscaped(out, raw);
    } else {
      out += raw;
    }
    tooLong = tooLong || out.size() - start > limits.maxLineLength;
    out += '\n';
  };
  out += kMagic;
  out += ' ';
  out += std::to_string(kResumeVersion);
  out += '\n';
  line("url", state.url, true);
  line("name", state.fileName, true);
  line("total", state.totalSize ? std::to_string(*state.totalSize) : std::string(kUnknownTotal),
       false);
  if (!state.etag.empty()) {
    line("etag", state.etag, true);
  }
  if (!state.lastModified.empty()) {
    line("last-modified", state.lastModified, true);
  }
  for (const std::string& mirror : state.mirrors) {
    if (mirror.empty()) {
      return invalid("an empty mirror");
    }
    line("mirror", mirror, true);
  }
  if (tooLong) {
    return invalid("a value is too long");
  }
  const std::string ranges = core::formatByteRanges(state.done);
  if (ranges.size() > limits.ranges.maxLength) {
    return invalid("the done ranges are too long");
  }
  out += "done ";
  out += ranges;
  out += '\n';
  const std::uint32_t crc = storage::crc32(out);
  out += kChecksumKey;
  out += ' ';
  out += crcText(crc);
  out += '\n';
  if (out.size() > limits.maxFileBytes) {
    return invalid("too large");
  }
  return out;
}

std::optional<ResumeState> decodeResume(std::string_view text, ResumeDecodeError& error,
                                        const ResumeLimits& limits) {
  auto fail = [&](ResumeError code, std::size_t line) {
    error = {code, line, core::RangesError::Ok};
    return std::nullopt;
  };
  error = {};
  if (text.size() > limits.maxFileBytes) {
    return fail(ResumeError::TooLarge, 0);
  }
  // The checksum line comes last; a file cut short has none.
  if (text.empty() || text.back() != '\n') {
    return fail(ResumeError::Truncated, 0);
  }
  const std::size_t previousEnd =
      text.size() < 2 ? std::string_view::npos : text.rfind('\n', text.size() - 2);
  const std::size_t lastStart = previousEnd == std::string_view::npos ? 0 : previousEnd + 1;
  const std::string_view lastLine = text.substr(lastStart, text.size() - 1 - lastStart);
  const std::string_view body = text.substr(0, lastStart);
  std::size_t lines = 1;
  for (const char c : body) {
    lines += c == '\n' ? 1 : 0;
  }
  if (lastLine.size() <= kChecksumKey.size() || !lastLine.starts_with(kChecksumKey) ||
      lastLine[kChecksumKey.size()] != ' ') {
    return fail(ResumeError::Truncated, lines);
  }
  std::uint32_t expected = 0;
  if (!parseCrc(lastLine.substr(kChecksumKey.size() + 1), expected) ||
      storage::crc32(body) != expected) {
    return fail(ResumeError::BadChecksum, lines);
  }

  ResumeState state;
  Fields fields;
  std::string value;
  std::size_t lineNo = 0;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const std::size_t end = body.find('\n', pos);  // the body ends with '\n'
    const std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    ++lineNo;
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) {
      return fail(lineNo == 1 ? ResumeError::BadHeader : ResumeError::Syntax, lineNo);
    }
    const std::string_view name = line.substr(0, space);
    const std::string_view raw = line.substr(space + 1);
    if (lineNo == 1) {
      if (name != kMagic) {
        return fail(ResumeError::BadHeader, lineNo);
      }
      if (raw != std::to_string(kResumeVersion)) {
        return fail(ResumeError::UnsupportedVersion, lineNo);
      }
      continue;
    }
    const std::optional<Key> key = keyFromName(name);
    if (!key) {
      return fail(ResumeError::UnknownKey, lineNo);
    }
    // The done map has its own, larger limit (checked by its parser).
    if (*key != Key::Done && line.size() > limits.maxLineLength) {
      return fail(ResumeError::LineTooLong, lineNo);
    }
    std::size_t& seen = fields.line[static_cast<std::size_t>(*key)];
    if (seen != 0 && *key != Key::Mirror) {
      return fail(ResumeError::DuplicateKey, lineNo);
    }
    seen = lineNo;
    switch (*key) {
      case Key::Total:
        fields.total = raw;
        continue;
      case Key::Done:
        fields.done = raw;
        continue;
      default:
        break;
    }
    if (!unescape(raw, value)) {
      return fail(ResumeError::BadEscape, lineNo);
    }
    if (value.empty()) {
      return fail(ResumeError::BadValue, lineNo);
    }
    switch (*key) {
      case Key::Url:
        state.url = std::move(value);
        break;
      case Key::Name:
        state.fileName = std::move(value);
        break;
      case Key::Etag:
        state.etag = std::move(value);
        break;
      case Key::LastModified:
        state.lastModified = std::move(value);
        break;
      case Key::Mirror:
        if (state.mirrors.size() >= limits.maxMirrors) {
          return fail(ResumeError::TooManyMirrors, lineNo);
        }
        state.mirrors.push_back(std::move(value));
        break;
      default:
        break;
    }
    value = std::string();
  }
  if (lineNo == 0) {
    return fail(ResumeError::BadHeader, 1);
  }
  for (const Key required : {Key::Url, Key::Name, Key::Total, Key::Done}) {
    if (fields.line[static_cast<std::size_t>(required)] == 0) {
      return fail(ResumeError::MissingKey, 0);
    }
  }
  if (!parseTotal(fields.total, state.totalSize)) {
    return fail(ResumeError::BadNumber, fields.line[static_cast<std::size_t>(Key::Total)]);
  }
  core::RangesParseError rangesError;
  auto done = core::parseByteRanges(
      fields.done, state.totalSize.value_or(std::numeric_limits<std::uint64_t>::max()), rangesError,
      limits.ranges);
  if (!done) {
    error = {ResumeError::BadRanges, fields.line[static_cast<std::size_t>(Key::Done)],
             rangesError.code};
    return std::nullopt;
  }
  state.done = std::move(*done);
  return state;
}

Result<ResumeState> decodeResume(std::string_view text, const ResumeLimits& limits) {
  ResumeDecodeError error;
  auto state = decodeResume(text, error, limits);
  if (!state) {
    std::string what(resumeErrorName(error.code));
    if (error.code == ResumeError::BadRanges) {
      what += " (";
      what += core::rangesErrorName(error.rangesError);
      what += ')';
    }
    if (error.line != 0) {
      what += " at line " + std::to_string(error.line);
    }
    return invalid(std::move(what));
  }
  return std::move(*state);
}

Result<void> checkSameRemote(const ResumeState& saved, const RemoteIdentity& now) {
  auto size = [](const std::optional<std::uint64_t>& s) {
    return s ? std::to_string(*s) : std::string(kUnknownTotal);
  };
  if (saved.totalSize != now.totalSize) {
    return Error{ErrorCode::RemoteChanged,
                 "size " + size(saved.totalSize) + " is now " + size(now.totalSize)};
  }
  if (!saved.etag.empty() && !now.etag.empty() && saved.etag != now.etag) {
    return Error{ErrorCode::RemoteChanged, "ETag changed"};
  }
  if (!saved.lastModified.empty() && !now.lastModified.empty() &&
      saved.lastModified != now.lastModified) {
    return Error{ErrorCode::RemoteChanged, "Last-Modified changed"};
  }
  return {};
}

void loadResumeFile(storage::JobSubmitter& jobs, std::shared_ptr<storage::FileIo> io,
                    std::string path, ResumeLoadCallback done, const ResumeLimits& limits) {
  jobs.submit(
      [io = std::move(io), path = std::move(path), limits]() -> Result<ResumeState> {
        auto content = storage::readSmallFile(*io, path, limits.maxFileBytes);
        if (!content) {
          return content.error();
        }
        return decodeResume(content.value(), limits);
      },
      std::move(done));
}

Result<void> saveResumeFile(storage::StateFileWriter& writer, const ResumeState& state,
                            storage::StateFileWriter::DoneCallback done,
                            const ResumeLimits& limits) {
  auto encoded = encodeResume(state, limits);
  if (!encoded) {
    return encoded.error();
  }
  writer.save(std::move(encoded.value()), std::move(done));
  return {};
}

}  // namespace tributary::http
