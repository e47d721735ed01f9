// Internal: the byte queues between a TlsSession and its socket, and the
// OpenSSL BIO that reads and writes them. A custom BIO rather than BIO_s_mem so
// the socket can read straight into `in` (loop::TcpSocket::setReadBuffer: no
// copy into a BIO), and the bytes to send leave as one vector that the
// socket's send queue takes by move (no copy out of a BIO).
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "engine/util/Buffer.h"

struct bio_st;

namespace tributary::net {

struct TlsTransport {
  util::Buffer in{64 * 1024};  // ciphertext received, not yet read by OpenSSL
  std::vector<std::byte> out;  // ciphertext OpenSSL produced; out[outTaken..] not yet sent
  std::size_t outTaken = 0;
  bool eof = false;  // the socket will deliver nothing more
  // The first bytes OpenSSL read, whichever way they arrived: lets an error
  // say "the server answered in plain HTTP".
  std::array<char, 5> head{};
  std::size_t headSize = 0;

  std::size_t outPending() const { return out.size() - outTaken; }
};

// A BIO over `transport` for both directions (give it to SSL_set_bio as rbio
// and wbio). `transport` must outlive it. Returns nullptr if out of memory.
bio_st* newTransportBio(TlsTransport& transport);

}  // namespace tributary::net
