#include "wechatpay/headers.hpp"

#include <algorithm>

namespace wechatpay {

namespace {

constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

// Headers are looked up several times per request: no locale-aware std::tolower call per byte.
bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
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
  return find(name) != nullptr;
}

const std::string* Headers::find(std::string_view name) const noexcept {
  for (const auto& [key, value] : fields_) {
    if (iequals(key, name)) return &value;
  }
  return nullptr;
}

std::optional<std::string> Headers::get(std::string_view name) const {
  if (const auto* found = find(name)) return *found;
  return std::nullopt;
}

std::string Headers::value(std::string_view name) const {
  const auto* found = find(name);
  return found ? *found : std::string();
}

}  // namespace wechatpay
