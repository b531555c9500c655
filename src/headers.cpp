#include "wechatpay/headers.hpp"

#include <algorithm>
#include <cctype>

namespace wechatpay {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

Headers::Headers(std::initializer_list<Field> fields) {
  for (const auto& [name, value] : fields) set(name, value);
}

void Headers::set(std::string_view name, std::string value) {
  erase(name);
  fields_.emplace_back(std::string(name), std::move(value));
}

void Headers::add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::erase(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

bool Headers::contains(std::string_view name) const {
  return get(name).has_value();
}

std::optional<std::string> Headers::get(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::string Headers::value(std::string_view name) const {
  return get(name).value_or("");
}

}  // namespace wechatpay
