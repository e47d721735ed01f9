#include "engine/net/TlsTransport.h"

#include <openssl/bio.h>

#include <algorithm>
#include <cstring>

namespace tributary::net {

namespace {

TlsTransport& transportOf(BIO* bio) {
  return *static_cast<TlsTransport*>(BIO_get_data(bio));
}

// One TLS record plus its header and tag: the usual size of one write.
constexpr std::size_t kRecordBytes = 16 * 1024 + 256;

int transportWrite(BIO* bio, const char* data, int len) {
  BIO_clear_retry_flags(bio);
  if (len <= 0) {
    return 0;
  }
  TlsTransport& transport = transportOf(bio);
  if (transport.out.capacity() == 0) {
    transport.out.reserve(kRecordBytes);  // after a take, the vector starts from nothing
  }
  const auto* bytes = reinterpret_cast<const std::byte*>(data);
  transport.out.insert(transport.out.end(), bytes, bytes + len);
  return len;
}

// Empty and not at EOF is "would block": OpenSSL then reports SSL_ERROR_WANT_READ.
// Empty at EOF returns 0 with no retry flag, and BIO_eof() says so, which is how
// OpenSSL tells a truncated stream (SSL_R_UNEXPECTED_EOF_WHILE_READING).
int transportRead(BIO* bio, char* data, int len) {
  BIO_clear_retry_flags(bio);
  TlsTransport& transport = transportOf(bio);
  const std::size_t available = transport.in.readableBytes();
  if (available == 0 || len <= 0) {
    if (transport.eof || len <= 0) {
      return 0;
    }
    BIO_set_retry_read(bio);
    return -1;
  }
  const std::size_t n = std::min(available, static_cast<std::size_t>(len));
  std::memcpy(data, transport.in.peek(), n);
  if (transport.headSize < transport.head.size()) {
    const std::size_t h = std::min(n, transport.head.size() - transport.headSize);
    std::memcpy(transport.head.data() + transport.headSize, data, h);
    transport.headSize += h;
  }
  transport.in.retrieve(n);
  return static_cast<int>(n);
}

long transportCtrl(BIO* bio, int cmd, long /*num*/, void* /*ptr*/) {
  const TlsTransport& transport = transportOf(bio);
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_CTRL_PENDING:
      return static_cast<long>(transport.in.readableBytes());
    case BIO_CTRL_WPENDING:
      return static_cast<long>(transport.outPending());
    case BIO_CTRL_EOF:
      return transport.eof && transport.in.readableBytes() == 0 ? 1 : 0;
    default:
      return 0;  // unsupported (kTLS, dgram, ...): OpenSSL takes 0 as "no"
  }
}

int transportCreate(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

int transportDestroy(BIO* bio) {
  BIO_set_data(bio, nullptr);
  return 1;
}

// Made once per process and kept (reachable) for its lifetime: BIOs of any
// thread share it, and it is immutable after construction.
const BIO_METHOD* transportMethod() {
  static const BIO_METHOD* const method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tributary transport");
    if (m != nullptr) {
      BIO_meth_set_write(m, transportWrite);
      BIO_meth_set_read(m, transportRead);
      BIO_meth_set_ctrl(m, transportCtrl);
      BIO_meth_set_create(m, transportCreate);
      BIO_meth_set_destroy(m, transportDestroy);
    }
    return m;
  }();
  return method;
}

}  // namespace

BIO* newTransportBio(TlsTransport& transport) {
  const BIO_METHOD* method = transportMethod();
  BIO* bio = method != nullptr ? BIO_new(method) : nullptr;
  if (bio != nullptr) {
    BIO_set_data(bio, &transport);
  }
  return bio;
}

}  // namespace tributary::net
