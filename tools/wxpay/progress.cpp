#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <mutex>

namespace wxpay {

namespace {
constexpr int kBarWidth = 20;
}  // namespace

std::string human_bytes(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

std::string progress_line(std::uint64_t received, std::int64_t total) {
  if (total < 0) return human_bytes(received);
  auto whole = static_cast<std::uint64_t>(total);
  std::uint64_t percent = whole == 0 ? 100 : std::min<std::uint64_t>(received * 100 / whole, 100);
  auto filled = static_cast<int>(percent * kBarWidth / 100);
  char percent_text[8];
  std::snprintf(percent_text, sizeof percent_text, "%3u%%", static_cast<unsigned>(percent));
  return "[" + std::string(filled, '#') + std::string(kBarWidth - filled, ' ') + "] " +
         percent_text + "  " + human_bytes(received) + "/" + human_bytes(whole);
}

struct ProgressBar::State {
  std::mutex mutex;
  std::string last;
};

ProgressBar::ProgressBar(bool enabled) : state_(enabled ? std::make_shared<State>() : nullptr) {}

wechatpay::v3::Progress ProgressBar::callback() const {
  if (!state_) return {};
  return [state = state_](std::uint64_t received, std::int64_t total) {
    std::string line = progress_line(received, total);
    std::lock_guard lock(state->mutex);
    if (line == state->last) return;
    // Pad with spaces so a shorter line fully covers the previous one.
    std::fprintf(stderr, "\r%-*s", static_cast<int>(state->last.size()), line.c_str());
    std::fflush(stderr);
    state->last = std::move(line);
  };
}

void ProgressBar::finish() const {
  if (!state_) return;
  std::lock_guard lock(state_->mutex);
  if (!state_->last.empty()) std::fputc('\n', stderr);
}

bool stderr_is_terminal() {
  return isatty(STDERR_FILENO) == 1;
}

}  // namespace wxpay
