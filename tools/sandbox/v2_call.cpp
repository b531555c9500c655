#include "v2_call.hpp"

#include <openssl/bn.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <rapidjson/document.h>

#include <vector>

#include "crypto/openssl_ptr.hpp"
#include "respond.hpp"
#include "wechatpay/contracts/validation.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/json.hpp"
#include "wechatpay/v2/signature.hpp"

namespace wechatpay::sandbox {
namespace {

using v2::XmlFields;

// The peer presented the merchant's certificate (the handshake has verified its chain).
bool has_merchant_certificate(const httplib::Request& request, const Credentials& credentials) {
  if (!request.ssl) return false;
  const X509* peer = SSL_get0_peer_certificate(request.ssl);
  if (!peer) return false;
  crypto::BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(peer), nullptr));
  if (!bn) return false;
  crypto::OpenSslStringPtr hex(BN_bn2hex(bn.get()));
  return hex && credentials.merchant_cert.serial == hex.get();
}

// The request's fields: the XML body, a multipart form's text parts, or the query of a GET
// (the SDK signs each).
XmlFields fields_of(const httplib::Request& request) {
  if (request.is_multipart_form_data()) {
    XmlFields fields;
    for (const auto& [name, part] : request.files) {
      if (part.filename.empty()) fields.add(name, part.content);
    }
    return fields;
  }
  if (request.method != "GET") return v2::parse_xml(request.body);
  XmlFields fields;
  for (const auto& [name, value] : request.params) fields.add(name, value);
  return fields;
}

// A multipart contract (secapi/mch/uploadmedia) lists the form's parts: each required file part
// (an `object`) present with a file name, the text parts checked as the fields they are.
void check_form_parts(const contracts::Contract& contract, const httplib::Request& request,
                      const rapidjson::Value& text, contracts::ValidationResult& result) {
  std::vector<contracts::Field> text_parts;
  for (const contracts::Field& part : contract.request.body) {
    if (part.type != contracts::FieldType::object) {
      text_parts.push_back(part);
      continue;
    }
    const bool sent =
        request.has_file(part.name) && !request.get_file_value(part.name).filename.empty();
    if (part.required && !sent) result.errors.push_back({part.name, "is required"});
  }
  contracts::validate_fields(text_parts, text, "", true, result);
}

// The contract's checks, as the SDK applies them before sending: the first problem is a FAIL
// naming the field ("out_trade_no参数缺失", "total_fee参数格式错误").
void check_fields(const contracts::Contract& contract, const httplib::Request& request,
                  const XmlFields& fields) {
  rapidjson::Document xml(rapidjson::kObjectType);
  Query query;
  for (const auto& [name, value] : fields) {
    xml.AddMember(rapidjson::Value(name.c_str(), xml.GetAllocator()),
                  rapidjson::Value(value.c_str(), xml.GetAllocator()), xml.GetAllocator());
    query.emplace_back(name, value);
  }
  // A POST may take query parameters too (secapi/mch/submchmanage's action).
  Query posted_query;
  for (const auto& [name, value] : request.params) posted_query.emplace_back(name, value);
  contracts::RequestParts parts;
  if (request.method == "GET") {
    parts.query = &query;
  } else {
    parts.xml = &xml;
    parts.query = &posted_query;
  }
  contracts::ValidationResult result = contracts::validate_request(contract, parts);
  check_form_parts(contract, request, xml, result);
  if (result.ok()) return;
  const contracts::Violation& first = result.errors.front();
  std::string name = first.path.starts_with("query.") ? first.path.substr(6) : first.path;
  throw V2Failure{name + (first.problem == "is required" ? "参数缺失" : "参数格式错误")};
}

// The first merchant-id field present (as the SDK finds it) must be this merchant's.
void check_merchant(const XmlFields& fields, const std::string& mchid) {
  for (std::string_view key : {"mch_id", "mchid", "combine_mch_id"}) {
    if (const std::string* given = fields.find(key)) {
      if (*given != mchid) throw V2Failure{std::string(key) + "参数格式错误"};
      return;
    }
  }
}

// An answer documented as JSON (retcode, retmsg: appauth/getaccesstoken).
bool answers_json(const contracts::Contract& contract) {
  for (const auto& field : contract.response) {
    if (field.name == "retcode") return true;
  }
  return false;
}

