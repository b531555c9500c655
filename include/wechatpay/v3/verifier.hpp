// APIv3 response verification and error mapping.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "wechatpay/crypto/key_store.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/handler_stack.hpp"

namespace wechatpay::v3 {

// Seconds since the epoch; injectable so tests can move time.
using Clock = std::function<std::int64_t()>;
WECHATPAY_EXPORT std::int64_t system_now();

// Largest |now - Wechatpay-Timestamp| accepted, in seconds.
inline constexpr std::int64_t kMaxClockSkew = 300;

// "TIMESTAMP\nNONCE\nBODY\n" — what WeChat Pay's signature on a response or notification covers.
WECHATPAY_EXPORT std::string response_signing_message(std::string_view timestamp,
                                                      std::string_view nonce,
                                                      std::string_view body);

// Checks the four Wechatpay-* headers, the time window, the serial and the SHA256withRSA
// signature over "TIMESTAMP\nNONCE\nBODY\n"; throws VerificationError naming the failed check.
WECHATPAY_EXPORT void verify_response(const crypto::KeyStore& keys, const Response& response,
                                      std::int64_t now = system_now());
// The same checks for any signed message, e.g. a notification: its headers and raw body. The
// VerificationError carries them as its response() (status 0); `subject` names the message.
WECHATPAY_EXPORT void verify_signed(const crypto::KeyStore& keys, const Headers& headers,
                                    std::string_view body, std::int64_t now = system_now(),
                                    std::string_view subject = "notification");

// True for the unsigned downloads: GET /v3/billdownload/file and
// GET /v3/merchant-service/images/{media_id}.
WECHATPAY_EXPORT bool is_unsigned_download(std::string_view method, std::string_view path);

// Called when a response names a serial the key store lacks. It may refresh the store (say, by
// downloading the platform certificates) and must then call `resume` exactly once, on any
// thread; the response is verified again, once, against the store as it is then.
using UnknownSerialHook =
    std::function<void(const std::string& serial, std::function<void()> resume)>;

// Middleware "verifier": verifies every 2xx response, and every non-2xx response that carries
// a signature. Unsigned error responses pass on to "http_errors", which reports them.
WECHATPAY_EXPORT Middleware verifier(std::shared_ptr<const crypto::KeyStore> keys,
                                     Clock now = system_now,
                                     UnknownSerialHook on_unknown_serial = {});

// Middleware "http_errors": a non-2xx response becomes ApiError with code/message/detail; a 2xx
// body labelled with a non-JSON Content-Type (say text/html) becomes ResponseError. The unsigned
// downloads and bodies streamed to a sink or consumer are exempt.
WECHATPAY_EXPORT Middleware http_errors();

}  // namespace wechatpay::v3
