// Reading an answer (or a notification resource) safely: a view into a parsed JSON document that
// remembers its path. Indexing never throws: a missing member or item is an absent view. Reading
// does, with a wechatpay::JsonReadError naming the path and the problem:
//   auto answer = response.json();
//   std::int64_t total = answer["amount"]["total"].as<std::int64_t>();  // "amount.total: missing"
//   auto state = answer["trade_state"].value_or<std::string>("NOTPAY");
//   for (auto item : answer["promotion_detail"]) std::cout << item["coupon_id"].as<std::string>();
// A view shares ownership of its document, so it may outlive the Response. A string_view read
// from it points into that document: keep a view (or the document) alive while you use it.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <rapidjson/document.h>

#include "wechatpay/export.hpp"

namespace wechatpay {

struct Response;

namespace detail {
struct JsonSource;  // the document and the Response it came from (for errors)
}

class WECHATPAY_EXPORT JsonView {
 public:
  class Iterator;
  class MemberRange;

  // An absent value.
  JsonView() = default;
  // Parses `text` (JSON a caller holds, e.g. a stored answer); wechatpay::Error if invalid.
  static JsonView parse(std::string_view text);
  // An answer's body; read errors carry `response`, a parse error names `subject`.
  static JsonView parse(std::string_view text, const Response& response,
                        std::string_view subject = "response body");

  // Member `key` of an object, item `index` of an array; absent otherwise. Never throws.
  JsonView operator[](std::string_view key) const;
  JsonView operator[](const char* key) const { return (*this)[std::string_view(key)]; }
  template <std::integral I>
  requires(!std::is_same_v<I, bool>) JsonView operator[](I index) const {
    return std::in_range<std::size_t>(index) ? item(static_cast<std::size_t>(index))
                                             : item_absent(static_cast<std::int64_t>(index));
  }

  bool exists() const noexcept { return value_ != nullptr; }
  explicit operator bool() const noexcept { return exists(); }
  bool is_null() const noexcept { return value_ && value_->IsNull(); }
  bool is_object() const noexcept { return value_ && value_->IsObject(); }
  bool is_array() const noexcept { return value_ && value_->IsArray(); }
  bool is_string() const noexcept { return value_ && value_->IsString(); }
  bool is_number() const noexcept { return value_ && value_->IsNumber(); }
  bool is_bool() const noexcept { return value_ && value_->IsBool(); }
  // True when this is an object with member `key`.
  bool contains(std::string_view key) const noexcept;
  // Items of an array, members of an object; 0 for anything else.
  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }

  // The value as T: std::string, std::string_view, bool, double, any integer type. Throws
  // JsonReadError when absent ("missing"), of another kind ("expected string, got number") or
  // an integer out of T's range ("123456789012 does not fit int32").
  template <typename T>
  T as() const;
  // The value, or nullopt when absent or null; JsonReadError when of another kind.
  template <typename T>
  std::optional<T> as_optional() const {
    if (!value_ || value_->IsNull()) return std::nullopt;
    return as<T>();
  }
  // The value, or `fallback` when absent or null; JsonReadError when of another kind.
  template <typename T>
  T value_or(T fallback) const {
    if (!value_ || value_->IsNull()) return fallback;
    return as<T>();
  }
  std::string value_or(const char* fallback) const { return value_or<std::string>(fallback); }

  // Array items; an absent or null value iterates as empty, another kind is a JsonReadError.
  Iterator begin() const;
  Iterator end() const;
  // Object members as (name, view) pairs; absent/null is empty, another kind a JsonReadError.
  MemberRange members() const;

  // Compact JSON text of this value; JsonReadError when absent.
  std::string dump() const;
  // "amount.total", "promotion_detail[0].coupon_id"; "" for the root.
  const std::string& path() const noexcept { return path_; }
  // The RapidJSON value (nullptr when absent) and the whole document (throws when this view has
  // none: a default-constructed one).
  const rapidjson::Value* rapidjson() const noexcept { return value_; }
  const rapidjson::Document& document() const;

  // Throws JsonReadError "<path>: <problem>" carrying the answer's Response.
  [[noreturn]] void fail(const std::string& problem) const;

