// HTTP header fields with case-insensitive names, kept in insertion order.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechatpay/export.hpp"

namespace wechatpay {

class WECHATPAY_EXPORT Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  Headers() = default;
  Headers(std::initializer_list<Field> fields);

  // Replaces every field named `name` (any case) with one field.
  void set(std::string_view name, std::string value);
  // Appends a field, keeping any existing ones of the same name.
  void add(std::string name, std::string value);
  void erase(std::string_view name);
  bool contains(std::string_view name) const;
  // The first value of `name`, or null; valid until these headers change. No copy, unlike get.
  const std::string* find(std::string_view name) const noexcept;
  // The first value of `name`, or nullopt.
  std::optional<std::string> get(std::string_view name) const;
  // The first value of `name`, or "".
  std::string value(std::string_view name) const;

  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

// ASCII case-insensitive equality (header names are ASCII; no locale).
WECHATPAY_EXPORT bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace wechatpay
