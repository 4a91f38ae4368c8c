// A move-only `void()` callable stored inline when it fits in `capacity_bytes` (the lambdas the
// components schedule capture a pointer or two), on the heap otherwise. Unlike std::function it
// accepts move-only captures and never allocates for the common case.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace archlab {

class InlineAction {
public:
  static constexpr std::size_t capacity_bytes = 48;

  InlineAction() = default;
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, InlineAction>>>
  InlineAction(F&& f)  // NOLINT: implicit, like std::function
  {
    using Stored = std::decay_t<F>;
    if constexpr (sizeof(Stored) <= capacity_bytes && alignof(Stored) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible_v<Stored>) {
      new (storage_) Stored(std::forward<F>(f));
      ops_ = &inline_ops<Stored>;
    } else {
      *reinterpret_cast<Stored**>(storage_) = new Stored(std::forward<F>(f));
      ops_ = &heap_ops<Stored>;
    }
  }
  InlineAction(InlineAction&& other) noexcept { take(other); }
  InlineAction& operator=(InlineAction&& other) noexcept
  {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  InlineAction(const InlineAction&) = delete;
  InlineAction& operator=(const InlineAction&) = delete;
  ~InlineAction() { reset(); }

  explicit operator bool() const { return ops_ != nullptr; }
  void operator()() { ops_->call(storage_); }
  void reset()
  {
    if (ops_)
      ops_->destroy(storage_);
    ops_ = nullptr;
  }

private:
  struct Ops {
    void (*call)(void*);
    void (*move)(void* from, void* to);  // move-constructs into `to` and destroys `from`
    void (*destroy)(void*);
  };
  template <class F>
  static constexpr Ops inline_ops{
      [](void* p) { (*static_cast<F*>(p))(); },
      [](void* from, void* to) {
        new (to) F(std::move(*static_cast<F*>(from)));
        static_cast<F*>(from)->~F();
      },
      [](void* p) { static_cast<F*>(p)->~F(); }};
  template <class F>
  static constexpr Ops heap_ops{
      [](void* p) { (**static_cast<F**>(p))(); },
      [](void* from, void* to) { *static_cast<F**>(to) = *static_cast<F**>(from); },
      [](void* p) { delete *static_cast<F**>(p); }};

  void take(InlineAction& other)
  {
    ops_ = other.ops_;
    if (ops_)
      ops_->move(other.storage_, storage_);
    other.ops_ = nullptr;
  }

  alignas(std::max_align_t) unsigned char storage_[capacity_bytes];
  const Ops* ops_ = nullptr;
};

}  // namespace archlab
