// wxpay -v: each request as signed and each answer's status and headers, on a stream, with
// secrets redacted as the logging middleware redacts them (wechatpay/redact.hpp).
#pragma once

#include <ostream>

#include "wechatpay/client.hpp"

namespace wxpay {

// Pushes the tracing middleware innermost on both of `client`'s stacks, where it sees the
// request exactly as sent and the answer before it is verified or turned into an error.
void trace_exchanges(wechatpay::Client& client, std::ostream& out);

}  // namespace wxpay
