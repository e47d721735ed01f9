// Internal: one TCP connection on one EventLoop (muduo's TcpConnection, on
// libuv). Construct, use and destroy it on the loop's thread.
//
// Life: Idle -> connect() -> Connecting -> Connected -> Closed, or born
// Connected from a TcpListener. Closed is final: one connect per object; to
// try the next address, make a new TcpSocket. The peer's EOF ends the
// connection (onClosed with ok): no half-open sockets.
//
// Callbacks run on the loop thread and may do anything to the socket,
// including close() it or destroy it. They never run inside a call into the
// socket, except a write's progress (see write()). close() is idempotent, and
// no callback of this socket runs after it returns (a write's progress
// included). Every callback is dropped at close, so what they capture dies on
// the loop thread.
//
// If the loop shuts down first, it closes the socket's handle: callbacks are
// dropped without running, later calls are no-ops, and destroying the object
// is harmless on any thread.
//
// A connected socket can move to another loop: detach() here, post the
// DetachedSocket, adopt() there (TcpSocketHandOff.cpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "engine/api/Error.h"
#include "engine/loop/DetachedSocket.h"
#include "engine/loop/EventLoop.h"
#include "engine/loop/SocketAddress.h"
#include "engine/loop/Timer.h"
#include "engine/util/Buffer.h"
#include "engine/util/SendQueue.h"
#include "engine/util/UniqueFunction.h"

struct uv_stream_s;

namespace tributary::loop {

struct TcpSocketBox;
class TcpListener;

class TcpSocket {
 public:
  // ok, or ConnectionRefused, Timeout, IoError, ... (see UvError.h).
  using ConnectCallback = util::UniqueFunction<void(Result<void>)>;
  // The bytes received so far are buffer's readable part; take what you use
  // with buffer.retrieve(n). What you leave is there again, with more after
  // it, at the next call.
  using DataCallback = util::UniqueFunction<void(util::Buffer& buffer)>;
  // ok = the peer closed cleanly (EOF); else the error that ended the
  // connection (ConnectionReset, Timeout for the read timeout, IoError).
  // Not called for a failed connect (its callback reports that) nor after close().
  using ClosedCallback = util::UniqueFunction<void(Result<void>)>;
  using WriteProgress = util::SendQueue::Progress;

  // Each read asks the buffer for at least this much free space.
  static constexpr std::size_t kReadChunk = std::size_t{64} * 1024;

  explicit TcpSocket(EventLoop& loop);
  ~TcpSocket();  // close()
  TcpSocket(const TcpSocket&) = delete;
  TcpSocket& operator=(const TcpSocket&) = delete;

  // Reports once through cb, never before connect() returns. timeout <= 0:
  // only the kernel's own limit. Once connected, reading starts (unless
  // paused) and TCP_NODELAY is on. Ignored on a closed socket.
  void connect(const SocketAddress& to, std::chrono::milliseconds timeout, ConnectCallback cb);

  void setOnData(DataCallback cb);
  void setOnClosed(ClosedCallback cb);

  // Reads land in this buffer, in place (libuv reads into its writable
  // space): a TLS layer can pass the buffer its BIO reads from. nullptr =
  // the socket's own. An outside buffer must outlive the socket or be
  // replaced first.
  void setReadBuffer(util::Buffer* buffer);
  util::Buffer& readBuffer() { return *readBuffer_; }

  // Back-pressure (rate limit, disk queue full): no reads, no read timeout.
  // May be called before connecting, then reading waits for resumeReading().
  // Bytes already in readBuffer() stay there; resuming does not replay them.
  void pauseReading();
  void resumeReading();
  bool readingPaused() const { return readPaused_; }

  // Fails the connection with Timeout when no byte arrives for this long
  // while reading (paused time does not count). 0 = never.
  void setReadTimeout(std::chrono::milliseconds timeout);

  // Queue bytes to send, in order; sent as soon as the socket is connected.
  // progress(sentNow, entryDone) reports this entry's bytes as the kernel
  // takes them. It may run before write() returns (when the kernel takes the
  // bytes at once), and may write(), close() or destroy the socket: a caller
  // whose progress callback can destroy the socket must not touch it after
  // write(). A send error reaches onClosed on a later tick, never inside
  // write(). Returns false (and drops the bytes) once closed.
  bool write(std::string bytes, WriteProgress progress = nullptr);
  bool write(util::SendQueue::Bytes bytes, WriteProgress progress = nullptr);
  // A slice of shared bytes, sent without a copy; they stay alive until sent.
  bool write(util::SendQueue::SharedBytes bytes, std::size_t offset, std::size_t length,
             WriteProgress progress = nullptr);
  bool writeCopy(const void* data, std::size_t size, WriteProgress progress = nullptr);
  std::size_t pendingWriteBytes() const;

