// Internal: a connected byte stream as the peer code sees it, whatever carries
// it: TCP (TcpByteStream, over loop::TcpSocket) or uTP (utp::UtpStream). The
// contract is loop::TcpSocket's (read it there): one connect per object, the
// peer's EOF ends the stream, callbacks run on the stream's loop thread and may
// close or destroy it, none runs inside a call into it except a write's
// progress, and none runs after close(). bt sees only this, so it never
// includes utp's headers, nor utp bt's.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "engine/api/Error.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/SocketAddress.h"
#include "engine/util/Buffer.h"
#include "engine/util/SendQueue.h"
#include "engine/util/UniqueFunction.h"

namespace tributary::net {

enum class Transport : std::uint8_t { Tcp, Utp };
std::string_view transportName(Transport transport);

class ByteStream {
 public:
  using ConnectCallback = util::UniqueFunction<void(Result<void>)>;
  using DataCallback = util::UniqueFunction<void(util::Buffer& buffer)>;
  using ClosedCallback = util::UniqueFunction<void(Result<void>)>;
  using WriteProgress = util::SendQueue::Progress;
  using Bytes = util::SendQueue::Bytes;
  using SharedBytes = util::SendQueue::SharedBytes;

  virtual ~ByteStream() = default;

  virtual Transport transport() const = 0;
  virtual loop::EventLoop& loop() const = 0;

  // Reports once through cb, never before connect() returns.
  virtual void connect(const loop::SocketAddress& to, std::chrono::milliseconds timeout,
                       ConnectCallback cb) = 0;
  virtual void setOnData(DataCallback cb) = 0;
  virtual void setOnClosed(ClosedCallback cb) = 0;
  // Bytes received and not yet taken (an incoming stream's bytes after the
  // handshake the listener read): the same buffer onData is handed.
  virtual util::Buffer& readBuffer() = 0;

  virtual void pauseReading() = 0;
  virtual void resumeReading() = 0;
  virtual bool readingPaused() const = 0;

  // False (bytes dropped) once closed. Virtual functions take no default
  // arguments (they bind statically), hence the overloads without progress.
  virtual bool write(Bytes bytes, WriteProgress progress) = 0;
  virtual bool write(SharedBytes bytes, std::size_t offset, std::size_t length,
                     WriteProgress progress) = 0;
  bool write(Bytes bytes) { return write(std::move(bytes), WriteProgress{}); }
  virtual std::size_t pendingWriteBytes() const = 0;

  virtual void close() = 0;
  virtual void abort() = 0;

  // Keeps `token` alive until the stream closes: a way to count live
  // connections whoever owns them.
  virtual void attachUntilClosed(std::shared_ptr<const void> token) = 0;

  // The transport's smoothed round-trip time, where it knows one.
  virtual std::optional<std::chrono::microseconds> smoothedRtt() const = 0;
  virtual bool isConnected() const = 0;
  virtual bool isClosed() const = 0;
  virtual const loop::SocketAddress& remoteAddress() const = 0;
  virtual std::uint64_t bytesRead() const = 0;
  virtual std::uint64_t bytesWritten() const = 0;
};

}  // namespace tributary::net
