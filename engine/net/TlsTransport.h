// Internal: the byte queues between a TlsSession and its socket, and the
// OpenSSL BIO that reads and writes them. A custom BIO rather than BIO_s_mem so
// the socket can read straight into `in` (no copy into a BIO), and the bytes
// to send can be handed over whole as a util::Buffer (no copy out of one).
#pragma once

#include "engine/util/Buffer.h"

struct bio_st;

namespace tributary::net {

struct TlsTransport {
  util::Buffer in{64 * 1024};  // ciphertext received, not yet read by OpenSSL
  util::Buffer out;            // ciphertext OpenSSL produced, not yet taken
  bool eof = false;            // the socket will deliver nothing more
};

// A BIO over `transport` for both directions (give it to SSL_set_bio as rbio
// and wbio). `transport` must outlive it. Returns nullptr if out of memory.
bio_st* newTransportBio(TlsTransport& transport);

}  // namespace tributary::net