 private:
  JsonView(std::shared_ptr<const detail::JsonSource> source, const rapidjson::Value* value,
           std::string path, std::string note = {})
      : source_(std::move(source)), value_(value), path_(std::move(path)), note_(std::move(note)) {}
  JsonView item(std::size_t index) const;
  JsonView item_absent(std::int64_t negative_index) const;
  JsonView absent_child(std::string path) const;
  // The value, or JsonReadError "missing" / "expected <expected>, got <kind>".
  const rapidjson::Value& require(bool matches, const char* expected) const;
  std::string read_string() const;
  std::string_view read_string_view() const;
  bool read_bool() const;
  double read_double() const;
  // `type_name` is the requested type, for range errors.
  std::int64_t read_int64(const char* type_name) const;
  std::uint64_t read_uint64(const char* type_name) const;
  [[noreturn]] void fail_range(const char* type_name) const;

  std::shared_ptr<const detail::JsonSource> source_;
  const rapidjson::Value* value_ = nullptr;
  std::string path_;
  std::string note_;  // why an absent value is absent, when its parent was not a container

  friend class Iterator;
  friend class MemberRange;
};

class WECHATPAY_EXPORT JsonView::Iterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = JsonView;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = JsonView;

  Iterator() = default;
  JsonView operator*() const { return parent_->item(index_); }
  Iterator& operator++() {
    ++index_;
    return *this;
  }
  Iterator operator++(int) {
    auto before = *this;
    ++index_;
    return before;
  }
  friend bool operator==(const Iterator& a, const Iterator& b) { return a.index_ == b.index_; }

 private:
  friend class JsonView;
  Iterator(const JsonView* parent, std::size_t index) : parent_(parent), index_(index) {}
  const JsonView* parent_ = nullptr;
  std::size_t index_ = 0;
};

class WECHATPAY_EXPORT JsonView::MemberRange {
 public:
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::pair<std::string_view, JsonView>;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = value_type;

    Iterator() = default;
    value_type operator*() const;
    Iterator& operator++() {
      ++member_;
      return *this;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.member_ == b.member_; }

   private:
    friend class MemberRange;
    Iterator(const JsonView* object, rapidjson::Value::ConstMemberIterator member)
        : object_(object), member_(member) {}
    const JsonView* object_ = nullptr;
    rapidjson::Value::ConstMemberIterator member_{};
  };

  Iterator begin() const;
  Iterator end() const;
  std::size_t size() const noexcept { return object_.size(); }

 private:
  friend class JsonView;
  explicit MemberRange(JsonView object) : object_(std::move(object)) {}
  JsonView object_;  // an object, or absent for an empty range
};

namespace detail {
// The name printed in range errors.
template <typename T>
constexpr const char* integer_name() {
  if constexpr (std::is_signed_v<T>) {
    if constexpr (sizeof(T) == 1) return "int8";
    if constexpr (sizeof(T) == 2) return "int16";
    if constexpr (sizeof(T) == 4) return "int32";
    return "int64";
  } else {
    if constexpr (sizeof(T) == 1) return "uint8";
    if constexpr (sizeof(T) == 2) return "uint16";
    if constexpr (sizeof(T) == 4) return "uint32";
    return "uint64";
  }
}
}  // namespace detail

template <typename T>
T JsonView::as() const {
  if constexpr (std::is_same_v<T, std::string>) {
    return read_string();
  } else if constexpr (std::is_same_v<T, std::string_view>) {
    return read_string_view();
  } else if constexpr (std::is_same_v<T, bool>) {
    return read_bool();
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(read_double());
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    auto n = read_int64(detail::integer_name<T>());
    if (!std::in_range<T>(n)) fail_range(detail::integer_name<T>());
    return static_cast<T>(n);
  } else if constexpr (std::is_integral_v<T>) {
    auto n = read_uint64(detail::integer_name<T>());
    if (!std::in_range<T>(n)) fail_range(detail::integer_name<T>());
    return static_cast<T>(n);
  } else {
    static_assert(sizeof(T) == 0,
                  "JsonView::as<T>: T must be std::string, std::string_view, bool, a floating "
                  "point or an integer type");
  }
}

}  // namespace wechatpay
