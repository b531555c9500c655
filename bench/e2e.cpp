// End-to-end load driver: the real wechatpay-sandbox (bench mode, its own process and state
// directory, so its CPU is not counted) answers; this process is the client. For APIv3 (the
// payroll-card token seed) and APIv2 (authcodetoopenid) it measures requests/s, client CPU per
// request (getrusage user+sys, all threads), p50/p99 latency at concurrency 1 (synchronous
// calls), 32 and 10,000 (asynchronous, one transport and I/O thread), RSS per in-flight request
// at 10,000, and the RSA-2048 sign + verify baseline (`openssl speed` and EVP_DigestSign timed
// here) that the APIv3 figure is compared with. With --h2-front the same runs go through nghttpx
// (an HTTP/2 TLS front before the sandbox) twice in the same run, over HTTP/2 and HTTP/1.1,
// counting the connections the client opened.
//   bench_e2e [--requests N] [--inflight N] [--api v3|v2] [--json] [--no-baseline]
//             [--sandbox PATH] [--h2-front]
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "seed_requests.hpp"
#include "support/h2_front.hpp"
#include "support/sandbox_process.hpp"
#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/crypto/rsa.hpp"
#include "wechatpay/wechatpay.hpp"

namespace {

using namespace wechatpay;
using Clock = std::chrono::steady_clock;

struct Cpu {
  double user = 0, system = 0;  // seconds
  double total() const { return user + system; }
  Cpu operator-(const Cpu& o) const { return {user - o.user, system - o.system}; }
};

// CPU of this process: the calling thread and the transport's I/O thread.
Cpu cpu_now() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](timeval t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

double cpu_seconds() {
  return cpu_now().total();
}

// A /proc/self/status field in KiB (VmRSS, VmHWM).
long status_kib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(field + ":")) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

// Resets VmHWM to the current RSS, so the next reading is the peak of what follows.
void reset_peak_rss() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  auto at =
      values.begin() + static_cast<std::ptrdiff_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

struct Run {
  std::string api;
  std::string via;  // "direct" (HTTP/1.1 to the sandbox), "h2" or "h1.1" (through nghttpx)
  int concurrency = 0;
  long requests = 0;
  double seconds = 0;  // wall
  Cpu cpu{};
  std::vector<double> latencies{};  // seconds
  long failures = 0;
  long connections = 0;  // opened by the client during the run
  std::string first_failure{};
  std::optional<double> rss_kib_per_request{};

  double rate() const { return static_cast<double>(requests) / seconds; }
  double per_request_us(double seconds) const {
    return seconds / static_cast<double>(requests) * 1e6;
  }
  double cpu_us() const { return per_request_us(cpu.total()); }
};

// What each request of one API needs: its chain, fresh options and its stack.
struct Workload {
  std::string api;
  std::string via;
  Chain chain;
  std::function<Options()> options;
  HandlerStack& stack;
};

// One response or failure, counted into the run.
class Tally {
 public:
  explicit Tally(Run& run) : run_(run) {}
  void record(Clock::time_point started, std::exception_ptr error, const Response& response) {
    double latency = std::chrono::duration<double>(Clock::now() - started).count();
    std::lock_guard lock(mutex_);
    run_.latencies.push_back(latency);
    run_.connections += response.connections_opened;
    if (!error) return;
    if (run_.failures++ == 0) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        run_.first_failure = e.what();
      }
    }
  }

 private:
  std::mutex mutex_;
  Run& run_;
};

// Times `body` and fills the run's CPU, and its wall time unless `body` did.
template <typename Body>
Run timed(const Workload& load, int concurrency, long requests, Body body) {
  Run run{.api = load.api, .via = load.via, .concurrency = concurrency, .requests = requests};
  run.latencies.reserve(static_cast<std::size_t>(requests));
  Cpu cpu = cpu_now();
  auto wall = Clock::now();
  body(run);
  if (run.seconds == 0) run.seconds = std::chrono::duration<double>(Clock::now() - wall).count();
  run.cpu = cpu_now() - cpu;
  return run;
}

// Synchronous calls one after the other.
Run run_sync(const Workload& load, long requests) {
  return timed(load, 1, requests, [&](Run& run) {
    Tally tally(run);
    for (long i = 0; i < requests; ++i) {
      auto started = Clock::now();
      std::exception_ptr error;
      Response response;
      try {
        response = load.chain->post(load.options());
      } catch (...) {
        error = std::current_exception();
      }
      tally.record(started, error, response);
    }
  });
}

