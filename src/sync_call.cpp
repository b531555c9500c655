#include "sync_call.hpp"

#include <utility>

namespace wechatpay::detail {

namespace {
thread_local bool sync_call_pending = false;
}  // namespace

SyncCallScope::SyncCallScope() noexcept : outer_(std::exchange(sync_call_pending, true)) {}

SyncCallScope::~SyncCallScope() {
  sync_call_pending = outer_;
}

bool take_sync_call() noexcept {
  return std::exchange(sync_call_pending, false);
}

}  // namespace wechatpay::detail
