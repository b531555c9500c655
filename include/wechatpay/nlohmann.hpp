// nlohmann-json interop, optional: include this header only where nlohmann/json.hpp is available
// (Debian: nlohmann-json3-dev). The library itself never includes it.
//   nlohmann::ordered_json order = {{"appid", "wx..."}, {"amount", {{"total", 100}}}};
//   auto r = client["v3/pay/transactions/native"]->post({.json = wechatpay::from_nlohmann(order)});
//   nlohmann::json answer = wechatpay::to_nlohmann(r);            // or to_nlohmann(n) for a
//   std::string code_url = answer["code_url"];                     // notification's resource
// A body is sent exactly as nlohmann dumps it, so member order is the object's own: insertion
// order for ordered_json, sorted for json. Answers are parsed by the library (with its limits on
// untrusted input) and then copied into nlohmann's type.
#pragma once

#include <nlohmann/json.hpp>

#include "wechatpay/errors.hpp"
#include "wechatpay/http.hpp"
#include "wechatpay/json.hpp"
#include "wechatpay/json_view.hpp"
#include "wechatpay/v3/notification.hpp"

namespace wechatpay {

// A request body: nlohmann's compact text, sent as is. wechatpay::Error for a value nlohmann
// cannot serialise (a string that is not UTF-8).
template <typename BasicJson>
requires requires(const BasicJson& value) {
  value.dump();
}
Json from_nlohmann(const BasicJson& value) {
  try {
    return Json::raw(value.dump());
  } catch (const ::nlohmann::json::exception& e) {
    throw Error(std::string("request body: ") + e.what());
  }
}

namespace detail {

template <typename BasicJson>
BasicJson rapidjson_to_nlohmann(const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return nullptr;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return value.GetBool();
    case rapidjson::kStringType:
      return std::string(value.GetString(), value.GetStringLength());
    case rapidjson::kNumberType:
      if (value.IsInt64()) return value.GetInt64();
      if (value.IsUint64()) return value.GetUint64();
      return value.GetDouble();
    case rapidjson::kArrayType: {
      auto array = BasicJson::array();
      for (const auto& item : value.GetArray()) {
        array.push_back(rapidjson_to_nlohmann<BasicJson>(item));
      }
      return array;
    }
    case rapidjson::kObjectType: {
      auto object = BasicJson::object();
      for (const auto& member : value.GetObject()) {
        object[std::string(member.name.GetString(), member.name.GetStringLength())] =
            rapidjson_to_nlohmann<BasicJson>(member.value);
      }
      return object;
    }
  }
  return nullptr;
}

}  // namespace detail

// A value of an answer; JsonReadError when it is absent.
template <typename BasicJson = ::nlohmann::json>
BasicJson to_nlohmann(const JsonView& view) {
  if (!view.exists()) view.fail("missing");
  return detail::rapidjson_to_nlohmann<BasicJson>(*view.rapidjson());
}

// The answer (its `decrypted_body` when set); wechatpay::Error when it is not JSON.
template <typename BasicJson = ::nlohmann::json>
BasicJson to_nlohmann(const Response& response) {
  return to_nlohmann<BasicJson>(response.json());
}

// A notification's decrypted resource.
template <typename BasicJson = ::nlohmann::json>
BasicJson to_nlohmann(const v3::Notification& notification) {
  return to_nlohmann<BasicJson>(notification.json());
}

}  // namespace wechatpay
