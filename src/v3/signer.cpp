#include "wechatpay/v3/signer.hpp"

#include <ctime>

#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::v3 {

std::string signing_message(std::string_view method, std::string_view target,
                            std::string_view timestamp, std::string_view nonce,
                            std::string_view body) {
  std::string message;
  message.reserve(method.size() + target.size() + timestamp.size() + nonce.size() + body.size() +
                  5);
  for (auto part : {method, target, timestamp, nonce, body}) {
    message.append(part);
    message += '\n';
  }
  return message;
}

std::string authorization(const SigningIdentity& identity, std::string_view method,
                          std::string_view target, std::string_view body,
                          std::string_view timestamp, std::string_view nonce) {
  auto signature = crypto::rsa_sign_sha256(identity.key,
                                           signing_message(method, target, timestamp, nonce, body));
  std::string header = "WECHATPAY2-SHA256-RSA2048 mchid=\"";
  header.append(identity.mchid)
      .append("\",serial_no=\"")
      .append(identity.serial)
      .append("\",timestamp=\"")
      .append(timestamp)
      .append("\",nonce_str=\"")
      .append(nonce)
      .append("\",signature=\"")
      .append(signature)
      .append("\"");
  return header;
}

Middleware signer(std::shared_ptr<const SigningIdentity> identity) {
  return map_request([identity = std::move(identity)](Request request) {
    if (request.body_stream && !(request.options && request.options->signed_body)) {
      // Signing "" would send a request WeChat Pay refuses; say why here instead.
      throw Error("a streamed request body needs Options::signed_body (what the signature covers)");
    }
    auto timestamp = std::to_string(std::time(nullptr));
    const auto& covered = request.options && request.options->signed_body
                              ? *request.options->signed_body
                              : request.body;
    request.headers.set("Authorization", authorization(*identity, request.method, request.target(),
                                                       covered, timestamp, crypto::nonce()));
    return request;
  });
}

}  // namespace wechatpay::v3
