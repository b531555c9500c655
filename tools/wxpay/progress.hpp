// A download progress bar on stderr, drawn only when stderr is a terminal.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "wechatpay/v3/bills.hpp"

namespace wxpay {

// "1023 B", "1.2 KiB", "2.3 MiB", "1.0 GiB".
std::string human_bytes(std::uint64_t bytes);

// "[##########          ]  52%  1.2 MiB/2.3 MiB"; with an unknown total (< 0) only the bytes.
std::string progress_line(std::uint64_t received, std::int64_t total);

class ProgressBar {
 public:
  // Draws on stderr (file descriptor 2) when `enabled`; see stderr_is_terminal().
  explicit ProgressBar(bool enabled);
  // The callback for v3::download_bill(_file); empty when disabled. It redraws only when the
  // line changes.
  wechatpay::v3::Progress callback() const;
  // Ends the line if anything was drawn. Call after the download returned or failed.
  void finish() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

bool stderr_is_terminal();

}  // namespace wxpay