// `concurrency` asynchronous requests in flight; each completion (on the I/O thread) starts the
// next until `requests` have been sent.
Run run_closed_loop(const Workload& load, int concurrency, long requests) {
  return timed(load, concurrency, requests, [&](Run& run) {
    Tally tally(run);
    std::atomic<long> issued{0}, completed{0};
    std::promise<void> all_done;
    std::function<void()> issue = [&] {
      if (issued.fetch_add(1) >= requests) return;
      auto started = Clock::now();
      load.chain->post_async(
          load.options(), [&, started](std::exception_ptr error, Response response) {
            tally.record(started, error, response);
            issue();  // before the count: the last completion ends the run and its locals
            if (completed.fetch_add(1) + 1 == requests) all_done.set_value();
          });
    };
    for (int i = 0; i < concurrency; ++i) issue();
    all_done.get_future().wait();
  });
}

// Holds every request just before the transport until all `count` are built and signed, then
// lets them go at once: all of them are then in the transport together.
class Gate {
 public:
  explicit Gate(std::size_t count) { held_.reserve(count); }

  Middleware middleware() {
    return [this](Handler next) -> Handler {
      return [this, next](Request request, Completion done) {
        std::lock_guard lock(mutex_);
        next_ = next;
        held_.push_back({std::move(request), std::move(done)});
      };
    };
  }
  std::size_t held() {
    std::lock_guard lock(mutex_);
    return held_.size();
  }
  void release() {
    std::vector<std::pair<Request, Completion>> held;
    Handler next;
    {
      std::lock_guard lock(mutex_);
      held.swap(held_);
      next = next_;
    }
    for (auto& [request, done] : held) next(std::move(request), std::move(done));
  }

 private:
  std::mutex mutex_;
  Handler next_;
  std::vector<std::pair<Request, Completion>> held_;
};

// `count` asynchronous requests all in flight at once. RSS per request: the peak while they
// are built, held and run, minus RSS before the first is built, over `count`. Requests/s and
// latency count from the release; CPU covers building and signing too.
Run run_burst(const Workload& load, int count) {
  Gate gate(static_cast<std::size_t>(count));
  auto gated = std::make_shared<HandlerStack>(load.stack);
  gated->push(gate.middleware(), "bench_gate");
  Clock::time_point released;
  long rss_before = 0;
  Run run = timed(load, count, count, [&](Run& run) {
    Tally tally(run);
    std::atomic<long> completed{0};
    std::promise<void> all_done;
    malloc_trim(0);  // what earlier runs freed must not be reused unseen
    rss_before = status_kib("VmRSS");
    reset_peak_rss();
    for (int i = 0; i < count; ++i) {
      Options options = load.options();
      options.stack = gated;
      load.chain->post_async(std::move(options), [&](std::exception_ptr error, Response response) {
        tally.record(released, error, response);
        if (completed.fetch_add(1) + 1 == count) all_done.set_value();
      });
    }
    // A request that fails before the gate (while being built) has completed already.
    while (gate.held() + static_cast<std::size_t>(completed.load()) <
           static_cast<std::size_t>(count)) {
      std::this_thread::yield();
    }
    released = Clock::now();
    gate.release();
    all_done.get_future().wait();
    run.seconds = std::chrono::duration<double>(Clock::now() - released).count();
  });
  run.rss_kib_per_request =
      static_cast<double>(status_kib("VmHWM") - rss_before) / static_cast<double>(count);
  return run;
}

struct RsaBaseline {
  double openssl_sign = 0, openssl_verify = 0;  // seconds, from `openssl speed`
  double evp_sign = 0, evp_verify = 0;          // seconds, timed here through the library
  double openssl_total() const { return openssl_sign + openssl_verify; }
  double evp_total() const { return evp_sign + evp_verify; }
};

// Seconds per RSA-2048 sign and verify from `openssl speed -seconds 2 rsa2048`.
std::pair<double, double> openssl_speed() {
  FILE* pipe = popen("openssl speed -seconds 2 rsa2048 2>/dev/null", "r");
  if (!pipe) throw std::runtime_error("cannot run openssl speed");
  std::string output;
  char buffer[4096];
  for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) output.append(buffer, n);
  pclose(pipe);
  std::smatch m;
  if (!std::regex_search(output, m, std::regex(R"(rsa 2048 bits\s+([0-9.]+)s\s+([0-9.]+)s)"))) {
    throw std::runtime_error("unexpected openssl speed output");
  }
  return {std::stod(m[1]), std::stod(m[2])};
}

