// RAII ownership of libcurl handles and the process-wide libcurl initialisation.
#pragma once

#include <memory>

#include <curl/curl.h>

#include "free_with.hpp"

namespace wechatpay::detail {

template <auto Free>
using CurlDeleter = FreeWith<Free>;

using CurlEasyPtr = std::unique_ptr<CURL, CurlDeleter<curl_easy_cleanup>>;
using CurlMultiPtr = std::unique_ptr<CURLM, CurlDeleter<curl_multi_cleanup>>;
using CurlSlistPtr = std::unique_ptr<curl_slist, CurlDeleter<curl_slist_free_all>>;

// curl_global_init exactly once per process; never cleaned up, since other code in the
// process (or a transport still shutting down) may use libcurl until exit.
void ensure_curl_global_init();

}  // namespace wechatpay::detail
