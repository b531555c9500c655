// A scratch directory for one test.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace wechatpay::test {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // The path of `name` inside the directory, as a string for command lines.
  std::string operator/(std::string_view name) const { return (path_ / name).string(); }
  // Writes `content` to path()/name (binary) and returns the full path.
  std::filesystem::path write(std::string_view name, std::string_view content) const;

 private:
  std::filesystem::path path_;
};

}  // namespace wechatpay::test