void reply_json(Sandbox& sandbox, const httplib::Request& request, httplib::Response& response,
                const XmlFields& answer, const Fault& fault) {
  Json body = Json::object();
  for (const auto& [name, value] : answer) {
    if (name == "return_code" || name == "return_msg") continue;
    body.set(name, value);
  }
  const bool ok = answer.value("return_code") == "SUCCESS";
  body.set("retcode", ok ? 0 : -1);
  body.set("retmsg", ok ? std::string("ok") : answer.value("return_msg"));
  send(sandbox, request, response, {.body = body.dump()}, fault);
}

// Signs and sends a v2 answer, applying `fault` (bad_signature spoils the sign, missing_headers
// drops it; 5xx/429 replace the answer; the rest act on the transport).
void reply_v2(Sandbox& sandbox, const httplib::Request& request, httplib::Response& response,
              XmlFields answer, v2::SignType sign_type, const Fault& fault) {
  int status = 200;
  if (fault.kind == FaultKind::kServerError || fault.kind == FaultKind::kTooManyRequests) {
    status = fault.kind == FaultKind::kServerError ? fault.status : 429;
    // The real service's code alone, no sandbox wording (main's fault tests look for it).
    answer = {{"return_code", "FAIL"}, {"return_msg", "SYSTEMERROR"}};
  } else if (answer.value("return_code") == "SUCCESS") {
    answer.set("nonce_str", crypto::nonce(32));
    answer.erase("sign");
    answer.set("sign", v2::sign(answer, sandbox.credentials.secret, sign_type));
    if (fault.kind == FaultKind::kBadSignature) {
      std::string sign = answer.at("sign");
      sign[0] = sign[0] == 'A' ? 'B' : 'A';
      answer.set("sign", sign);
    } else if (fault.kind == FaultKind::kMissingHeaders) {
      answer.erase("sign");
    }
  }
  send(sandbox, request, response,
       {.status = status,
        .body = v2::to_xml(answer, true),
        .content_type = "text/xml; charset=utf-8"},
       fault);
}

XmlFields fail(std::string message) {
  return {{"return_code", "FAIL"}, {"return_msg", std::move(message)}};
}

}  // namespace

const std::string& required(const XmlFields& fields, std::string_view name) {
  const std::string* value = fields.find(name);
  if (!value || value->empty()) throw V2Failure{std::string(name) + "参数缺失"};
  return *value;
}

httplib::Server::Handler serve_v2(Sandbox& sandbox, const contracts::Contract& contract,
                                  V2Handler handler) {
  return serve_v2(
      sandbox, contract,
      [handler = std::move(handler)](Sandbox& sandbox, const XmlFields& fields,
                                     const httplib::Request&) { return handler(sandbox, fields); });
}

httplib::Server::Handler serve_v2(Sandbox& sandbox, const contracts::Contract& contract,
                                  V2FormHandler handler) {
  return [&sandbox, &contract, handler = std::move(handler)](const httplib::Request& request,
                                                             httplib::Response& response) {
    Fault fault;
    v2::SignType sign_type = v2::SignType::kMd5;
    XmlFields answer;
    try {
      fault = sandbox.faults.take(request);
      if (contract.request.security && !has_merchant_certificate(request, sandbox.credentials)) {
        throw V2Failure{"CERT_ERROR"};
      }
      XmlFields fields = fields_of(request);
      check_fields(contract, request, fields);
      check_merchant(fields, sandbox.credentials.mchid);
      sign_type = v2::parse_sign_type(fields.value("sign_type"));
      if (!v2::verify(fields, sandbox.credentials.secret, sign_type)) {
        throw V2Failure{"签名错误"};
      }
      answer = {{"return_code", "SUCCESS"}, {"return_msg", "OK"}};
      for (const char* name : {"appid", "mch_id"}) {
        if (fields.contains(name)) answer.add(name, fields.at(name));
      }
      try {
        for (auto& [key, value] : handler(sandbox, fields, request)) answer.set(key, value);
      } catch (const V2ResultFailure& failure) {
        answer.set("result_code", "FAIL");
        answer.set("err_code", failure.err_code);
        answer.set("err_code_des", failure.err_code_des);
      }
    } catch (const V2Failure& failure) {
      answer = fail(failure.return_msg);
    } catch (const std::invalid_argument& e) {  // an unknown fault name
      answer = fail(e.what());
    } catch (const XmlError&) {
      answer = fail("XML格式错误");
    } catch (const ConfigError&) {  // an unknown sign_type
      answer = fail("sign_type参数格式错误");
    }
    if (answers_json(contract)) return reply_json(sandbox, request, response, answer, fault);
    reply_v2(sandbox, request, response, std::move(answer), sign_type, fault);
  };
}

}  // namespace wechatpay::sandbox
