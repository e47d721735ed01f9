// Internal: a byte vector whose storage starts on a 4 KiB boundary and whose
// resize() does not zero the new bytes.
//
// Why: a torrent's piece buffer goes to disk with O_DIRECT, which needs the
// memory, the file offset and the length aligned to the device's block size;
// glibc's malloc puts a 16-byte header in front of large blocks, so a plain
// std::vector never qualifies. And every byte of a piece buffer is written
// (the blocks) before anything reads it, so zeroing it first is wasted work
// on the hottest path of a download.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace tributary::util {

inline constexpr std::size_t kPageAlignment = 4096;

template <typename T>
class PageAlignedAllocator {
 public:
  using value_type = T;

  PageAlignedAllocator() noexcept = default;
  template <typename U>
  explicit PageAlignedAllocator(const PageAlignedAllocator<U>& /*other*/) noexcept {}

  T* allocate(std::size_t count) {
    return static_cast<T*>(::operator new (count * sizeof(T), std::align_val_t{kPageAlignment}));
  }
  void deallocate(T* pointer, std::size_t /*count*/) noexcept {
    ::operator delete (pointer, std::align_val_t{kPageAlignment});
  }

  // Default-initialisation instead of value-initialisation: for bytes, no
  // memset on resize().
  template <typename U>
  void construct(U* pointer) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(pointer)) U;
  }
  template <typename U, typename... Args>
  void construct(U* pointer, Args&&... args) {
    ::new (static_cast<void*>(pointer)) U(std::forward<Args>(args)...);
  }

  template <typename U>
  struct rebind {
    using other = PageAlignedAllocator<U>;
  };

  friend bool operator==(const PageAlignedAllocator&, const PageAlignedAllocator&) noexcept {
    return true;
  }
};

using PageAlignedBytes = std::vector<std::byte, PageAlignedAllocator<std::byte>>;

}  // namespace tributary::util
