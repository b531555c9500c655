// End-to-end load driver: the real wechatpay-sandbox (bench mode, its own process and state
// directory, so its CPU is not counted) answers; this process is the client. For APIv3 (the
// payroll-card token seed) and APIv2 (authcodetoopenid) it measures requests/s, client CPU per
// request (getrusage user+sys, all threads), p50/p99 latency for: synchronous calls one after
// another (sync; for APIv3 also `bare`: the same call signed, sent and verified without the SDK's
// pipeline, bare_client.hpp), 32 in flight as callbacks, as coroutines (post_co) and as Asio
// coroutines (async_post + use_awaitable, when Asio is installed), and 10,000 at once (burst, with
// RSS per in-flight request). Over TLS, then the sync and callback rows again over plain HTTP; with
// --h2-front also through nghttpx (an HTTP/2 TLS front before the sandbox), over HTTP/2 and
// HTTP/1.1, counting the connections the client opened. Then the RSA-2048 sign + verify baseline
// (`openssl speed` and EVP_DigestSign timed here) that the APIv3 figures are compared with.
// With --passes N the whole sequence and the floor run N times in turn, and each row's median
// ratio to the floor of its own pass is printed with its range.
//   bench_e2e [--requests N] [--inflight N] [--api v3|v2] [--no-http] [--json] [--no-baseline]
//             [--sandbox PATH] [--h2-front] [--passes N] [--modes sync,bare,callback,...]
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#if __has_include(<asio.hpp>)
#include <asio.hpp>

#include "wechatpay/asio.hpp"
#include "wechatpay/asio_transport.hpp"
#define WECHATPAY_BENCH_ASIO 1
#endif

#include "bare_client.hpp"
#include "cpu_time.hpp"
#include "e2e_report.hpp"
#include "rsa_floor.hpp"
#include "seed_requests.hpp"
#include "support/detached_coroutine.hpp"
#include "support/h2_front.hpp"
#include "support/sandbox_process.hpp"
#include "wechatpay/wechatpay.hpp"

