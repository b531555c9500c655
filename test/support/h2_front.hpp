// nghttpx (Debian's nghttp2-proxy) as an HTTP/2 TLS front before a sandbox: it speaks h2 or
// HTTP/1.1 to clients (ALPN) and HTTP/1.1 over TLS to the sandbox, with the sandbox's own
// server certificate, so a client configured for the sandbox trusts it unchanged.
#pragma once

#include <sys/types.h>

#include <string>

namespace wechatpay::test {

class H2Front {
 public:
  // The nghttpx binary, or "" when it is not installed.
  static std::string binary();

  // Fronts the sandbox at `backend_base_uri` ("https://127.0.0.1:PORT/") whose credentials are in
  // `state_dir`. std::runtime_error when nghttpx is missing or does not listen within 10 s.
  H2Front(const std::string& backend_base_uri, const std::string& state_dir);
  ~H2Front();
  H2Front(const H2Front&) = delete;
  H2Front& operator=(const H2Front&) = delete;

  const std::string& base_uri() const { return base_uri_; }

 private:
  pid_t pid_ = -1;
  std::string base_uri_;
};

}  // namespace wechatpay::test
