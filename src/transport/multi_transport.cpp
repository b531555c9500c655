#include "transport/multi_transport.hpp"

#include <utility>

#include "sync_call.hpp"

namespace wechatpay::detail {

void MultiTransport::send(Request request, Completion done) {
  const bool sync_call = take_sync_call();
  if (sync_call && !request.transfer.http2 && !on_io_thread()) {
    sync_.perform(std::move(request), std::move(done));
    return;
  }
  multi_->enqueue(std::move(request), std::move(done));
}

}  // namespace wechatpay::detail
