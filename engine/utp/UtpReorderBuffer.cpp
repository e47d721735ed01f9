#include "engine/utp/UtpReorderBuffer.h"

#include <utility>

namespace tributary::utp {

UtpReorderBuffer::UtpReorderBuffer(std::size_t capacity) : capacity_(capacity) {}

bool UtpReorderBuffer::has(std::uint16_t seq) const {
  if (present_.empty()) {
    return false;
  }
  const std::size_t slot = slotOf(seq);
  return present_[slot] && seqs_[slot] == seq;
}

bool UtpReorderBuffer::put(std::uint16_t seq, std::span<const std::byte> payload) {
  if (present_.empty()) {
    payloads_.resize(capacity_);
    present_.assign(capacity_, false);
    seqs_.assign(capacity_, 0);
  }
  const std::size_t slot = slotOf(seq);
  if (present_[slot]) {
    return false;
  }
  payloads_[slot].assign(payload.begin(), payload.end());
  present_[slot] = true;
  seqs_[slot] = seq;
  bytes_ += payload.size();
  ++packets_;
  return true;
}

std::vector<std::byte> UtpReorderBuffer::take(std::uint16_t seq) {
  const std::size_t slot = slotOf(seq);
  present_[slot] = false;
  std::vector<std::byte> out = std::move(payloads_[slot]);
  payloads_[slot] = {};
  bytes_ -= out.size();
  --packets_;
  return out;
}

void UtpReorderBuffer::discardAfter(std::uint16_t last) {
  for (std::size_t slot = 0; slot < present_.size(); ++slot) {
    const auto after = static_cast<std::uint16_t>(seqs_[slot] - last);
    if (present_[slot] && after != 0 && after < 0x8000) {
      (void)take(seqs_[slot]);
    }
  }
}

void UtpReorderBuffer::clear() {
  payloads_.clear();
  present_.clear();
  seqs_.clear();
  bytes_ = 0;
  packets_ = 0;
}

}  // namespace tributary::utp
