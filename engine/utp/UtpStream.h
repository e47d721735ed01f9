// Internal: one uTP connection as a byte stream, shaped like loop::TcpSocket
// (connect with a timeout, setOnData with util::Buffer, setOnClosed,
// pause/resume reading, write returning false once closed, close/abort), so
// the peer code can put one small transport interface over both. Made by a
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
#include "engine/util/Buffer.h"
#include "engine/util/SendQueue.h"
#include "engine/util/UniqueFunction.h"
#include "engine/utp/UtpSocketManager.h"

namespace tributary::utp {

class UtpStream {
 public:
  using ConnectCallback = util::UniqueFunction<void(Result<void>)>;
  using DataCallback = util::UniqueFunction<void(util::Buffer& buffer)>;
  using ClosedCallback = util::UniqueFunction<void(Result<void>)>;
  using WriteProgress = util::SendQueue::Progress;

  ~UtpStream();  // close()
  UtpStream(const UtpStream&) = delete;
  UtpStream& operator=(const UtpStream&) = delete;

  // Reports once through cb (ok, Timeout, ConnectionRefused for a RESET),
  // never before connect() returns. timeout <= 0: the manager's default.
  void connect(const loop::SocketAddress& to, std::chrono::milliseconds timeout,
               ConnectCallback cb);

  // Bytes that arrived before a callback was set are handed over a tick later.
  void setOnData(DataCallback cb);
  void setOnClosed(ClosedCallback cb) { onClosed_ = std::move(cb); }

  // Back-pressure: unread bytes stay in the connection's receive buffer, whose
  // free space is the window the peer sees, so a paused stream stops the peer.
  void pauseReading() { readPaused_ = true; }
  void resumeReading();
  bool readingPaused() const { return readPaused_; }

  // Queue bytes in order; progress reports them as they are packetized.
  // False (bytes dropped) once closed.
  bool write(std::string bytes, WriteProgress progress = nullptr);
  bool write(util::SendQueue::Bytes bytes, WriteProgress progress = nullptr);
  bool write(util::SendQueue::SharedBytes bytes, std::size_t offset, std::size_t length,
             WriteProgress progress = nullptr);
  bool writeCopy(const void* data, std::size_t size, WriteProgress progress = nullptr);
  std::size_t pendingWriteBytes() const;

  // Orderly: unsent bytes dropped, a FIN after what is in flight. Idempotent.
  void close();
  // The peer sees a RESET.
  void abort();

  std::optional<std::chrono::microseconds> smoothedRtt() const;
  bool isConnecting() const { return state_ == State::Connecting; }
  bool isConnected() const { return state_ == State::Connected; }
  bool isClosed() const { return state_ == State::Closed; }
  const loop::SocketAddress& remoteAddress() const { return remote_; }
  loop::SocketAddress localAddress() const;
  std::uint64_t bytesRead() const { return bytesRead_; }
  std::uint64_t bytesWritten() const { return bytesWritten_; }  // packetized and sent
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
};

}  // namespace tributary::utp
