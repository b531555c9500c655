#include "support/sandbox_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

#include <httplib.h>

extern char** environ;

namespace wechatpay::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Reads one line from `fd` before `deadline`; "" on EOF or timeout.
std::string read_line(int fd, Clock::time_point deadline) {
  std::string line;
  char c = 0;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (poll(&p, 1, static_cast<int>(std::max<long>(left.count(), 1))) <= 0) continue;
    if (read(fd, &c, 1) != 1) return "";
    if (c == '\n') return line;
    line += c;
  }
  return "";
}

// Fills `state` from the cache, or generates the cache with a first sandbox run.
void seed_credentials(const std::string& binary, const fs::path& cache, const fs::path& state) {
  if (!fs::exists(cache / "secrets.json")) {
    // Generate into a private directory and rename it into place: concurrent tests race safely.
    fs::path fresh = cache.string() + ".tmp" + std::to_string(getpid());
    std::string command = binary + " --state " + fresh.string() + " --time-limit 1 >/dev/null";
    if (std::system(command.c_str()) != 0) throw std::runtime_error("cannot run " + binary);
    std::error_code ignored;
    fs::rename(fresh, cache, ignored);
    fs::remove_all(fresh, ignored);
  }
  for (const auto& entry : fs::directory_iterator(cache)) {
    if (entry.path().filename() != "profile.json")
      fs::copy(entry.path(), state / entry.path().filename());
  }
}

}  // namespace

SandboxProcess::SandboxProcess(const std::string& binary, std::vector<std::string> extra_args,
                               const std::string& credential_cache) {
  if (!credential_cache.empty()) seed_credentials(binary, credential_cache, state_.path());
  std::vector<std::string> args = {binary,         "--port", "0", "--state", state_.path().string(),
                                   "--time-limit", "300"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  int spawned = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  stdout_fd_ = pipe_fds[0];
  if (spawned != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + binary);
  }

  const auto deadline = Clock::now() + std::chrono::seconds(20);
  std::string listening = read_line(stdout_fd_, deadline);
  std::string profile = read_line(stdout_fd_, deadline);
  constexpr std::string_view kListening = "listening on ", kProfile = "profile ";
  if (!listening.starts_with(kListening) || !profile.starts_with(kProfile)) {
    stop();
    throw std::runtime_error("wechatpay-sandbox did not start: `" + listening + "`");
  }
  base_uri_ = listening.substr(kListening.size());
  profile_path_ = profile.substr(kProfile.size());
}

SandboxProcess::~SandboxProcess() {
  stop();
}

int SandboxProcess::stop() {
  int result = -1;
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    int status = 0;
    pid_t done = 0;
    while ((done = waitpid(pid_, &status, WNOHANG)) == 0 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (done == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    } else if (done == pid_ && WIFEXITED(status)) {
      result = WEXITSTATUS(status);
    }
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  return result;
}

std::string SandboxProcess::admin(const std::string& method, const std::string& path,
                                  const std::string& json_body) const {
  httplib::Client client(base_uri_.substr(0, base_uri_.size() - 1));
  if (base_uri_.starts_with("https")) client.set_ca_cert_path((state_ / "ca.pem").c_str());
  client.set_read_timeout(30);
  httplib::Result result = method == "GET"      ? client.Get(path)
                           : method == "DELETE" ? client.Delete(path)
                                                : client.Post(path, json_body, "application/json");
  if (!result)
    throw std::runtime_error("admin " + path + ": " + httplib::to_string(result.error()));
  if (result->status != 200) {
    throw std::runtime_error("admin " + path + ": " + std::to_string(result->status) + " " +
                             result->body);
  }
  return result->body;
}

}  // namespace wechatpay::test
