// Internal: a loop::TcpSocket as a net::ByteStream. It owns the socket; the
// listener takes it back out (release()) to move an incoming connection to
// another loop, which only a TCP socket can do.
#pragma once

#include <memory>

#include "engine/loop/TcpSocket.h"
#include "engine/net/ByteStream.h"

namespace tributary::net {

class TcpByteStream final : public ByteStream {
 public:
  explicit TcpByteStream(loop::EventLoop& loop);  // unconnected: call connect()
  explicit TcpByteStream(std::unique_ptr<loop::TcpSocket> socket);
  ~TcpByteStream() override = default;  // the socket's destructor closes it
  TcpByteStream(const TcpByteStream&) = delete;
  TcpByteStream& operator=(const TcpByteStream&) = delete;

  loop::TcpSocket& socket() { return *socket_; }
  std::unique_ptr<loop::TcpSocket> release() { return std::move(socket_); }

  Transport transport() const override { return Transport::Tcp; }
  loop::EventLoop& loop() const override { return socket_->loop(); }
  void connect(const loop::SocketAddress& to, std::chrono::milliseconds timeout,
               ConnectCallback cb) override {
    socket_->connect(to, timeout, std::move(cb));
  }
  void setOnData(DataCallback cb) override { socket_->setOnData(std::move(cb)); }
  void setOnClosed(ClosedCallback cb) override { socket_->setOnClosed(std::move(cb)); }
  util::Buffer& readBuffer() override { return socket_->readBuffer(); }
  void pauseReading() override { socket_->pauseReading(); }
  void resumeReading() override { socket_->resumeReading(); }
  bool readingPaused() const override { return socket_->readingPaused(); }
  using ByteStream::write;
  bool write(Bytes bytes, WriteProgress progress) override {
    return socket_->write(std::move(bytes), std::move(progress));
  }
  bool write(SharedBytes bytes, std::size_t offset, std::size_t length,
             WriteProgress progress) override {
    return socket_->write(std::move(bytes), offset, length, std::move(progress));
  }
  std::size_t pendingWriteBytes() const override { return socket_->pendingWriteBytes(); }
  void close() override { socket_->close(); }
  void abort() override { socket_->abort(); }
  void attachUntilClosed(std::shared_ptr<const void> token) override {
    socket_->attachUntilClosed(std::move(token));
  }
  std::optional<std::chrono::microseconds> smoothedRtt() const override {
    return socket_->smoothedRtt();
  }
  bool isConnected() const override { return socket_->isConnected(); }
  bool isClosed() const override { return socket_->isClosed(); }
  const loop::SocketAddress& remoteAddress() const override { return socket_->remoteAddress(); }
  std::uint64_t bytesRead() const override { return socket_->bytesRead(); }
  std::uint64_t bytesWritten() const override { return socket_->bytesWritten(); }

 private:
  std::unique_ptr<loop::TcpSocket> socket_;
};

}  // namespace tributary::net
