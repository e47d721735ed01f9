// Internal: the packets of one uTP connection that arrived ahead of a gap,
// held until the gap fills. Bounded both in packets (a ring indexed by
// sequence number) and, by the caller, in bytes (they count against the
// receive window we advertise).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tributary::utp {

class UtpReorderBuffer {
 public:
  // capacity: how many sequence numbers past the next expected one may be
  // held; a power of two, at most what a selective ACK can describe.
  explicit UtpReorderBuffer(std::size_t capacity);

  std::size_t capacity() const { return capacity_; }
  bool has(std::uint16_t seq) const;
  // False if the slot is taken already (a duplicate).
  bool put(std::uint16_t seq, std::span<const std::byte> payload);
  // Moves the payload out and frees the slot; has(seq) must be true.
  std::vector<std::byte> take(std::uint16_t seq);
  // Frees every slot holding a sequence number after last (a FIN's).
  void discardAfter(std::uint16_t last);
  void clear();

  std::size_t bytes() const { return bytes_; }
  std::size_t packets() const { return packets_; }

 private:
  std::size_t slotOf(std::uint16_t seq) const { return seq & (capacity_ - 1); }

  std::size_t capacity_;
  std::vector<std::vector<std::byte>> payloads_;  // allocated on first use
  std::vector<bool> present_;
  std::vector<std::uint16_t> seqs_;  // which sequence number a slot holds
  std::size_t bytes_ = 0;
  std::size_t packets_ = 0;
};

}  // namespace tributary::utp
