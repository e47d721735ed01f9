// Internal to engine/loop (includes <uv.h>). The heap block that holds a
// libuv handle for its C++ owner (Timer, and later TCP/UDP wrappers).
//
// libuv needs the handle's memory until the close callback runs, which is
// after the owner may be gone; and at shutdown EventLoop closes every handle
// still open, which may be before the owner is gone. The box lets both orders
// work: whoever comes second frees it.
//
// Convention for every handle on an EventLoop: handle->data is either nullptr
// or the handle's HandleBox* (as the base class pointer), so the loop knows how
// to close it at shutdown.
#pragma once

#include <uv.h>

namespace tributary::loop {

struct HandleBox {
  HandleBox() = default;
  HandleBox(const HandleBox&) = delete;
  HandleBox& operator=(const HandleBox&) = delete;
  virtual ~HandleBox() = default;
  virtual uv_handle_t* handle() = 0;
  // Called on the loop thread when the handle has closed while its owner
  // lives: drop callbacks now, so what they capture dies on the loop's thread.
  // Destroying a capture may destroy the owner and so this box: move
  // callbacks into locals and touch no member after that.
  virtual void onClosed() {}

  bool ownerAlive = true;
  bool closed = false;  // the close callback has run: libuv no longer knows the handle
};

// Close callback for boxed handles: frees the box if its owner is gone.
void onHandleBoxClosed(uv_handle_t* handle);

// For the owner's destructor: closes the handle (if nobody did) and lets the
// box be freed when that finishes; frees it at once if it is already closed.
// Touches nothing but the box, so it is harmless after the loop is gone.
void releaseHandleBox(HandleBox* box);

// The box may not be used for new work: it is closed or closing.
inline bool handleBoxDead(HandleBox* box) {
  return box->closed || uv_is_closing(box->handle()) != 0;
}

}  // namespace tributary::loop
