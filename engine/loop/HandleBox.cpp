#include "engine/loop/HandleBox.h"

namespace tributary::loop {

void onHandleBoxClosed(uv_handle_t* handle) {
  auto* box = static_cast<HandleBox*>(handle->data);
  box->closed = true;
  if (!box->ownerAlive) {
    delete box;
    return;
  }
  box->onClosed();  // may destroy the owner, which then frees the box: nothing after this
}

void releaseHandleBox(HandleBox* box) {
  if (box->closed) {
    delete box;
    return;
  }
  box->ownerAlive = false;
  if (uv_is_closing(box->handle()) == 0) {
    uv_close(box->handle(), onHandleBoxClosed);
  }
}

}  // namespace tributary::loop
