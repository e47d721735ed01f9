// Internal: the picker's rarest-first order. Pieces sit in one array grouped
// into buckets by availability (bucket a holds the pieces a peers have), rarest
// bucket first, in random order inside a bucket. That is libtorrent's
// piece_picker layout: "the rarest piece this peer has" is a scan from the
// front that usually stops within a few entries, and no sort ever runs.
//
// Costs, with B the number of buckets (the highest availability seen, so at
// most the number of peers):
//   moveUp / moveDown (availability +-1)   O(1): one swap at a bucket edge
//   insert / remove                        O(B): one swap per bucket boundary
// Each move ends with a swap to a random place in the new bucket, so ties are
// broken at random and stay so as availability changes.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace tributary::core {

class PiecePickerOrder {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFU;

  // `positions` (piece -> index in this order) is shared by the orders of one
  // picker: a piece is in at most one of them at a time.
  PiecePickerOrder(std::vector<std::uint32_t>& positions, std::mt19937& rng)
      : pos_(&positions), rng_(&rng) {}

  void insert(std::uint32_t piece, std::uint32_t bucket);
  void remove(std::uint32_t piece, std::uint32_t bucket);
  void moveUp(std::uint32_t piece, std::uint32_t bucket);    // bucket -> bucket + 1
  void moveDown(std::uint32_t piece, std::uint32_t bucket);  // bucket -> bucket - 1 (bucket > 0)

  std::uint32_t size() const noexcept { return static_cast<std::uint32_t>(items_.size()); }
  bool empty() const noexcept { return items_.empty(); }
  std::uint32_t operator[](std::uint32_t index) const noexcept { return items_[index]; }
  const std::vector<std::uint32_t>& items() const noexcept { return items_; }

  // For tests: buckets are contiguous and ascending, positions match.
  bool consistent(const std::vector<std::uint32_t>& availability) const;

 private:
  void ensureBucket(std::uint32_t bucket);
  void swapAt(std::uint32_t a, std::uint32_t b);
  void shuffleInto(std::uint32_t piece, std::uint32_t bucket);
  std::uint32_t bucketCount() const noexcept {
    return static_cast<std::uint32_t>(start_.size() - 1);
  }

  std::vector<std::uint32_t> items_;
  // start_[b] = first index of bucket b; start_.back() == items_.size().
  std::vector<std::uint32_t> start_{0};
  std::vector<std::uint32_t>* pos_;
  std::mt19937* rng_;
};

}  // namespace tributary::core