// CPU seconds per call of `fn`, over about `budget` seconds of CPU.
template <typename Fn>
double cpu_per_call(Fn fn, double budget = 1.0) {
  long calls = 0;
  double start = cpu_seconds(), used = 0;
  while ((used = cpu_seconds() - start) < budget) {
    for (int i = 0; i < 50; ++i) fn();
    calls += 50;
  }
  return used / static_cast<double>(calls);
}

RsaBaseline rsa_baseline(const crypto::PrivateKey& key) {
  RsaBaseline baseline;
  std::tie(baseline.openssl_sign, baseline.openssl_verify) = openssl_speed();
  auto public_key = crypto::PublicKey::of(key);
  const std::string message = "POST\n/v3/payroll-card/tokens\n1700000000\n" + crypto::nonce() +
                              "\n{\"openid\":\"onqOjjmo8wmTOOtSKwXtGjg9Gb58\"}\n";
  const std::string signature = crypto::rsa_sign_sha256(key, message);
  baseline.evp_sign = cpu_per_call([&] { (void)crypto::rsa_sign_sha256(key, message); });
  baseline.evp_verify =
      cpu_per_call([&] { (void)crypto::rsa_verify_sha256(public_key, message, signature); });
  return baseline;
}

std::vector<Run> run_all(const Workload& load, long requests, int inflight) {
  std::vector<Run> runs;
  for (int i = 0; i < 50; ++i) load.chain->post(load.options());  // connections, TLS, caches
  runs.push_back(run_sync(load, requests));
  runs.push_back(run_closed_loop(load, 32, requests * 4));
  if (inflight > 0) runs.push_back(run_burst(load, inflight));
  return runs;
}

void print_table(const std::vector<Run>& runs, const RsaBaseline& rsa) {
  std::printf("%-4s %-6s %6s %8s %9s %10s %15s %9s %9s %12s %5s %s\n", "api", "via", "conc",
              "requests", "req/s", "cpu us/req", "(user + sys)", "p50 ms", "p99 ms", "RSS KiB/req",
              "conns", "failures");
  for (const Run& r : runs) {
    std::string rss = r.rss_kib_per_request ? std::to_string(*r.rss_kib_per_request) : "-";
    std::printf(
        "%-4s %-6s %6d %8ld %9.0f %10.1f (%5.1f + %5.1f) %9.2f %9.2f %12.12s %5ld %ld%s%s\n",
        r.api.c_str(), r.via.c_str(), r.concurrency, r.requests, r.rate(), r.cpu_us(),
        r.per_request_us(r.cpu.user), r.per_request_us(r.cpu.system),
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
      std::printf("v3 %-6s concurrency %-6d client CPU / (sign + verify) = %.2f x\n", r.via.c_str(),
                  r.concurrency, r.cpu_us() / (base * 1e6));
    } else if (r.api == "v2") {
      std::printf("v2 %-6s concurrency %-6d client CPU %.1f us per request\n", r.via.c_str(),
                  r.concurrency, r.cpu_us());
    }
  }
}

void print_json(const std::vector<Run>& runs, const RsaBaseline& rsa) {
  std::printf(
      "{\"rsa2048_us\":{\"openssl_sign\":%.2f,\"openssl_verify\":%.2f,"
      "\"evp_sign\":%.2f,\"evp_verify\":%.2f},\"runs\":[",
      rsa.openssl_sign * 1e6, rsa.openssl_verify * 1e6, rsa.evp_sign * 1e6, rsa.evp_verify * 1e6);
  const double base = rsa.openssl_total() > 0 ? rsa.openssl_total() : 1e300;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Run& r = runs[i];
    std::printf(
        "%s{\"api\":\"%s\",\"via\":\"%s\",\"concurrency\":%d,\"requests\":%ld,"
        "\"requests_per_s\":%.1f,\"connections\":%ld,"
        "\"cpu_us_per_request\":%.2f,\"user_us\":%.2f,\"sys_us\":%.2f,"
        "\"cpu_ratio_to_rsa\":%.3f,\"p50_ms\":%.3f,"
        "\"p99_ms\":%.3f,\"rss_kib_per_request\":%s,\"failures\":%ld}",
        i ? "," : "", r.api.c_str(), r.via.c_str(), r.concurrency, r.requests, r.rate(),
        r.connections, r.cpu_us(), r.per_request_us(r.cpu.user), r.per_request_us(r.cpu.system),
        r.cpu_us() / (base * 1e6), percentile(r.latencies, 0.50) * 1e3,
        percentile(r.latencies, 0.99) * 1e3,
        r.rss_kib_per_request ? std::to_string(*r.rss_kib_per_request).c_str() : "null",
        r.failures);
  }
  std::printf("]}\n");
}

