// APIv3 response verification and error mapping.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "wechatpay/crypto/key_store.hpp"
#include "wechatpay/handler_stack.hpp"

namespace wechatpay::v3 {

// Seconds since the epoch; injectable so tests can move time.
using Clock = std::function<std::int64_t()>;
std::int64_t system_now();

// Largest |now - Wechatpay-Timestamp| accepted, in seconds.
inline constexpr std::int64_t kMaxClockSkew = 300;

// Checks the four Wechatpay-* headers, the time window, the serial and the SHA256withRSA
// signature over "TIMESTAMP\nNONCE\nBODY\n"; throws VerificationError naming the failed check.
void verify_response(const crypto::KeyStore& keys, const Response& response,
                     std::int64_t now = system_now());

// True for the unsigned downloads: GET /v3/billdownload/file and
// GET /v3/merchant-service/images/{media_id}.
bool is_unsigned_download(std::string_view method, std::string_view path);

// Middleware "verifier": verifies every 2xx response, and every non-2xx response that carries
// a signature. Unsigned error responses pass on to "http_errors", which reports them.
Middleware verifier(std::shared_ptr<const crypto::KeyStore> keys, Clock now = system_now);

// Middleware "http_errors": a non-2xx response becomes ApiError with code/message/detail.
Middleware http_errors();

}  // namespace wechatpay::v3
