// A unique_ptr deleter that calls a C library's free function: unique_ptr<T, FreeWith<T_free>>.
#pragma once

namespace wechatpay::detail {

template <auto Free>
struct FreeWith {
  template <typename T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

}  // namespace wechatpay::detail
