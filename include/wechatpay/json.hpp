// Inline JSON literals that read like the PHP SDK's arrays:
//   Json body = {{"appid", "wx8888"}, {"amount", {{"total", 100}, {"currency", "CNY"}}}};
// A braced list whose elements are all two-element lists starting with a string is an object;
// any other braced list is an array (use Json::array / Json::object to say so explicitly).
// `set` and `push_back` grow an object or array in place, e.g. in a loop.
// Serialisation goes through RapidJSON, so escaping is RapidJSON's.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <rapidjson/document.h>

#include "wechatpay/export.hpp"

namespace wechatpay {

class WECHATPAY_EXPORT Json {
 public:
  using Array = std::vector<Json>;
  using Member = std::pair<std::string, Json>;
  using Object = std::vector<Member>;  // insertion order is kept: it is the order sent
  struct Raw {
    std::string text;  // already-serialised JSON, sent as is
    friend bool operator==(const Raw&, const Raw&) = default;
  };

  // An absent value: the option is not set. Distinct from null.
  Json() = default;
  Json(std::nullptr_t) : value_(nullptr) {}
  Json(bool b) : value_(b) {}
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && std::is_signed_v<T>) Json(T n)
      : value_(static_cast<std::int64_t>(n)) {}
  template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && std::is_unsigned_v<T>) Json(T n)
      : value_(static_cast<std::uint64_t>(n)) {}
  Json(double d) : value_(d) {}
  Json(const char* s) : value_(std::string(s)) {}
  Json(std::string s) : value_(std::move(s)) {}
  Json(std::string_view s) : value_(std::string(s)) {}
  Json(std::initializer_list<Json> items);
  explicit Json(Array items) : value_(std::move(items)) {}
  explicit Json(Object members) : value_(std::move(members)) {}
  // A deep copy of a RapidJSON value.
  Json(const rapidjson::Value& value);

  static Json array(std::initializer_list<Json> items = {});
  static Json object(std::initializer_list<Member> members = {});
  // Raw JSON text; `parse` checks it is well-formed (throws wechatpay::Error otherwise).
  static Json raw(std::string text);
  static Json parse(std::string_view text);

  bool is_absent() const { return std::holds_alternative<std::monostate>(value_); }
  bool is_null() const { return std::holds_alternative<std::nullptr_t>(value_); }
  bool is_object() const { return std::holds_alternative<Object>(value_); }
  bool is_array() const { return std::holds_alternative<Array>(value_); }
  bool is_string() const { return std::holds_alternative<std::string>(value_); }
  bool is_raw() const { return std::holds_alternative<Raw>(value_); }

  // Typed access; each throws wechatpay::Error when the value is of another kind.
  const Object& members() const;
  const Array& items() const;
  const std::string& str() const;
  // Object member lookup; nullptr when absent or not an object.
  const Json* find(std::string_view key) const;
  // Inserts or replaces a member; turns an absent value into an object.
  Json& set(std::string key, Json value);
  // Appends an item; turns an absent value into an array. Building a body in a loop:
  //   Json goods = Json::array();
  //   for (const auto& line : cart) goods.push_back({{"goods_id", line.id}, {"quantity", line.n}});
  Json& push_back(Json item);

  // The value as text: strings as themselves, numbers and booleans in JSON form,
  // objects/arrays/raw as JSON. Used where a scalar must become a string (query, XML).
  std::string to_text() const;
  // Compact JSON. Throws wechatpay::Error for an absent value.
  std::string dump() const;
  // Into a RapidJSON value owned by `allocator`.
  void to_rapidjson(rapidjson::Value& out, rapidjson::Value::AllocatorType& allocator) const;

  // Calls `visitor` with the held alternative: std::monostate (absent), std::nullptr_t, bool,
  // std::int64_t, std::uint64_t, double, std::string, Array, Object or Raw.
  template <typename Visitor>
  decltype(auto) visit(Visitor&& visitor) const {
    return std::visit(std::forward<Visitor>(visitor), value_);
  }

  friend WECHATPAY_EXPORT bool operator==(const Json& a, const Json& b);

 private:
  using Value = std::variant<std::monostate, std::nullptr_t, bool, std::int64_t, std::uint64_t,
                             double, std::string, Array, Object, Raw>;
  explicit Json(Raw raw) : value_(std::move(raw)) {}
  Value value_;
};

}  // namespace wechatpay
