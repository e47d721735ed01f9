// Internal to engine/loop: libuv status codes as engine Errors, so the layers
// above see ErrorCode values and a short detail, never a uv errno.
#pragma once

#include <string_view>

#include "engine/api/Error.h"

namespace tributary::loop {

// status < 0, a libuv error. context says what failed ("connect to [::1]:80").
// ECONNREFUSED -> ConnectionRefused; ECONNRESET, EPIPE, ECONNABORTED ->
// ConnectionReset; ETIMEDOUT -> Timeout; getaddrinfo's EAI_* -> DnsFailure;
// the rest -> IoError. The detail is "<context>: <libuv's text>".
Error uvError(int status, std::string_view context);

// libuv's text for status ("connection refused"), without context.
std::string_view uvErrorText(int status);

}  // namespace tributary::loop
