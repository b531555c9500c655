// bench_e2e's measurements and how they are reported: one table per pass, one JSON line per pass
// (--json), and the medians over the passes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cpu_time.hpp"
#include "rsa_floor.hpp"

namespace wechatpay::bench {

struct Run {
  std::string api;
  std::string via;   // "tls" or "http" to the sandbox, "h2" or "h1.1" through nghttpx
  std::string mode;  // sync, bare, callback, coroutine, asio, asio-io, burst
  int concurrency = 0;
  long requests = 0;
  double seconds = 0;  // wall
  Cpu cpu{};
  std::vector<double> latencies{};  // seconds
  long failures = 0;
  std::string first_failure{};
  std::optional<double> rss_kib_per_request{};
  long connections = 0;  // opened by the client during the run

  double rate() const { return static_cast<double>(requests) / seconds; }
  double per_request_us(double seconds) const {
    return seconds / static_cast<double>(requests) * 1e6;
  }
  double cpu_us() const { return per_request_us(cpu.total()); }
  double per_request(long count) const {
    return static_cast<double>(count) / static_cast<double>(requests);
  }
};

// One pass: every row, then the floor, measured back to back under the same load.
struct Pass {
  std::vector<Run> runs;
  RsaFloor floor{};
};

// The `p` quantile (0..1) of `values`; 0 when there are none.
double percentile(std::vector<double> values, double p);

void print_table(const std::vector<Run>& runs, const RsaFloor& rsa);
void print_json(const std::vector<Run>& runs, const RsaFloor& rsa);
void print_medians(const std::vector<Pass>& passes);

}  // namespace wechatpay::bench
