// Internal: turns OpenSSL's verdicts into Errors a user can act on ("certificate
// has expired", "host name mismatch: certificate is for X, not Y") instead of
// OpenSSL's numeric codes. Everything taken from a certificate is untrusted
// text, so it is made printable and capped before it reaches an Error.
#pragma once

#include <string>
#include <string_view>

#include "engine/api/Error.h"

struct x509_store_ctx_st;

namespace tributary::net {

// What the verifier objected to, captured in the verify callback while the
// certificate is at hand (OpenSSL frees the chain when the handshake fails).
struct TlsVerifyFailure {
  long code = 0;      // X509_V_ERR_*; 0 = nothing recorded
  int depth = 0;      // 0 = the server's own certificate
  std::string names;  // the failing certificate's DNS/IP names (or its CN)
  std::string subject;
  std::string issuer;
  std::string notBefore;
  std::string notAfter;
};

TlsVerifyFailure describeVerifyFailure(x509_store_ctx_st* store);

// host: the name or address we connected to, for the mismatch message.
Error verifyFailureError(const TlsVerifyFailure& failure, std::string_view host);

// Takes this thread's OpenSSL error queue (leaving it empty) and returns the
// reason of its first entry ("wrong version number"), or `fallback` if empty.
std::string takeOpenSslReason(std::string_view fallback = "unknown error");

// Printable ASCII only (other bytes become '?'), at most maxChars characters.
std::string printableDetail(std::string_view text, std::size_t maxChars = 200);

}  // namespace tributary::net
