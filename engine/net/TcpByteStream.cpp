#include "engine/net/TcpByteStream.h"

#include <utility>

namespace tributary::net {

std::string_view transportName(Transport transport) {
  return transport == Transport::Utp ? "uTP" : "TCP";
}

TcpByteStream::TcpByteStream(loop::EventLoop& loop)
    : socket_(std::make_unique<loop::TcpSocket>(loop)) {}

TcpByteStream::TcpByteStream(std::unique_ptr<loop::TcpSocket> socket)
    : socket_(std::move(socket)) {}

}  // namespace tributary::net
