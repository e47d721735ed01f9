// Internal: the value parsers behind CliArgs. Each returns the value or a
// one-line reason naming the option and quoting what the user typed.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "app/cli/CliArgs.h"
#include "engine/api/Error.h"

namespace tributary::cli {

// 'text' in single quotes, control bytes escaped and long input cut, so an
// error about any argument stays on one line.
std::string quoted(std::string_view text);

Result<std::uint64_t> parseBoundedNumber(std::string_view option, std::string_view text,
                                         std::uint64_t min, std::uint64_t max);
// Bytes with an optional K, M or G suffix, 1024-based.
Result<std::uint64_t> parseRate(std::string_view option, std::string_view text);
// A byte count with an optional K, M or G suffix (1024-based).
Result<std::uint64_t> parseByteCount(std::string_view option, std::string_view text);
Result<std::uint64_t> parsePieceSize(std::string_view option, std::string_view text);
Result<HostPort> parseHostPort(std::string_view option, std::string_view text);
// An IP literal and a port, "1.2.3.4:6881" or "[::1]:6881": a peer is dialled, never resolved.
Result<std::string> parsePeerAddress(std::string_view option, std::string_view text);
Result<Checksum> parseChecksum(std::string_view option, std::string_view text);
// `schemes` like {"http", "https"}; checks the shape only, never resolves anything.
Result<std::string> parseUrl(std::string_view option, std::string_view text,
                             std::initializer_list<std::string_view> schemes);
Result<std::string> parseNonEmpty(std::string_view option, std::string_view text);
Result<CliSource> classifySource(std::string_view command, std::string_view text);

}  // namespace tributary::cli
