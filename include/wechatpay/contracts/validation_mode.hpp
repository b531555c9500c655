// How a request is checked against its contract before it is sent.
#pragma once

namespace wechatpay {

enum class ValidationMode {
  off,       // not checked
  log_only,  // problems go to the client's logger; the request is sent
  enforce,   // a problem raises ValidationError and nothing is sent
};

}  // namespace wechatpay
