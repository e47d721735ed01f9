#include "engine/utp/UtpStream.h"

#include <utility>

namespace tributary::utp {

UtpStream::UtpStream(UtpSocketManager& manager)
    : manager_(&manager), loop_(manager.loop()), life_(std::make_shared<char>(0)) {}

util::Buffer& UtpStream::readBuffer() {
  return entry_ != nullptr ? entry_->conn->received() : closedBuffer_;
}

UtpStream::~UtpStream() {
  // After the loop stopped (its handles closed) any thread may destroy it, as a TcpSocket.
  if (manager_ != nullptr && !manager_->loop().isClosed()) {
    manager_->loop().assertInLoopThread();
  }
  close();
}

void UtpStream::connect(const loop::SocketAddress& to, std::chrono::milliseconds timeout,
                        ConnectCallback cb) {
  if (state_ != State::Idle || manager_ == nullptr) {
    return;
  }
  manager_->loop().assertInLoopThread();
  remote_ = to;
  state_ = State::Connecting;
  connectCb_ = std::move(cb);
  const std::uint64_t timeoutUs =
      timeout.count() > 0 ? static_cast<std::uint64_t>(timeout.count()) * 1000 : 0;
  entry_ = manager_->dial(this, to, timeoutUs);
  if (entry_ == nullptr) {
    // Too many connections: reported a tick later, never inside connect().
    std::weak_ptr<char> life = life_;
    manager_->loop().post([this, life] {
      if (!life.expired() && state_ == State::Connecting) {
        finish(Error{ErrorCode::IoError, "utp: too many connections"});
      }
    });
  }
}

const UtpConnection* UtpStream::connection() const {
  return entry_ != nullptr ? entry_->conn.get() : nullptr;
}

loop::SocketAddress UtpStream::localAddress() const {
  return manager_ != nullptr ? manager_->localAddress() : loop::SocketAddress{};
}

std::optional<std::chrono::microseconds> UtpStream::smoothedRtt() const {
  const UtpConnection* c = connection();
  if (c == nullptr || !c->congestion().hasRtt()) {
    return std::nullopt;
  }
  return std::chrono::microseconds(c->congestion().rttUs());
}

std::size_t UtpStream::pendingWriteBytes() const {
  const UtpConnection* c = connection();
  return c != nullptr ? c->pendingWriteBytes() : 0;
}

UtpStream::WriteProgress UtpStream::defer(WriteProgress progress) {
  if (!progress) {
    return nullptr;
  }
  // The connection reports progress from inside its own calls, where the
  // owner's code must not run: the reports wait in deferred_ until it returns.
  auto shared = std::make_shared<WriteProgress>(std::move(progress));
  std::weak_ptr<char> life = life_;
  return [this, life, shared](std::size_t sentNow, bool done) {
    if (!life.expired()) {
      deferred_.push_back({shared, sentNow, done});
    }
  };
}

template <class Push>
bool UtpStream::push(WriteProgress progress, Push&& pushInto) {
  if (entry_ == nullptr || !entry_->conn->canWrite() ||
      (state_ != State::Connecting && state_ != State::Connected)) {
    return false;
  }
  manager_->loop().assertInLoopThread();
  pushInto(entry_->conn->sendQueue(), defer(std::move(progress)));
  entry_->conn->flush(manager_->nowUs());
  manager_->reschedule(*entry_);
  syncCounters();
  runDeferred();
  return true;
}

bool UtpStream::write(std::string bytes, WriteProgress progress) {
  return push(std::move(progress),
              [&](util::SendQueue& q, WriteProgress p) { q.push(std::move(bytes), std::move(p)); });
}

bool UtpStream::write(util::SendQueue::Bytes bytes, WriteProgress progress) {
  return push(std::move(progress),
              [&](util::SendQueue& q, WriteProgress p) { q.push(std::move(bytes), std::move(p)); });
}

bool UtpStream::write(util::SendQueue::SharedBytes bytes, std::size_t offset, std::size_t length,
                      WriteProgress progress) {
  return push(std::move(progress), [&](util::SendQueue& q, WriteProgress p) {
    q.push(std::move(bytes), offset, length, std::move(p));
  });
}

bool UtpStream::writeCopy(const void* data, std::size_t size, WriteProgress progress) {
  return push(std::move(progress),
              [&](util::SendQueue& q, WriteProgress p) { q.pushCopy(data, size, std::move(p)); });
}

bool UtpStream::runDeferred() {
  if (deferred_.empty()) {
    return true;
  }
  std::weak_ptr<char> life = life_;
  std::vector<Report> reports = std::move(deferred_);
  deferred_.clear();
  for (Report& r : reports) {
    if (*r.progress) {
      (*r.progress)(r.sentNow, r.done);
    }
    if (life.expired() || state_ == State::Closed) {
      return false;
    }
  }
  return true;
}

void UtpStream::syncCounters() {
  if (entry_ != nullptr) {
    bytesRead_ = entry_->conn->bytesRead();
    bytesWritten_ = entry_->conn->bytesWritten();
  }
}

void UtpStream::resumeReading() {
  if (!readPaused_) {
    return;
  }
  readPaused_ = false;
  deliverLater();
}

void UtpStream::setOnData(DataCallback cb) {
  onData_ = std::move(cb);
  ++onDataGeneration_;
  if (onData_ && entry_ != nullptr && entry_->conn->received().readableBytes() > 0) {
    deliverLater();
  }
}

void UtpStream::deliverLater() {
  if (manager_ == nullptr) {
    return;
  }
  // Bytes (or an EOF) that waited are handed over a tick later, not inside the caller's call.
  std::weak_ptr<char> life = life_;
  manager_->loop().post([this, life] {
    if (!life.expired() && state_ == State::Connected && !readPaused_) {
      deliver();
    }
  });
}

bool UtpStream::deliver() {
  if (entry_ == nullptr) {
    return true;
  }
  std::weak_ptr<char> life = life_;
  util::Buffer& buffer = entry_->conn->received();
  if (!readPaused_ && onData_ && buffer.readableBytes() > 0) {
    // Run a moved-out copy: the callback may close or destroy the stream, or
    // set another callback, which would destroy the closure while it runs.
    DataCallback cb = std::move(onData_);
    onData_ = nullptr;
    const std::uint64_t generation = onDataGeneration_;
    cb(buffer);
    if (life.expired() || state_ == State::Closed) {
      return false;
    }
    if (onDataGeneration_ == generation) {
      onData_ = std::move(cb);
    }
  }
  if (!readPaused_) {
    // Also after the owner took bytes through readBuffer() outside onData:
    // the window reopens either way.
    entry_->conn->onConsumed(manager_->nowUs());
    manager_->reschedule(*entry_);
  }
  if (eofPending_ && !readPaused_) {
    finish(Result<void>{});
    return false;
  }
  return true;
}

void UtpStream::onEvents(unsigned events) {
  syncCounters();
  std::weak_ptr<char> life = life_;
  if (!runDeferred()) {
    return;
  }
  if ((events & UtpConnection::kConnected) != 0 && state_ == State::Connecting) {
    state_ = State::Connected;
    ConnectCallback cb = std::move(connectCb_);
    connectCb_ = nullptr;
    if (cb) {
      cb(Result<void>{});
      if (life.expired() || state_ == State::Closed) {
        return;
      }
    }
  }
  if ((events & UtpConnection::kEof) != 0) {
    eofPending_ = true;
  }
  if ((events & UtpConnection::kFailed) != 0) {
    finish(entry_->conn->error());
    return;
  }
  if (state_ == State::Connected) {
    deliver();
  }
}

void UtpStream::finish(Result<void> reason) {
  if (state_ == State::Closed) {
    return;
  }
  const bool connecting = state_ == State::Connecting;
  ConnectCallback connectCb = std::move(connectCb_);
  ClosedCallback closedCb = std::move(onClosed_);
  close();
  // Like TcpSocket: a failed connect reports through its callback only.
  if (connecting) {
    if (connectCb) {
      connectCb(reason.ok() ? Result<void>(Error{ErrorCode::ConnectionReset, "utp: closed"})
                            : reason);
    }
  } else if (closedCb) {
    closedCb(std::move(reason));
  }
}

void UtpStream::dropCallbacks() {
  // Destroyed only after the state is final, so captures that own this stream are safe.
  ConnectCallback c = std::move(connectCb_);
  DataCallback d = std::move(onData_);
  ClosedCallback cl = std::move(onClosed_);
  connectCb_ = nullptr;
  onData_ = nullptr;
  onClosed_ = nullptr;
  deferred_.clear();
  token_.reset();
}

void UtpStream::close() {
  if (state_ == State::Closed) {
    return;
  }
  state_ = State::Closed;
  syncCounters();
  if (entry_ != nullptr && manager_ != nullptr) {
    UtpSocketManager::Entry* entry = entry_;
    entry_ = nullptr;
    entry->conn->close(manager_->nowUs());
    manager_->detach(entry);
  }
  dropCallbacks();
}

void UtpStream::abort() {
  if (state_ == State::Closed) {
    return;
  }
  if (entry_ != nullptr && manager_ != nullptr) {
    entry_->conn->abort(manager_->nowUs());
  }
  close();
}

void UtpStream::onManagerGone() {
  state_ = State::Closed;
  syncCounters();
  entry_ = nullptr;
  manager_ = nullptr;
  dropCallbacks();
}

}  // namespace tributary::utp
