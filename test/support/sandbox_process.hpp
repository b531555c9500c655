// The real wechatpay-sandbox binary as a child process, for integration tests: started on a free
// port with its own state directory, ready (its "listening on" line read) when the constructor
// returns, and stopped (SIGTERM, then SIGKILL after 5 s) by the destructor.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "support/temp_dir.hpp"
#include "wechatpay/profile.hpp"

namespace wechatpay::test {

class SandboxProcess {
 public:
  // Runs `binary --port 0 --state <temp dir> --time-limit 300 <extra_args>`. Credentials are
  // generated once per build tree (`credential_cache`, when not empty) and copied into each
  // state directory, since RSA key generation dominates start-up. std::runtime_error when the
  // sandbox does not print its address within 20 s.
  explicit SandboxProcess(const std::string& binary, std::vector<std::string> extra_args = {},
                          const std::string& credential_cache = {});
  ~SandboxProcess();
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  const std::string& base_uri() const { return base_uri_; }
  const std::string& profile_path() const { return profile_path_; }
  const TempDir& state() const { return state_; }
  Profile profile() const { return read_profile(profile_path_); }
  ClientConfig config() const { return load_profile(profile_path_); }

  // Calls an admin endpoint (e.g. POST /sandbox/faults) and returns the answer's body;
  // std::runtime_error for anything but 200.
  std::string admin(const std::string& method, const std::string& path,
                    const std::string& json_body = "") const;

  // Sends SIGTERM and waits (≤ 5 s) for a clean exit; returns the exit status, or -1.
  int stop();

 private:
  TempDir state_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string base_uri_;
  std::string profile_path_;
};

}  // namespace wechatpay::test
