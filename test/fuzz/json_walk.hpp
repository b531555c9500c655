// Drives the JsonView read API over any document: every value is read as every type, indexed
// with members it has and has not, iterated and dumped. A read either returns or throws a
// JsonReadError whose message starts with the value's path; anything else aborts.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "wechatpay/json_view.hpp"

namespace wechatpay::fuzz {

// Runs `read`; a JsonReadError must name `view`'s path.
template <typename Read>
void read_checked(const JsonView& view, Read read) {
  try {
    read();
  } catch (const JsonReadError& e) {
    check_error(e);
    require(e.path() == view.path(), "JsonReadError names another path");
    const std::string_view what = e.what();
    require(std::none_of(what.begin(), what.end(),
                         [](unsigned char c) { return c < 0x20 || c == 0x7f; }),
            "JsonReadError message holds a control character");
    const std::string shown = view.path().empty() ? "(root)" : view.path();
    const bool plain = std::none_of(shown.begin(), shown.end(),
                                    [](unsigned char c) { return c < 0x20 || c == 0x7f; });
    require(!plain || what.starts_with(shown + ": "),
            "JsonReadError message does not start with the path");
  }
}

inline void read_every_type(const JsonView& view) {
  read_checked(view, [&] { (void)view.as<std::string>(); });
  read_checked(view, [&] { (void)view.as<bool>(); });
  read_checked(view, [&] { (void)view.as<double>(); });
  read_checked(view, [&] { (void)view.as_optional<std::string_view>(); });
  read_checked(view, [&] { (void)view.value_or<std::int64_t>(-1); });
  read_checked(view, [&] {
    const auto wide = view.as<std::int64_t>();
    try {
      // A narrower read agrees with the wide one, or says it does not fit.
      require(view.as<std::int32_t>() == wide, "int32 read differs from the int64 read");
    } catch (const JsonReadError& e) {
      require(!std::in_range<std::int32_t>(wide), "an int32 that fits was refused");
      require(std::string_view(e.what()).find("does not fit") != std::string_view::npos,
              "a range error does not say so");
    }
  });
  read_checked(view, [&] { (void)view.as<std::uint64_t>(); });
  read_checked(view, [&] { (void)view.as<std::uint8_t>(); });
  read_checked(view, [&] { (void)view.dump(); });
}

inline constexpr std::size_t kWalkedChildren = 64;

inline void walk(const JsonView& view, std::string_view probe, int depth = 0) {
  read_every_type(view);
  require(view.exists() || view.size() == 0, "an absent value has a size");
  if (depth > 8) return;
  // Absent children: a member the input names, an item past the end, a negative index.
  read_every_type(view[probe]);
  read_every_type(view[probe][0]);
  read_every_type(view[view.size()]);
  read_every_type(view[-1]);
  (void)view.contains(probe);
  std::size_t seen = 0;
  read_checked(view, [&] {
    for (auto item : view) {
      // The first children in full; the rest only counted, so that a 1 MiB document of 100k
      // members costs linear time (contains() is a linear search).
      if (seen < kWalkedChildren) walk(item, probe, depth + 1);
      ++seen;
    }
    require(seen == view.size(), "array iteration skipped items");
  });
  read_checked(view, [&] {
    std::size_t walked = 0;
    for (auto [name, value] : view.members()) {
      if (walked++ >= kWalkedChildren) break;
      require(view.contains(name), "a member is not contained");
      walk(value, probe, depth + 1);
    }
  });
}

}  // namespace wechatpay::fuzz
