// WECHATPAY_EXPORT marks the public API: the library is built with -fvisibility=hidden, so only
// declarations carrying it are exported from libwechatpay.so. Harmless in a static build.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define WECHATPAY_EXPORT __attribute__((visibility("default")))
#else
#define WECHATPAY_EXPORT
#endif
