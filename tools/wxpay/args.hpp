// Command-line arguments: flags declared per command, `--flag value` or `--flag=value`, short
// aliases, repeatable flags, positionals, and `--` to end the flags.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wxpay {

// Bad usage: exit code 2. `command` names the command whose --help to point at ("" = wxpay).
class UsageError : public std::runtime_error {
 public:
  UsageError(const std::string& what, std::string command = {})
      : std::runtime_error(what), command_(std::move(command)) {}
  const std::string& command() const noexcept { return command_; }

 private:
  std::string command_;
};

struct Flag {
  std::string_view name;  // "--json"
  bool takes_value = false;
  bool repeatable = false;
  std::string_view alias{};  // "-i"
};

class ParsedArgs {
 public:
  std::vector<std::string> positional;

  bool has(std::string_view name) const { return values_.contains(std::string(name)); }
  // The value of a single-valued flag, or nullopt when it was not given.
  std::optional<std::string> value(std::string_view name) const;
  // Every value of a repeatable flag, in order (empty when not given).
  std::vector<std::string> values(std::string_view name) const;

  void add(std::string_view name, std::string value) {
    values_[std::string(name)].push_back(std::move(value));
  }

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

// UsageError (naming `command`) for an unknown flag, a missing value, a value given to a switch,
// or a single-valued flag given twice. -h/--help is always accepted.
ParsedArgs parse_args(std::span<const std::string> args, std::span<const Flag> flags,
                      const std::string& command);

// "k=v" -> {k, v}; UsageError "<flag> needs KEY<separator>VALUE" when `separator` is missing
// or the key is empty.
std::pair<std::string, std::string> split_pair(const std::string& text, char separator,
                                               std::string_view flag, const std::string& command);

// The flag's value, or UsageError "<flag> is required".
std::string required(const ParsedArgs& args, std::string_view flag, const std::string& command);

}  // namespace wxpay