struct Arguments {
  long requests = 2000;
  int inflight = 10'000;
  bool json = false;
  bool baseline = true;  // off for profiling the requests alone
  std::string api;       // "v3" or "v2": only that one
  std::string sandbox = WECHATPAY_SANDBOX_BINARY;
  bool h2_front = false;  // also through nghttpx, over HTTP/2 and over HTTP/1.1
};

Arguments parse(int argc, char** argv) {
  Arguments args;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    auto value = [&] {
      if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
      return std::string(argv[++i]);
    };
    if (flag == "--requests") {
      args.requests = std::stol(value());
    } else if (flag == "--inflight") {
      args.inflight = std::stoi(value());
    } else if (flag == "--api") {
      args.api = value();
    } else if (flag == "--json") {
      args.json = true;
    } else if (flag == "--no-baseline") {
      args.baseline = false;
    } else if (flag == "--sandbox") {
      args.sandbox = value();
    } else if (flag == "--h2-front") {
      args.h2_front = true;
    } else {
      throw std::invalid_argument(
          "usage: bench_e2e [--requests N] [--inflight N (0: none)] "
          "[--api v3|v2] [--json] [--no-baseline] [--sandbox PATH] [--h2-front]");
    }
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) try {
  const Arguments args = parse(argc, argv);
  test::SandboxProcess sandbox(args.sandbox, {"--bench"}, WECHATPAY_SANDBOX_CREDENTIALS);
  ClientConfig config = sandbox.config();
  config.timeout = std::chrono::minutes(5);  // 10,000 queued requests wait their turn
  std::optional<test::H2Front> front;
  if (args.h2_front) front.emplace(sandbox.base_uri(), sandbox.state().path().string());
  // Direct to the sandbox (cpp-httplib speaks HTTP/1.1 only), or through the front.
  struct Route {
    std::string via, base_uri;
    bool http2;
  };
  std::vector<Route> routes = {{"direct", sandbox.base_uri(), true}};
  if (front) {
    routes.push_back({"h2", front->base_uri(), true});
    routes.push_back({"h1.1", front->base_uri(), false});
  }
  std::vector<Run> runs;
  for (const Route& route : routes) {
    ClientConfig routed = config;
    routed.base_uri = route.base_uri;
    routed.http2 = route.http2;
    Client client(routed);
    // Encrypted once, sent each time: the timing is of the transport, not of RSA-OAEP (the
    // contract middleware leaves ciphertext alone).
    Json v3_body = example::payroll_card_token();
    for (const char* field : {"user_name", "id_card_number"}) {
      v3_body.set(field, client.encrypt(v3_body.find(field)->str()));
    }
    const Json v2_body = example::authcode_to_openid(config.mchid);
    for (const Workload& load :
         {Workload{"v3", route.via, client["v3/payroll-card/tokens"],
                   [&] { return Options{.json = v3_body}; }, client.stack()},
          Workload{"v2", route.via, client["v2/tools/authcodetoopenid"],
                   [&] { return Options{.xml = v2_body}; }, client.v2_stack()}}) {
      if (!args.api.empty() && args.api != load.api) continue;
      auto measured = run_all(load, args.requests, args.inflight);
      runs.insert(runs.end(), measured.begin(), measured.end());
    }
  }
  front.reset();
  sandbox.stop();

  auto key = crypto::PrivateKey::load(config.private_key, config.private_key_passphrase);
  const RsaBaseline rsa = args.baseline ? rsa_baseline(key) : RsaBaseline{};
  if (args.json) {
    print_json(runs, rsa);
  } else {
    print_table(runs, rsa);
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bench_e2e: " << e.what() << "\n";
  return 1;
}
