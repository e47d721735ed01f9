// TcpSocket's write path: SendQueue -> uv_try_write, then uv_write for what
// the kernel did not take at once.
#include "engine/loop/TcpSocket.h"

#include <array>
#include <span>
#include <utility>

#include "engine/loop/TcpSocketBox.h"
#include "engine/loop/UvError.h"

namespace tributary::loop {

namespace {

// One uv_write / uv_try_write covers at most this much, so progress reports
// come at least every MiB and one write never pins a huge iovec.
constexpr std::size_t kMaxWriteSpans = 64;
constexpr std::size_t kMaxWriteBytes = std::size_t{1} << 20;

}  // namespace

void TcpSocket::UvCallbacks::onWrite(uv_write_t* req, int status) {
  TcpSocketBox* box = boxOf(req->handle->data);
  box->writeInFlight = false;
  const std::size_t written = std::exchange(box->writeInFlightBytes, 0);
  const bool ownerClosed = !box->ownerAlive || box->owner->state_ == State::Closed;
  if (ownerClosed) {
    // close() left the bytes here for libuv; it is done with them now.
    // Destroying them may destroy the owner: nothing after this.
    util::SendQueue dropped = std::move(box->sendQueue);
    box->sendQueue.clear();
    return;
  }
  if (status == UV_ECANCELED) {
    return;  // the loop is closing the handle; onHandleClosed() cleans up
  }
  box->owner->onWriteDone(status, written);
}

TcpSocket::WriteProgress TcpSocket::guard(WriteProgress progress) {
  if (!progress) {
    return nullptr;
  }
  // One consume() may report several entries; once one of them closes the
  // socket, the others must stay silent.
  return [box = box_, progress = std::move(progress)](std::size_t sentNow, bool done) {
    if (!box->muted) {
      progress(sentNow, done);
    }
  };
}

bool TcpSocket::push(auto&& pushInto) {
  if (state_ == State::Closed) {
    return false;
  }
  loop_.assertInLoopThread();
  pushInto(box_->sendQueue);
  flush();
  return true;
}

bool TcpSocket::write(std::string bytes, WriteProgress progress) {
  return push([&](util::SendQueue& q) { q.push(std::move(bytes), guard(std::move(progress))); });
}

bool TcpSocket::write(util::SendQueue::Bytes bytes, WriteProgress progress) {
  return push([&](util::SendQueue& q) { q.push(std::move(bytes), guard(std::move(progress))); });
}

bool TcpSocket::write(util::SendQueue::SharedBytes bytes, std::size_t offset, std::size_t length,
                      WriteProgress progress) {
  return push([&](util::SendQueue& q) {
    q.push(std::move(bytes), offset, length, guard(std::move(progress)));
  });
}

bool TcpSocket::writeCopy(const void* data, std::size_t size, WriteProgress progress) {
  return push([&](util::SendQueue& q) { q.pushCopy(data, size, guard(std::move(progress))); });
}

std::size_t TcpSocket::pendingWriteBytes() const {
  return box_->sendQueue.pendingBytes();
}

void TcpSocket::flush() {
  // A progress callback that writes lands here while consume() is on the
  // stack (in a flush, or a finished uv_write): that caller flushes again once
  // consume() returns, and a second consume() meanwhile would corrupt the queue.
  if (state_ != State::Connected || inFlush_ || box_->consuming || box_->writeInFlight ||
      writeFailed_ || handleBoxDead(box_)) {
    return;
  }
  TcpSocketBox* box = box_;
  inFlush_ = true;
  while (!box->sendQueue.empty()) {
    std::array<std::span<const std::byte>, kMaxWriteSpans> spans;
    const std::size_t count = box->sendQueue.gather(spans, kMaxWriteBytes);
    if (count == 0) {
      // Only empty entries are left: consume(0) reports them.
      if (!account(0)) {
        return;  // closed or destroyed: touch nothing
      }
      continue;
    }
    std::array<uv_buf_t, kMaxWriteSpans> bufs;
    std::size_t total = 0;
    for (std::size_t i = 0; i < count; ++i) {
      // libuv's buffers are not const, but it only reads what it sends.
      auto* base = const_cast<char*>(reinterpret_cast<const char*>(spans[i].data()));
      bufs[i] = uv_buf_init(base, static_cast<unsigned>(spans[i].size()));
      total += spans[i].size();
    }
    const int n = uv_try_write(box->stream(), bufs.data(), static_cast<unsigned>(count));
    if (n > 0) {
      if (!account(static_cast<std::size_t>(n))) {
        return;
      }
      continue;
    }
    // Nothing taken (EAGAIN) or an error: uv_write either sends the rest as
    // the socket drains or reports the error through its callback, on a later
    // tick. Either way onClosed never runs inside the caller's write().
    const int rc = uv_write(&box->writeReq, box->stream(), bufs.data(),
                            static_cast<unsigned>(count), UvCallbacks::onWrite);
    if (rc == 0) {
      box->writeInFlight = true;
      box->writeInFlightBytes = total;
      break;
    }
    inFlush_ = false;
    deferFail(uvError(rc, "write to " + peerText()));
    return;
  }
  inFlush_ = false;
}

bool TcpSocket::account(std::size_t n) {
  // The box outlives this call even if a callback destroys the socket: the
  // handle is open (we are connected), so it is freed by a later close callback.
  TcpSocketBox* box = box_;
  const std::weak_ptr<char> alive = life_;
  bytesWritten_ += n;
  box->consuming = true;
  box->sendQueue.consume(n);
  box->consuming = false;
  if (alive.expired()) {
    return false;
  }
  if (state_ != State::Connected) {
    // A callback closed us while consume() ran: drop what close() had to leave.
    if (!box->writeInFlight) {
      util::SendQueue dropped = std::move(box->sendQueue);
      box->sendQueue.clear();
    }
    return false;
  }
  return true;
}

void TcpSocket::deferFail(Error error) {
  writeFailed_ = true;  // no more flushing: the socket is about to close
  // Same thread, a later tick; the weak token tells whether the socket is still there.
  loop_.post([this, alive = std::weak_ptr<char>(life_), error = std::move(error)]() mutable {
    if (!alive.expired() && state_ == State::Connected) {
      fail(std::move(error));
    }
  });
}

void TcpSocket::onWriteDone(int status, std::size_t n) {
  if (status < 0) {
    fail(uvError(status, "write to " + peerText()));
    return;
  }
  if (account(n)) {
    flush();
  }
}

}  // namespace tributary::loop
