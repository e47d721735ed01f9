// Internal: a move-only std::function. Closures that own sockets, buffers or
// unique_ptrs cannot be copied, and C++20 has no std::move_only_function.
// Callables up to kInlineSize bytes with a nothrow move are stored inline, so
// posting a small closure to a loop allocates nothing.
#pragma once

#include <cstddef>
#include <functional>
#include <new>
#include <type_traits>
#include <utility>

namespace tributary::util {

template <class Sig>
class UniqueFunction;

template <class R, class... Args>
class UniqueFunction<R(Args...)> {
 public:
  static constexpr std::size_t kInlineSize = 4 * sizeof(void*);

  UniqueFunction() noexcept = default;
  UniqueFunction(std::nullptr_t) noexcept {}  // NOLINT(google-explicit-constructor)

  template <class F, class D = std::decay_t<F>,
            class = std::enable_if_t<!std::is_same_v<D, UniqueFunction> &&
                                     std::is_invocable_r_v<R, D&, Args...>>>
  UniqueFunction(F&& f) {  // NOLINT(google-explicit-constructor)
    if constexpr (std::is_pointer_v<D> || std::is_member_pointer_v<D>) {
      if (f == nullptr) {
        return;
      }
    } else if constexpr (kIsStdFunction<D>) {
      if (!f) {
        return;
      }
    }
    if constexpr (kStoredInline<D>) {
      ::new (static_cast<void*>(storage_.inlineBytes)) D(std::forward<F>(f));
    } else {
      storage_.heap = new D(std::forward<F>(f));
    }
    ops_ = &kOps<D>;
  }

  UniqueFunction(UniqueFunction&& other) noexcept { moveFrom(other); }
  UniqueFunction& operator=(UniqueFunction&& other) noexcept {
    if (this != &other) {
      reset();
      moveFrom(other);
    }
    return *this;
  }
  UniqueFunction& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }
  UniqueFunction(const UniqueFunction&) = delete;
  UniqueFunction& operator=(const UniqueFunction&) = delete;
  ~UniqueFunction() { reset(); }

  // const like std::function's, so a const holder can still call it.
  R operator()(Args... args) const { return ops_->invoke(storage_, std::forward<Args>(args)...); }
  explicit operator bool() const noexcept { return ops_ != nullptr; }

 private:
  union Storage {
    void* heap;
    alignas(void*) unsigned char inlineBytes[kInlineSize];
  };

  struct Ops {
    R (*invoke)(Storage&, Args&&...);
    // Moves the callable from src into the empty dst and destroys what is left in src.
    void (*relocate)(Storage& dst, Storage& src) noexcept;
    void (*destroy)(Storage&) noexcept;
  };

  template <class T>
  struct IsStdFunction : std::false_type {};
  template <class S>
  struct IsStdFunction<std::function<S>> : std::true_type {};
  template <class D>
  static constexpr bool kIsStdFunction = IsStdFunction<D>::value;

  template <class D>
  static constexpr bool kStoredInline =
      sizeof(D) <= kInlineSize &&
      alignof(void*) % alignof(D) == 0 && std::is_nothrow_move_constructible_v<D>;

  template <class D>
  static D& target(Storage& s) noexcept {
    if constexpr (kStoredInline<D>) {
      return *std::launder(reinterpret_cast<D*>(s.inlineBytes));
    } else {
      return *static_cast<D*>(s.heap);
    }
  }

  template <class D>
  static R invokeImpl(Storage& s, Args&&... args) {
    if constexpr (std::is_void_v<R>) {
      std::invoke(target<D>(s), std::forward<Args>(args)...);
    } else {
      return std::invoke(target<D>(s), std::forward<Args>(args)...);
    }
  }

  template <class D>
  static void relocateImpl(Storage& dst, Storage& src) noexcept {
    if constexpr (kStoredInline<D>) {
      D& from = target<D>(src);
      ::new (static_cast<void*>(dst.inlineBytes)) D(std::move(from));
      from.~D();  // NOLINT(bugprone-use-after-move): destroying the moved-from husk
    } else {
      dst.heap = src.heap;
      src.heap = nullptr;
    }
  }

  template <class D>
  static void destroyImpl(Storage& s) noexcept {
    if constexpr (kStoredInline<D>) {
      target<D>(s).~D();
    } else {
      delete static_cast<D*>(s.heap);
    }
  }

  template <class D>
  static constexpr Ops kOps{&invokeImpl<D>, &relocateImpl<D>, &destroyImpl<D>};

  void moveFrom(UniqueFunction& other) noexcept {
    if (other.ops_ != nullptr) {
      other.ops_->relocate(storage_, other.storage_);
      ops_ = other.ops_;
      other.ops_ = nullptr;
    }
  }

  void reset() noexcept {
    if (ops_ != nullptr) {
      const Ops* ops = ops_;
      ops_ = nullptr;
      ops->destroy(storage_);
    }
  }

  mutable Storage storage_;
  const Ops* ops_ = nullptr;
};

}  // namespace tributary::util
