#include "e2e_report.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace wechatpay::bench {

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  auto at =
      values.begin() + static_cast<std::ptrdiff_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

void print_table(const std::vector<Run>& runs, const RsaFloor& rsa) {
  std::printf("%-3s %-5s %-9s %6s %8s %9s %10s %15s %11s %9s %9s %12s %5s %s\n", "api", "via",
              "mode", "conc", "requests", "req/s", "cpu us/req", "(user + sys)", "csw/req v+i",
              "p50 ms", "p99 ms", "RSS KiB/req", "conns", "failures");
  for (const Run& r : runs) {
    std::string rss = r.rss_kib_per_request ? std::to_string(*r.rss_kib_per_request) : "-";
    std::printf(
        "%-3s %-5s %-9s %6d %8ld %9.0f %10.1f (%5.1f + %5.1f) %5.2f+%5.2f %9.2f %9.2f %12.12s %5ld "
        "%ld%s%s\n",
        r.api.c_str(), r.via.c_str(), r.mode.c_str(), r.concurrency, r.requests, r.rate(),
        r.cpu_us(), r.per_request_us(r.cpu.user), r.per_request_us(r.cpu.system),
        r.per_request(r.cpu.voluntary), r.per_request(r.cpu.involuntary),
        percentile(r.latencies, 0.50) * 1e3, percentile(r.latencies, 0.99) * 1e3, rss.c_str(),
        r.connections, r.failures, r.failures ? " first: " : "", r.first_failure.c_str());
  }
  if (rsa.openssl_total() == 0) return;  // --no-baseline
  std::printf(
      "\nRSA-2048 sign + verify: openssl speed %.1f + %.1f = %.1f us; "
      "rsa_sign_sha256 + rsa_verify_sha256 %.1f + %.1f = %.1f us\n",
      rsa.openssl_sign * 1e6, rsa.openssl_verify * 1e6, rsa.openssl_total() * 1e6,
      rsa.evp_sign * 1e6, rsa.evp_verify * 1e6, rsa.evp_total() * 1e6);
  const double base = rsa.openssl_total();
  for (const Run& r : runs) {
    if (r.api == "v3") {
      std::printf("v3 %-5s %-9s concurrency %-6d client CPU / (sign + verify) = %.2f x\n",
                  r.via.c_str(), r.mode.c_str(), r.concurrency, r.cpu_us() / (base * 1e6));
    } else {
      std::printf("v2 %-5s %-9s concurrency %-6d client CPU %.1f us per request\n", r.via.c_str(),
                  r.mode.c_str(), r.concurrency, r.cpu_us());
    }
  }
}

void print_json(const std::vector<Run>& runs, const RsaFloor& rsa) {
  std::printf(
      "{\"rsa2048_us\":{\"openssl_sign\":%.2f,\"openssl_verify\":%.2f,"
      "\"evp_sign\":%.2f,\"evp_verify\":%.2f},\"runs\":[",
      rsa.openssl_sign * 1e6, rsa.openssl_verify * 1e6, rsa.evp_sign * 1e6, rsa.evp_verify * 1e6);
  const double base = rsa.openssl_total() > 0 ? rsa.openssl_total() : 1e300;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Run& r = runs[i];
    std::printf(
        "%s{\"api\":\"%s\",\"via\":\"%s\",\"mode\":\"%s\",\"concurrency\":%d,\"requests\":%ld,"
        "\"requests_per_s\":%.1f,\"connections\":%ld,"
        "\"cpu_us_per_request\":%.2f,\"user_us\":%.2f,\"sys_us\":%.2f,"
        "\"cpu_ratio_to_rsa\":%.3f,\"p50_ms\":%.3f,"
        "\"p99_ms\":%.3f,\"rss_kib_per_request\":%s,\"failures\":%ld}",
        i ? "," : "", r.api.c_str(), r.via.c_str(), r.mode.c_str(), r.concurrency, r.requests,
        r.rate(), r.connections, r.cpu_us(), r.per_request_us(r.cpu.user),
        r.per_request_us(r.cpu.system), r.cpu_us() / (base * 1e6),
        percentile(r.latencies, 0.50) * 1e3, percentile(r.latencies, 0.99) * 1e3,
        r.rss_kib_per_request ? std::to_string(*r.rss_kib_per_request).c_str() : "null",
        r.failures);
  }
  std::printf("]}\n");
}

namespace {

// "median [min - max]" of `values`.
std::string spread(std::vector<double> values, const char* format) {
  char text[96];
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  const double lo = *low, hi = *high;
  std::string f = std::string(format) + " [" + format + " - " + format + "]";
  std::snprintf(text, sizeof text, f.c_str(), percentile(std::move(values), 0.5), lo, hi);
  return text;
}

}  // namespace

// Each row's median over the passes with its range: CPU per request, its ratio to the floor of
// the same pass (APIv3), and its ratio to the callback row of the same pass, API and route.
// The load of a shared machine drifts within a run; what one pass measures back to back sees
// about the same load, so the per-pass ratios spread far less than the raw figures.
void print_medians(const std::vector<Pass>& passes) {
  std::vector<double> floors;
  for (const Pass& pass : passes) floors.push_back(pass.floor.openssl_total() * 1e6);
  std::printf("\nmedian [min - max] of %zu passes; floor (openssl speed sign + verify) %s us\n",
              passes.size(), spread(floors, "%.1f").c_str());
  std::printf("%-3s %-5s %-9s %6s %-30s %-24s %s\n", "api", "via", "mode", "conc", "cpu us/req",
              "/ floor", "/ callback");
  const auto& rows = passes.front().runs;
  for (std::size_t row = 0; row < rows.size(); ++row) {
    const Run& r = rows[row];
    const auto callback = std::find_if(rows.begin(), rows.end(), [&](const Run& o) {
      return o.api == r.api && o.via == r.via && o.mode == "callback";
    });
    std::vector<double> cpu, to_floor, to_callback;
    for (std::size_t i = 0; i < passes.size(); ++i) {
      cpu.push_back(passes[i].runs[row].cpu_us());
      to_floor.push_back(cpu.back() / floors[i]);
      if (callback != rows.end()) {
        to_callback.push_back(cpu.back() / passes[i].runs[callback - rows.begin()].cpu_us());
      }
    }
    std::printf(
        "%-3s %-5s %-9s %6d %-30s %-24s %s\n", r.api.c_str(), r.via.c_str(), r.mode.c_str(),
        r.concurrency, spread(cpu, "%.1f").c_str(),
        r.api == "v3" ? spread(to_floor, "%.3f").c_str() : "-",
        to_callback.empty() || r.mode == "callback" ? "-" : spread(to_callback, "%.3f").c_str());
  }
}

}  // namespace wechatpay::bench
