#include "engine/net/TlsErrors.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace tributary::net {

namespace {

constexpr std::size_t kMaxNamesShown = 4;

struct GeneralNamesFree {
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

std::string asn1Text(const ASN1_STRING* text) {
  if (text == nullptr) {
    return {};
  }
  return printableDetail(
      std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                       static_cast<std::size_t>(ASN1_STRING_length(text))),
      100);
}

// RFC 5952 text: lower-case hex, the longest run of two or more zero groups as "::".
std::string ipv6Text(const unsigned char* b) {
  unsigned groups[8];
  for (int i = 0; i < 8; ++i) {
    groups[i] = (static_cast<unsigned>(b[2 * i]) << 8) | b[2 * i + 1];
  }
  int bestStart = -1;
  int bestLen = 1;
  for (int i = 0; i < 8; ++i) {
    int j = i;
    while (j < 8 && groups[j] == 0) {
      ++j;
    }
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = std::max(i, j);
  }
  std::string out;
  for (int i = 0; i < 8;) {
    if (i == bestStart) {
      out += "::";
      i += bestLen;
      continue;
    }
    char group[8] = {};
    std::snprintf(group, sizeof group, "%x", groups[i]);
    out += (out.empty() || out.back() == ':' ? "" : ":") + std::string(group);
    ++i;
  }
  return out;
}

std::string ipText(const ASN1_OCTET_STRING* ip) {
  const unsigned char* b = ASN1_STRING_get0_data(ip);
  const int len = ASN1_STRING_length(ip);
  if (len == 4) {
    char text[16] = {};
    std::snprintf(text, sizeof text, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return text;
  }
  return len == 16 ? ipv6Text(b) : std::string("?");
}

// The common name, or the whole one-line name if there is none.
std::string nameText(const X509_NAME* name) {
  if (name == nullptr) {
    return {};
  }
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index >= 0) {
    return asn1Text(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
  }
  char line[256] = {};
  X509_NAME_oneline(name, line, sizeof line);
  return printableDetail(line, 100);
}

std::string timeText(const ASN1_TIME* time) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (time == nullptr || bio == nullptr || ASN1_TIME_print(bio.get(), time) != 1) {
    return "?";
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return printableDetail(std::string_view(data, static_cast<std::size_t>(len)), 40);
}

// Subject alternative names (DNS and IP), as a host-name check sees them;
// the common name only when there are none, as browsers no longer use it.
std::string certificateNames(X509* cert) {
  std::string names;
  std::size_t shown = 0;
  std::size_t total = 0;
  std::unique_ptr<GENERAL_NAMES, GeneralNamesFree> sans(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans.get(), i);
    std::string text;
    if (name->type == GEN_DNS) {
      text = asn1Text(name->d.dNSName);
    } else if (name->type == GEN_IPADD) {
      text = ipText(name->d.iPAddress);
    } else {
      continue;
    }
    ++total;
    if (shown < kMaxNamesShown) {
      names += (shown == 0 ? "" : ", ") + text;
      ++shown;
    }
  }
  if (total > shown) {
    names += " (and " + std::to_string(total - shown) + " more)";
  }
  if (names.empty()) {
    names = nameText(X509_get_subject_name(cert));
  }
  return names.empty() ? std::string("(no name)") : names;
}

std::string quoted(const std::string& text) {
  return "\"" + text + "\"";
}

}  // namespace

std::string printableDetail(std::string_view text, std::size_t maxChars) {
  std::string out;
  out.reserve(std::min(text.size(), maxChars) + 3);
  for (const char c : text) {
    if (out.size() >= maxChars) {
      out += "...";
      break;
    }
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

TlsVerifyFailure describeVerifyFailure(X509_STORE_CTX* store) {
  TlsVerifyFailure failure;
  failure.code = X509_STORE_CTX_get_error(store);
  failure.depth = X509_STORE_CTX_get_error_depth(store);
  X509* cert = X509_STORE_CTX_get_current_cert(store);
  if (cert == nullptr) {
    cert = X509_STORE_CTX_get0_cert(store);
  }
  if (cert != nullptr) {
    failure.names = certificateNames(cert);
    failure.subject = nameText(X509_get_subject_name(cert));
    failure.issuer = nameText(X509_get_issuer_name(cert));
    failure.notBefore = timeText(X509_get0_notBefore(cert));
    failure.notAfter = timeText(X509_get0_notAfter(cert));
  }
  return failure;
}

Error verifyFailureError(const TlsVerifyFailure& failure, std::string_view host) {
  // Which certificate the complaint is about, when it is not the server's own.
  const std::string which =
      failure.depth == 0 ? std::string() : " (issuer certificate " + quoted(failure.subject) + ")";
  std::string detail;
  switch (failure.code) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      detail = "certificate has expired" + which + ": not valid after " + failure.notAfter;
      break;
    case X509_V_ERR_CERT_NOT_YET_VALID:
      detail = "certificate is not yet valid" + which + ": not valid before " + failure.notBefore +
               " (check the system clock)";
      break;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      detail = "certificate is not trusted (self-signed)";
      break;
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      detail = "certificate is not trusted (self-signed root " + quoted(failure.subject) +
               " is not a trusted CA)";
      break;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      detail = "certificate is not trusted (unknown issuer " + quoted(failure.issuer) + ")";
      break;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      detail = "host name mismatch: certificate is for " + failure.names + ", not " +
               printableDetail(host, 255);
      break;
    case X509_V_ERR_CERT_REVOKED:
      detail = "certificate has been revoked" + which;
      break;
    case X509_V_ERR_INVALID_PURPOSE:
      detail = "certificate is not meant for TLS servers" + which;
      break;
    default:
      detail = std::string("certificate verification failed: ") +
               X509_verify_cert_error_string(failure.code) + which;
      break;
  }
  return Error{ErrorCode::TlsFailure, std::move(detail)};
}

std::string takeOpenSslReason(std::string_view fallback) {
  std::string reason;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    if (!reason.empty()) {
      continue;  // drain the rest: the first entry is the root cause
    }
    const char* text = ERR_reason_error_string(code);
    if (text != nullptr) {
      reason = text;
    } else {
      char buf[256] = {};
      ERR_error_string_n(code, buf, sizeof buf);
      reason = buf;
    }
  }
  return reason.empty() ? std::string(fallback) : printableDetail(reason);
}

}  // namespace tributary::net
