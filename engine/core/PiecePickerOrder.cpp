#include "engine/core/PiecePickerOrder.h"

#include <utility>

namespace tributary::core {

void PiecePickerOrder::ensureBucket(std::uint32_t bucket) {
  // A new bucket starts empty at the end: the old sentinel becomes its start.
  while (bucketCount() <= bucket) {
    start_.push_back(size());
  }
}

void PiecePickerOrder::swapAt(std::uint32_t a, std::uint32_t b) {
  if (a == b) {
    return;
  }
  std::swap(items_[a], items_[b]);
  (*pos_)[items_[a]] = a;
  (*pos_)[items_[b]] = b;
}

void PiecePickerOrder::shuffleInto(std::uint32_t piece, std::uint32_t bucket) {
  const std::uint32_t first = start_[bucket];
  const std::uint32_t count = start_[bucket + 1] - first;
  if (count > 1) {
    swapAt((*pos_)[piece], first + static_cast<std::uint32_t>((*rng_)() % count));
  }
}

void PiecePickerOrder::insert(std::uint32_t piece, std::uint32_t bucket) {
  ensureBucket(bucket);
  items_.push_back(piece);
  (*pos_)[piece] = size() - 1;
  ++start_.back();
  // The piece starts at the end of the last bucket; each step hands it to the
  // bucket below by swapping with that bucket's first element.
  for (std::uint32_t k = bucketCount() - 1; k > bucket; --k) {
    swapAt((*pos_)[piece], start_[k]);
    ++start_[k];
  }
  shuffleInto(piece, bucket);
}

void PiecePickerOrder::remove(std::uint32_t piece, std::uint32_t bucket) {
  // Walk the piece up to the last bucket, then drop it from the array's end.
  for (std::uint32_t k = bucket; k + 1 < bucketCount(); ++k) {
    swapAt((*pos_)[piece], start_[k + 1] - 1);
    --start_[k + 1];
  }
  swapAt((*pos_)[piece], size() - 1);
  items_.pop_back();
  --start_.back();
  (*pos_)[piece] = kNone;
}

void PiecePickerOrder::moveUp(std::uint32_t piece, std::uint32_t bucket) {
  ensureBucket(bucket + 1);
  swapAt((*pos_)[piece], start_[bucket + 1] - 1);
  --start_[bucket + 1];
  shuffleInto(piece, bucket + 1);
}

void PiecePickerOrder::moveDown(std::uint32_t piece, std::uint32_t bucket) {
  swapAt((*pos_)[piece], start_[bucket]);
  ++start_[bucket];
  shuffleInto(piece, bucket - 1);
}

bool PiecePickerOrder::consistent(const std::vector<std::uint32_t>& availability) const {
  if (start_.front() != 0 || start_.back() != size()) {
    return false;
  }
  for (std::uint32_t b = 0; b < bucketCount(); ++b) {
    if (start_[b] > start_[b + 1]) {
      return false;
    }
    for (std::uint32_t i = start_[b]; i < start_[b + 1]; ++i) {
      if (availability[items_[i]] != b || (*pos_)[items_[i]] != i) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace tributary::core
