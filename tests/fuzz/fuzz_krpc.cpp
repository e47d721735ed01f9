// libFuzzer harness for the KRPC (DHT message) decoder: any datagram decodes or
// fails cleanly, and whatever decodes re-encodes and decodes to the same message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/dht/Krpc.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tributary::dht;
  KrpcDecodeFailure failure;
  const auto message =
      decodeKrpc(std::string_view(reinterpret_cast<const char*>(data), size), failure);
  if (!message) {
    return 0;
  }
  const auto again = decodeKrpc(encodeKrpc(*message), failure);
  if (!again || again->kind != message->kind || again->transactionId != message->transactionId ||
      again->response.nodes != message->response.nodes ||
      again->response.values != message->response.values) {
    std::abort();
  }
  return 0;
}
