// v3::parse_notification with a fixed key store and APIv3 key. The input is "Name: value"
// header lines, an empty line, then the body. The first byte selects what the harness does
// before parsing, so that inputs get past the checks a fuzzer cannot satisfy by itself:
//   bit 0: replace the headers by WeChat Pay's valid signature over the body;
//   bit 1: the body is "ENVELOPE\0PLAINTEXT": resource.ciphertext becomes PLAINTEXT sealed under
//          the APIv3 key with the resource's own nonce and associated_data.
#include <cstdint>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "fuzz/fuzz_support.hpp"
#include "fuzz/json_walk.hpp"
#include "wechatpay/crypto/aes_gcm.hpp"
#include "wechatpay/v3/notification.hpp"

using namespace wechatpay;

namespace {

std::string sealed_envelope(std::string_view body) {
  const auto split = body.find('\0');
  if (split == std::string_view::npos) return std::string(body);
  const auto envelope = body.substr(0, split);
  const auto plaintext = body.substr(split + 1);
  rapidjson::Document doc;
  doc.Parse(envelope.data(), envelope.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::string(envelope);
  auto resource = doc.FindMember("resource");
  if (resource == doc.MemberEnd() || !resource->value.IsObject()) return std::string(envelope);
  auto& sealed = resource->value;
  auto nonce = sealed.FindMember("nonce");
  auto associated_data = sealed.FindMember("associated_data");
  if (nonce == sealed.MemberEnd() || !nonce->value.IsString()) return std::string(envelope);
  const std::string ad = associated_data != sealed.MemberEnd() && associated_data->value.IsString()
                             ? associated_data->value.GetString()
                             : "";
  std::string ciphertext;
  try {
    ciphertext = crypto::aes_256_gcm_encrypt(
        fuzz::kApiV3Key, {nonce->value.GetString(), nonce->value.GetStringLength()}, ad, plaintext);
  } catch (const CryptoError&) {  // a nonce OpenSSL refuses (empty)
    return std::string(envelope);
  }
  rapidjson::Value value(ciphertext.c_str(), doc.GetAllocator());
  if (auto member = sealed.FindMember("ciphertext"); member != sealed.MemberEnd()) {
    member->value = value;
  } else {
    sealed.AddMember("ciphertext", value, doc.GetAllocator());
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::Input input(data, size);
  if (size == 0) return 0;
  auto message = fuzz::split_message(fuzz::as_text(data + 1, size - 1));
  if (data[0] & 2) message.body = sealed_envelope(message.body);
  if (data[0] & 1) message.headers = fuzz::signed_headers(message.body);
  try {
    const auto notification = v3::parse_notification(fuzz::key_store(), fuzz::kApiV3Key,
                                                     message.headers, message.body, fuzz::kNow);
    fuzz::require(!notification.id.empty() || message.body.find("\"id\"") != std::string::npos,
                  "accepted a notification without an id");
    try {
      fuzz::walk(notification.json(), notification.event_type);
    } catch (const Error& e) {
      fuzz::check_error(e);
    }
  } catch (const VerificationError& e) {
    fuzz::check_error(e);
    fuzz::require(e.response().body == message.body, "the error does not carry the body");
  } catch (const Error& e) {
    fuzz::check_error(e);
  }
  return 0;
}
