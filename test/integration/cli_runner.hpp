// Runs the real `wxpay` binary as a child process: arguments as given (no shell), stdin from a
// string, stdout and stderr captured apart, the exit code, a controlled environment and
// working directory.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/openssl_cli.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace wechatpay::test {

struct CliRun {
  int exit_code = -1;  // -1: killed or crashed
  std::string out, err;
};

struct CliEnvironment {
  std::string input{};                 // stdin
  std::vector<std::string> env{};      // extra NAME=VALUE entries
  std::string cwd{};                   // empty: the test's own
  bool inherit_wxpay_profile = false;  // keep the test's $WXPAY_PROFILE
};

// Runs WECHATPAY_WXPAY_BINARY with `args`; a run longer than 120 s is killed (and fails).
inline CliRun run_wxpay(const std::vector<std::string>& args, const CliEnvironment& setup = {}) {
  TempDir io;
  auto in = io.write("stdin", setup.input).string();
  std::string out = io / "stdout", err = io / "stderr";

  std::vector<std::string> argv_text = {WECHATPAY_WXPAY_BINARY};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) {
    if (setup.inherit_wxpay_profile || std::strncmp(*e, "WXPAY_PROFILE=", 14) != 0) {
      env_text.emplace_back(*e);
    }
  }
  env_text.insert(env_text.end(), setup.env.begin(), setup.env.end());
  std::vector<char*> envp;
  for (auto& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (!setup.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, setup.cwd.c_str());
  pid_t pid = -1;
  int spawned = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot run " + argv_text[0]);

  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      throw std::runtime_error("wxpay did not finish within 120 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
}

// The number of lines in `text` (a last line without '\n' counts).
inline std::size_t line_count(const std::string& text) {
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  return lines + (!text.empty() && text.back() != '\n');
}

}  // namespace wechatpay::test
