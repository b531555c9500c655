#include "args.hpp"

#include <algorithm>

namespace wxpay {
namespace {

constexpr Flag kHelp{"--help", false, false, "-h"};

const Flag* find_flag(std::span<const Flag> flags, std::string_view name) {
  if (name == kHelp.name || name == kHelp.alias) return &kHelp;
  auto it = std::find_if(flags.begin(), flags.end(), [&](const Flag& flag) {
    return flag.name == name || (!flag.alias.empty() && flag.alias == name);
  });
  return it == flags.end() ? nullptr : &*it;
}

}  // namespace

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

ParsedArgs parse_args(std::span<const std::string> args, std::span<const Flag> flags,
                      const std::string& command) {
  ParsedArgs parsed;
  bool flags_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    // "-" alone is a positional (stdin); "--" ends the flags.
    if (flags_ended || arg.size() < 2 || arg[0] != '-') {
      parsed.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    auto equals = arg.starts_with("--") ? arg.find('=') : std::string::npos;
    std::string name = arg.substr(0, equals);
    const Flag* flag = find_flag(flags, name);
    if (flag == nullptr) throw UsageError("unknown option " + name, command);
    std::string canonical(flag->name);
    if (!flag->repeatable && parsed.has(canonical)) {
      throw UsageError(canonical + " is given more than once", command);
    }
    if (!flag->takes_value) {
      if (equals != std::string::npos) throw UsageError(canonical + " takes no value", command);
      parsed.add(canonical, "");
    } else if (equals != std::string::npos) {
      parsed.add(canonical, arg.substr(equals + 1));
    } else if (i + 1 < args.size()) {
      parsed.add(canonical, args[++i]);
    } else {
      throw UsageError(canonical + " needs a value", command);
    }
  }
  return parsed;
}

std::pair<std::string, std::string> split_pair(const std::string& text, char separator,
                                               std::string_view flag, const std::string& command) {
  auto at = text.find(separator);
  if (at == std::string::npos || at == 0) {
    throw UsageError(std::string(flag) + " needs KEY" + separator + "VALUE, not '" + text + "'",
                     command);
  }
  return {text.substr(0, at), text.substr(at + 1)};
}

std::string required(const ParsedArgs& args, std::string_view flag, const std::string& command) {
  auto value = args.value(flag);
  if (!value) throw UsageError(std::string(flag) + " is required", command);
  return *value;
}

}  // namespace wxpay
