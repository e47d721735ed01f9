// Internal: one uTP connection as a net::ByteStream, the transport interface
// the peer code shares with TCP (connect with a timeout, setOnData with
// util::Buffer, setOnClosed, pause/resume reading, write returning false once
// closed, close/abort). Made by a
// UtpSocketManager (createStream() to dial, the accept callback for incoming
// ones); construct, use and destroy it on the manager's loop thread.
//
// Callbacks run on the loop thread and may do anything to the stream,
// including close or destroy it; they never run inside a call into the
// stream (write progress excepted, as with TcpSocket). The peer's FIN ends
// the stream: onClosed(ok) once every byte before it was handed to onData.
// No callback runs after close(); they are dropped there. If the manager goes
// first, the stream is closed and its callbacks dropped unrun.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/api/Error.h"
#include "engine/loop/SocketAddress.h"
#include "engine/net/ByteStream.h"
#include "engine/util/Buffer.h"
#include "engine/util/SendQueue.h"
#include "engine/util/UniqueFunction.h"
#include "engine/utp/UtpSocketManager.h"

namespace tributary::utp {

class UtpStream final : public net::ByteStream {
 public:
  ~UtpStream() override;  // close()
  UtpStream(const UtpStream&) = delete;
  UtpStream& operator=(const UtpStream&) = delete;

  // Reports once through cb (ok, Timeout, ConnectionRefused for a RESET),
  // never before connect() returns. timeout <= 0: the manager's default.
  void connect(const loop::SocketAddress& to, std::chrono::milliseconds timeout,
               ConnectCallback cb) override;

  net::Transport transport() const override { return net::Transport::Utp; }
  loop::EventLoop& loop() const override { return loop_; }

  // Bytes that arrived before a callback was set are handed over a tick later.
  void setOnData(DataCallback cb) override;
  void setOnClosed(ClosedCallback cb) override { onClosed_ = std::move(cb); }
  // The connection's receive buffer (what onData is handed); empty once closed.
  util::Buffer& readBuffer() override;

  // Back-pressure: unread bytes stay in the connection's receive buffer, whose
  // free space is the window the peer sees, so a paused stream stops the peer.
  void pauseReading() override { readPaused_ = true; }
  void resumeReading() override;
  bool readingPaused() const override { return readPaused_; }

  // Queue bytes in order; progress reports them as they are packetized.
  // False (bytes dropped) once closed.
  using ByteStream::write;
  bool write(std::string bytes, WriteProgress progress = nullptr);
  bool write(util::SendQueue::Bytes bytes, WriteProgress progress) override;
  bool write(util::SendQueue::SharedBytes bytes, std::size_t offset, std::size_t length,
             WriteProgress progress) override;
  bool writeCopy(const void* data, std::size_t size, WriteProgress progress = nullptr);
  std::size_t pendingWriteBytes() const override;

  // Orderly: unsent bytes dropped, a FIN after what is in flight. Idempotent.
  void close() override;
  // The peer sees a RESET.
  void abort() override;
  void attachUntilClosed(std::shared_ptr<const void> token) override {
    if (state_ != State::Closed) {
      token_ = std::move(token);
    }
  }

  std::optional<std::chrono::microseconds> smoothedRtt() const override;
  bool isConnecting() const { return state_ == State::Connecting; }
  bool isConnected() const override { return state_ == State::Connected; }
  bool isClosed() const override { return state_ == State::Closed; }
  const loop::SocketAddress& remoteAddress() const override { return remote_; }
  loop::SocketAddress localAddress() const;
  std::uint64_t bytesRead() const override { return bytesRead_; }
  std::uint64_t bytesWritten() const override { return bytesWritten_; }  // packetized and sent
  // The connection's counters (packets, retransmissions, window), or nullptr once closed.
  const UtpConnection* connection() const;

 private:
  friend class UtpSocketManager;
  enum class State : std::uint8_t { Idle, Connecting, Connected, Closed };
  struct Report {
    std::shared_ptr<WriteProgress> progress;
    std::size_t sentNow;
    bool done;
  };

  explicit UtpStream(UtpSocketManager& manager);

  // From the manager, after each call into the connection.
  void onEvents(unsigned events);
  void onManagerGone();

  template <class Push>
  bool push(WriteProgress progress, Push&& pushInto);
  WriteProgress defer(WriteProgress progress);
  bool runDeferred();  // false if the stream died in a callback
  bool deliver();      // likewise
  void deliverLater();
  void finish(Result<void> reason);
  void dropCallbacks();
  void syncCounters();

  UtpSocketManager* manager_;
  loop::EventLoop& loop_;  // the manager's, kept for after it is gone
  UtpSocketManager::Entry* entry_ = nullptr;
  std::shared_ptr<char> life_;
  State state_ = State::Idle;
  ConnectCallback connectCb_;
  DataCallback onData_;
  std::uint64_t onDataGeneration_ = 0;  // bumped by setOnData()
  ClosedCallback onClosed_;
  std::vector<Report> deferred_;
  bool readPaused_ = false;
  bool eofPending_ = false;
  loop::SocketAddress remote_;
  std::uint64_t bytesRead_ = 0;
  std::uint64_t bytesWritten_ = 0;
  util::Buffer closedBuffer_{0};       // readBuffer() once the connection is gone
  std::shared_ptr<const void> token_;  // attachUntilClosed()
};

}  // namespace tributary::utp
