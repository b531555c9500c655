// The APIv3 seed endpoints and the platform certificate download.
#include "contract_routes.hpp"
#include "contract_rules.hpp"
#include "routes.hpp"
#include "util.hpp"
#include "v3_call.hpp"
#include "v3_security.hpp"
#include "wechatpay/crypto/aes_gcm.hpp"
#include "wechatpay/crypto/nonce.hpp"

namespace wechatpay::sandbox {
namespace {

constexpr int kTokenLifetime = 1800;

// A fresh token; bench mode answers a constant one so its signature can be reused.
std::string token(const Sandbox& sandbox, std::string_view prefix) {
  return std::string(prefix) + (sandbox.bench ? "bench" : crypto::nonce(40));
}

// A token endpoint (payroll card, offline face): the request checked against its contract, the
// answer contract-shaped, with a fresh token.
V3Answer payroll_token(V3Call& call, std::string_view uri_template, std::string_view prefix) {
  const contracts::Contract& contract = contract_of("POST", uri_template);
  check_request(call, contract);
  Json answer = contract_answer(call, contract, call.body());
  answer.set("token", token(call.sandbox, prefix));
  answer.set("expires_in", kTokenLifetime);
  return {200, std::move(answer)};
}

V3Answer payroll_card_token(V3Call& call) {
  return payroll_token(call, "v3/payroll-card/tokens", "V1_PAYROLL_");
}

V3Answer pre_order_with_auth(V3Call& call) {
  return payroll_token(call, "v3/payroll-card/authentications/pre-order-with-auth", "V1_AUTH_");
}

V3Answer offlineface_token(V3Call& call) {
  return payroll_token(call, "v3/offlinefacemch/tokens", "V1_FACE_");
}

// Every platform certificate still valid (after a rotation: the old and the new), each
// AEAD_AES_256_GCM-sealed with the APIv3 key, signed with the newest. In public-key-only mode
// WeChat Pay has none to list: a signed 404 RESOURCE_NOT_EXISTS.
V3Answer certificates(V3Call& call) {
  auto keys = call.sandbox.platform.snapshot();
  if (keys->public_key_only) {
    throw ApiFailure{404, "RESOURCE_NOT_EXISTS", "无可用的平台证书，请使用微信支付公钥"};
  }
  const std::string& apiv3_key = call.sandbox.credentials.apiv3_key;
  Json::Array data;
  for (const auto& [certificate, key] : keys->certificates) {
    std::string nonce = crypto::nonce(12);
    Json encrypted = {{"algorithm", "AEAD_AES_256_GCM"},
                      {"nonce", nonce},
                      {"associated_data", "certificate"},
                      {"ciphertext", crypto::aes_256_gcm_encrypt(apiv3_key, nonce, "certificate",
                                                                 certificate.pem)}};
    data.push_back({{"serial_no", certificate.serial},
                    {"effective_time", rfc3339_beijing(certificate.not_before)},
                    {"expire_time", rfc3339_beijing(certificate.not_after)},
                    {"encrypt_certificate", encrypted}});
  }
  return {.body = {{"data", Json(std::move(data))}}, .serial = keys->newest().certificate.serial};
}

}  // namespace

void add_v3_routes(httplib::Server& server, Sandbox& sandbox) {
  server.Post("/v3/payroll-card/tokens", serve_v3(sandbox, payroll_card_token));
  server.Post("/v3/payroll-card/authentications/pre-order-with-auth",
              serve_v3(sandbox, pre_order_with_auth));
  server.Post("/v3/offlinefacemch/tokens", serve_v3(sandbox, offlineface_token));
  server.Get("/v3/certificates", serve_v3(sandbox, certificates));
}

void add_not_found_routes(httplib::Server& server, Sandbox& sandbox) {
  auto not_found = [&sandbox](const httplib::Request& request, httplib::Response& response) {
    if (serve_contract(sandbox, request, response)) return;
    Fault fault;
    try {
      fault = sandbox.faults.take(request);
    } catch (const std::invalid_argument&) {
      // An unknown fault name on an unknown path: the 404 says enough.
    }
    reply_v3(sandbox, request, response, 404,
             error_body("RESOURCE_NOT_EXISTS",
                        "no such endpoint: " + request.method + " " + request.path),
             fault);
  };
  server.Get(".*", not_found);
  server.Post(".*", not_found);
  server.Put(".*", not_found);
  server.Patch(".*", not_found);
  server.Delete(".*", not_found);
}

}  // namespace wechatpay::sandbox