namespace {

using namespace wechatpay;
using bench::BareClient;
using bench::Cpu;
using bench::cpu_now;
using bench::Pass;
using bench::RsaFloor;
using bench::Run;
using Clock = std::chrono::steady_clock;

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

// What each request of one API needs: its chain, fresh options and its stack.
struct Workload {
  std::string api;  // "v3", "v2"
  std::string via;
  Chain chain;
  std::function<Options()> options;
  HandlerStack& stack;
  std::function<Response()> bare;  // the same call without the SDK's pipeline (v3 only)
  std::function<Chain(std::shared_ptr<Transport>)> chain_over;  // the chain, another transport
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
Run timed(const Workload& load, std::string mode, int concurrency, long requests, Body body) {
  Run run{.api = load.api,
          .via = load.via,
          .mode = std::move(mode),
          .concurrency = concurrency,
          .requests = requests};
  run.latencies.reserve(static_cast<std::size_t>(requests));
  Cpu cpu = cpu_now();
  auto wall = Clock::now();
  body(run);
  if (run.seconds == 0) run.seconds = std::chrono::duration<double>(Clock::now() - wall).count();
  run.cpu = cpu_now() - cpu;
  return run;
}

// `call` made synchronously `requests` times, one after the other.
template <typename Call>
Run run_one_by_one(const Workload& load, std::string mode, long requests, Call call) {
  return timed(load, std::move(mode), 1, requests, [&](Run& run) {
    Tally tally(run);
    for (long i = 0; i < requests; ++i) {
      auto started = Clock::now();
      std::exception_ptr error;
      Response response;
      try {
        response = call();
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
  return timed(load, "callback", concurrency, requests, [&](Run& run) {
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

// What the closed-loop coroutines of one run share.
struct Loop {
  long requests;
  std::atomic<long> issued{0};
  std::atomic<int> running;
  Tally& tally;
  std::promise<void> all_done{};
};

// Awaits requests one after the other until the run has sent them all.
test::Detached co_worker(const Workload& load, Loop& loop) {
  while (loop.issued.fetch_add(1) < loop.requests) {
    auto started = Clock::now();
    std::exception_ptr error;
    Response response;
    try {
      auto call = load.chain->post_co(load.options());
      response = co_await call;
    } catch (...) {
      error = std::current_exception();
    }
    loop.tally.record(started, error, response);
  }
  if (loop.running.fetch_sub(1) == 1) loop.all_done.set_value();
}

// run_closed_loop with `concurrency` coroutines awaiting post_co; they resume on the I/O
// thread, where the callbacks run.
Run run_coroutines(const Workload& load, int concurrency, long requests) {
  return timed(load, "coroutine", concurrency, requests, [&](Run& run) {
    Tally tally(run);
    Loop loop{.requests = requests, .running = concurrency, .tally = tally};
    for (int i = 0; i < concurrency; ++i) co_worker(load, loop);
    loop.all_done.get_future().wait();
  });
}

#ifdef WECHATPAY_BENCH_ASIO
asio::awaitable<void> asio_worker(const Workload& load, Loop& loop) {
  while (loop.issued.fetch_add(1) < loop.requests) {
    auto started = Clock::now();
    std::exception_ptr error;
    Response response;
    try {
      response = co_await wechatpay::async_post(load.chain, load.options(), asio::use_awaitable);
    } catch (...) {
      error = std::current_exception();
    }
    loop.tally.record(started, error, response);
  }
}

// run_closed_loop with `concurrency` Asio coroutines (use_awaitable) on an io_context run by
// this thread. Over the SDK's own transport, each completion hops from its I/O thread to the
// io_context; over make_asio_transport (`io_transport`), libcurl runs on the io_context too.
Run run_asio(const Workload& load, int concurrency, long requests, bool io_transport) {
  asio::io_context io;
  std::optional<Workload> own;
  if (io_transport) {
    own.emplace(load);
    own->chain = load.chain_over(make_asio_transport(io));
  }
  const Workload& used = own ? *own : load;
  auto run_workers = [&](Loop& loop) {
    for (int i = 0; i < concurrency; ++i)
      asio::co_spawn(io, asio_worker(used, loop), asio::detached);
    io.restart();
    io.run();  // until every worker has returned
  };
  if (io_transport) {  // its connections, as run_all's warm-up opened the SDK transport's
    Run ignored;
    Tally tally(ignored);
    Loop warm_up{.requests = 2L * concurrency, .running = concurrency, .tally = tally};
    run_workers(warm_up);
  }
  return timed(used, io_transport ? "asio-io" : "asio", concurrency, requests, [&](Run& run) {
    Tally tally(run);
    Loop loop{.requests = requests, .running = concurrency, .tally = tally};
    run_workers(loop);
  });
}
#endif

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
  Run run = timed(load, "burst", count, count, [&](Run& run) {
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

// `modes`: a comma-separated subset of sync,bare,callback,coroutine,asio,asio-io,burst; empty:
// all.
std::vector<Run> run_all(const Workload& load, long requests, int inflight, bool async_forms,
                         const std::string& modes) {
  auto on = [&](const std::string& mode) {
    return modes.empty() || ("," + modes + ",").find("," + mode + ",") != std::string::npos;
  };
  std::vector<Run> runs;
  for (int i = 0; i < 50; ++i) load.chain->post(load.options());  // connections, TLS, caches
  if (on("sync")) {
    runs.push_back(
        run_one_by_one(load, "sync", requests, [&] { return load.chain->post(load.options()); }));
  }
  if (load.bare && on("bare")) runs.push_back(run_one_by_one(load, "bare", requests, load.bare));
  if (on("callback")) runs.push_back(run_closed_loop(load, 32, requests * 4));
  if (async_forms && on("coroutine")) runs.push_back(run_coroutines(load, 32, requests * 4));
#ifdef WECHATPAY_BENCH_ASIO
  if (async_forms && on("asio")) runs.push_back(run_asio(load, 32, requests * 4, false));
  if (async_forms && on("asio-io")) runs.push_back(run_asio(load, 32, requests * 4, true));
#endif
  if (inflight > 0 && on("burst")) runs.push_back(run_burst(load, inflight));
  return runs;
}

struct Arguments {
  long requests = 2000;
  int inflight = 10'000;
  bool json = false;
  bool baseline = true;  // off for profiling the requests alone
  std::string api;       // "v3" or "v2": only that one
  bool http = true;      // also the plain-HTTP sandbox (sync and callback rows)
  std::string sandbox = WECHATPAY_SANDBOX_BINARY;
  bool h2_front = false;  // also through nghttpx, over HTTP/2 and over HTTP/1.1
  int passes = 1;         // every row then the floor, this many times (load drifts: medians)
  std::string modes;      // only these rows (comma-separated), e.g. for a profile
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
    } else if (flag == "--no-http") {
      args.http = false;
    } else if (flag == "--no-baseline") {
      args.baseline = false;
    } else if (flag == "--sandbox") {
      args.sandbox = value();
    } else if (flag == "--h2-front") {
      args.h2_front = true;
    } else if (flag == "--modes") {
      args.modes = value();
    } else if (flag == "--passes") {
      args.passes = std::max(1, std::stoi(value()));
    } else {
      throw std::invalid_argument(
          "usage: bench_e2e [--requests N] [--inflight N (0: none)] "
          "[--api v3|v2] [--no-http] [--json] [--no-baseline] [--sandbox PATH] [--h2-front] "
          "[--passes N] [--modes sync,bare,callback,coroutine,asio,asio-io,burst]");
    }
  }
  return args;
}

// One way to the sandbox, and which forms of call are measured over it.
struct Route {
  std::string via, base_uri;
  bool http2 = false;
  bool async_forms = false;  // coroutine and Asio rows
  bool burst = false;        // the 10,000-in-flight row
};

// `path` on a client like `config`'s over `transport`.
std::function<Chain(std::shared_ptr<Transport>)> chain_over(const ClientConfig& config,
                                                            std::string path) {
  return [config, path](std::shared_ptr<Transport> transport) {
    ClientConfig over = config;
    over.transport = std::move(transport);
    return Client(over)[path];
  };
}

// Every request form over `route`, for each API.
void measure(const Arguments& args, ClientConfig config, const Route& route,
             std::vector<Run>& runs) {
  config.base_uri = route.base_uri;
  config.http2 = route.http2;
  config.timeout = std::chrono::minutes(5);  // 10,000 queued requests wait their turn
  Client client(config);
  // Encrypted once, sent each time: the timing is of the transport, not of RSA-OAEP (the
  // contract middleware leaves ciphertext alone).
  Json v3_body = example::payroll_card_token();
  for (const char* field : {"user_name", "id_card_number"}) {
    v3_body.set(field, client.encrypt(v3_body.find(field)->str()));
  }
  const Json v2_body = example::authcode_to_openid(config.mchid);
  BareClient bare(config, client.key_store(), "v3/payroll-card/tokens", v3_body.dump(),
                  client.encryption_serial());
  for (const Workload& load :
       {Workload{"v3", route.via, client["v3/payroll-card/tokens"],
                 [&] { return Options{.json = v3_body}; }, client.stack(),
                 // Over HTTP/2 too when the route offers it: libcurl's default for TLS.
                 route.via == "h2" ? std::function<Response()>() : [&] { return bare.post(); },
                 chain_over(config, "v3/payroll-card/tokens")},
        Workload{"v2", route.via, client["v2/tools/authcodetoopenid"],
                 [&] { return Options{.xml = v2_body}; }, client.v2_stack(), nullptr,
                 chain_over(config, "v2/tools/authcodetoopenid")}}) {
    if (!args.api.empty() && args.api != load.api) continue;
    auto measured = run_all(load, args.requests, route.burst ? args.inflight : 0, route.async_forms,
                            args.modes);
    runs.insert(runs.end(), measured.begin(), measured.end());
  }
}

}  // namespace

int main(int argc, char** argv) try {
  const Arguments args = parse(argc, argv);
  // A loaded machine can take longer than the launcher's default limit of 300 s.
  const std::vector<std::string> bench_args{"--bench", "--time-limit", "3600"};
  test::SandboxProcess sandbox(args.sandbox, bench_args, WECHATPAY_SANDBOX_CREDENTIALS);
  const ClientConfig config = sandbox.config();
  // Read while the sandbox's key file exists, for the floor.
  auto key = crypto::PrivateKey::load(config.private_key, config.private_key_passphrase);
  // TLS (every form of call, and the burst); with --h2-front, through nghttpx (cpp-httplib
  // speaks HTTP/1.1 only) over HTTP/2 and HTTP/1.1; plain HTTP (sync and callback): what TLS
  // adds, and what the synchronous path costs without it.
  std::vector<std::pair<Route, ClientConfig>> routes = {
      {{"tls", sandbox.base_uri(), false, true, true}, config}};
  std::optional<test::H2Front> front;
  if (args.h2_front) {
    front.emplace(sandbox.base_uri(), sandbox.state().path().string());
    routes.push_back({{"h2", front->base_uri(), true, false, true}, config});
    routes.push_back({{"h1.1", front->base_uri(), false, false, true}, config});
  }
  std::optional<test::SandboxProcess> plain;
  if (args.http) {
    std::vector<std::string> http_args = bench_args;
    http_args.push_back("--http");
    plain.emplace(args.sandbox, http_args, WECHATPAY_SANDBOX_CREDENTIALS);
    routes.push_back({{"http", plain->base_uri()}, plain->config()});
  }

  std::vector<Pass> passes(static_cast<std::size_t>(args.passes));
  for (Pass& pass : passes) {
    for (const auto& [route, route_config] : routes) measure(args, route_config, route, pass.runs);
    if (args.baseline) pass.floor = bench::measure_rsa_floor(key, args.passes > 1 ? 1 : 2);
  }
  for (std::size_t i = 0; i < passes.size(); ++i) {
    if (args.json) {
      bench::print_json(passes[i].runs, passes[i].floor);  // one line per pass
    } else {
      if (passes.size() > 1)
        std::printf("%spass %zu of %zu\n", i ? "\n" : "", i + 1, passes.size());
      bench::print_table(passes[i].runs, passes[i].floor);
    }
  }
  if (!args.json && passes.size() > 1 && args.baseline) bench::print_medians(passes);
  return 0;
} catch (const std::exception& e) {
  std::cerr << "bench_e2e: " << e.what() << "\n";
  return 1;
}
