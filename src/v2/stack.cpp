#include "wechatpay/v2/stack.hpp"

namespace wechatpay::v2 {

void install(HandlerStack& stack, std::shared_ptr<const Settings> settings) {
  stack.push(transform_response(settings), "transform_response");
  stack.push(http_errors(), "http_errors");
  stack.push(transform_request(std::move(settings)), "transform_request");
}

}  // namespace wechatpay::v2
