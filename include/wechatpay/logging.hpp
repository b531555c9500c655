// Opt-in debug logging of the traffic, as a middleware named "logging". Push it innermost, so it
// sees the signed request and the raw response (or transport failure):
//   client.stack().push(wechatpay::logging(logger), "logging");     // APIv3
//   client.v2_stack().push(wechatpay::logging(logger), "logging");  // APIv2
// Two LogLevel::debug lines per request:
//   --> POST https://api.mch.weixin.qq.com/v3/pay/transactions/native, 312 body bytes,
//       Authorization WECHATPAY2-SHA256-RSA2048 mchid="1900000001",serial_no="5157F09E…"
//   <-- 200 POST https://api.mch.weixin.qq.com/v3/pay/transactions/native, Request-ID 08DE…,
//       41 ms, 96 body bytes            (or "<-- failed …, 41 ms: <the error's message>")
// Never logged: bodies (they hold encrypted fields and the APIv2 `sign`), header values other
// than the redacted Authorization (scheme, mchid and serial only: no signature) and Request-ID,
// and the value of a `sign`/`paySign` query parameter.
#pragma once

#include "wechatpay/export.hpp"
#include "wechatpay/handler_stack.hpp"
#include "wechatpay/log.hpp"

namespace wechatpay {

// The logger runs on the calling thread for the request line and on the transport's I/O thread
// for the outcome; ConfigError for an empty logger.
WECHATPAY_EXPORT Middleware logging(Logger logger);

}  // namespace wechatpay