  // Drops unsent bytes and closes. Idempotent; see the top of the file.
  void close();
  // Like close(), but the peer sees a reset (RST) rather than an orderly FIN.
  void abort();

  // Hands the connection to another loop: a copy of the OS socket, then this
  // object closes as by close() (callbacks dropped, the peer sees nothing).
  // Only while connected with nothing left to send. Bytes already read stay
  // in readBuffer(), for the caller to pass along. Pause reading first if
  // more bytes must not land here. (POSIX only for now: NotSupported on Windows.)
  Result<DetachedSocket> detach();
  // On `loop`'s thread: the detached connection as a socket of this loop,
  // Connected, set up as an accepted one, with reading paused until
  // resumeReading(). On failure the OS socket is closed.
  static Result<std::unique_ptr<TcpSocket>> adopt(EventLoop& loop, DetachedSocket detached);

  // Keeps `token` alive until the socket closes (or is detached and its
  // adopter closes): a way to count live connections whoever owns them.
  void attachUntilClosed(std::shared_ptr<const void> token);

  // SO_RCVBUF / SO_SNDBUF. Set before connect(), they apply as soon as the
  // OS socket exists (connect() creates it); later, at once. The getters read
  // the kernel's value back (Linux reports double what was asked); 0 while
  // there is no OS socket.
  Result<void> setReceiveBufferSize(int bytes);
  Result<void> setSendBufferSize(int bytes);
  int receiveBufferSize() const;
  int sendBufferSize() const;

  // The kernel's smoothed round-trip time of the connection (Linux, macOS);
  // nullopt where the OS does not say, or while not connected.
  std::optional<std::chrono::microseconds> smoothedRtt() const;

  bool isConnecting() const { return state_ == State::Connecting; }
  bool isConnected() const { return state_ == State::Connected; }
  bool isClosed() const { return state_ == State::Closed; }

  // The connect() target or the accepted peer; Unspecified before.
  const SocketAddress& remoteAddress() const { return remote_; }
  const SocketAddress& localAddress() const { return local_; }
  std::uint64_t bytesRead() const { return bytesRead_; }
  std::uint64_t bytesWritten() const { return bytesWritten_; }  // taken by the kernel

  EventLoop& loop() const { return loop_; }

 private:
  friend class TcpListener;
  friend struct TcpSocketBox;
  struct UvCallbacks;  // libuv's C callbacks (TcpSocketBox.h)

  enum class State : std::uint8_t { Idle, Connecting, Connected, Closed };

  // What close hands back to its caller to destroy last: captures may own this socket.
  struct Dropped {
    ConnectCallback connect;
    DataCallback data;
    ClosedCallback closed;
    util::SendQueue queue;
    std::shared_ptr<const void> token;
  };

  // For TcpListener: takes the pending connection of `server`.
  bool acceptFrom(uv_stream_s* server);

  void applyBufferSizes();
  void becomeConnected();
  void onConnected(int status);
  void failConnect(Error error);
  void deferConnectError(Error error);
  void onReadDone(long nread);
  void startReadingIfWanted();
  void armReadTimer();
  void onReadTimer();
  void fail(Result<void> reason);
  void deferFail(Error error);
  Dropped closeNow(bool reset);
  void onHandleClosed();  // the loop closed the handle at shutdown
  bool push(auto&& pushInto);
  WriteProgress guard(WriteProgress progress);
  void flush();
  bool account(std::size_t n);
  void onWriteDone(int status, std::size_t n);
  std::string peerText() const { return remote_.toString(); }

  EventLoop& loop_;
  TcpSocketBox* box_;           // freed by whoever finishes last: this socket or the handle's close
  Timer timer_;                 // the connect timeout, then the read timeout
  std::shared_ptr<char> life_;  // expires with this object: callbacks check it
  State state_ = State::Idle;

  ConnectCallback connectCb_;
  DataCallback onData_;
  ClosedCallback onClosed_;

  util::Buffer ownBuffer_{0};
  util::Buffer* readBuffer_ = &ownBuffer_;
  bool readPaused_ = false;
  bool reading_ = false;
  bool inFlush_ = false;
  bool writeFailed_ = false;  // a failure is posted: stop writing
  std::chrono::milliseconds readTimeout_{0};
  std::uint64_t lastReadMs_ = 0;
  Error pendingError_;  // a connect failure found synchronously, reported a tick later

  int wantReceiveBuffer_ = 0;
  int wantSendBuffer_ = 0;
  SocketAddress remote_;
  SocketAddress local_;
  std::uint64_t bytesRead_ = 0;
  std::uint64_t bytesWritten_ = 0;
  std::shared_ptr<const void> token_;  // attachUntilClosed()
};

}  // namespace tributary::loop
