// wechatpay-sandbox: a local WeChat Pay (APIv3 + APIv2) emulator for demos, tests and benchmarks.
#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <charconv>
#include <climits>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "contract_routes.hpp"
#include "credentials.hpp"
#include "server.hpp"
#include "wechatpay/contracts/registry.hpp"

namespace {

using namespace wechatpay::sandbox;

constexpr std::string_view kUsage = R"(usage: wechatpay-sandbox [options]
  --port N            port on 127.0.0.1 (default 0: a free one; the chosen port is printed)
  --http              plain HTTP instead of HTTPS (secapi/ endpoints then always refuse)
  --state DIR         credentials and profile.json live here (default ./wechatpay-sandbox-state);
                      generated on first start, loaded afterwards
  --mchid ID          merchant id for newly generated credentials (default 1900000001)
  --time-limit SEC    stop after SEC seconds (default: run until SIGINT/SIGTERM)
  --threads N         worker threads (default 32)
  --bench             start in bench mode (pre-signed answers; see POST /sandbox/bench)
  --fault MODE        apply a fault to every request (e.g. delay=500, bad_signature)
  --verbose           log each request to stderr
Prints "listening on <base_uri>" and "profile <path>" once it accepts connections.
)";

// How many endpoints answer, counted from the contracts compiled into the library.
std::string endpoints_served() {
  std::size_t v2 = 0, v3 = 0;
  for (const auto* contract : wechatpay::contracts::ContractRegistry::builtin()->contracts()) {
    (contract->api == wechatpay::contracts::Api::v2 ? v2 : v3) += 1;
  }
  return "Serves " + std::to_string(v2 + v3) + " endpoints, one per endpoint contract (" +
         std::to_string(v3) + " APIv3, " + std::to_string(v2) +
         " APIv2):\nthe stateful flows for orders, refunds, bills, media and certificates and "
         "the APIv2 seeds\n(authcodetoopenid, micropay, orderquery, secapi/pay/refund); every "
         "other one from its\ncontract. Plus the /sandbox/ admin endpoints.\n";
}

struct Arguments {
  int port = 0;
  bool http = false;
  std::string state = "wechatpay-sandbox-state";
  std::string mchid = "1900000001";
  long time_limit = 0;
  ServerOptions server;
  bool bench = false;
  std::string fault;
};

long number(std::string_view flag, std::string_view text, long low, long high) {
  long value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    throw std::invalid_argument(std::string(flag) + ": expected a number in [" +
                                std::to_string(low) + ", " + std::to_string(high) + "]");
  }
  return value;
}

Arguments parse(int argc, char** argv) {
  Arguments args;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
      return argv[++i];
    };
    if (flag == "--port") {
      args.port = static_cast<int>(number(flag, value(), 0, 65535));
    } else if (flag == "--http") {
      args.http = true;
    } else if (flag == "--state") {
      args.state = value();
    } else if (flag == "--mchid") {
      args.mchid = value();
    } else if (flag == "--time-limit") {
      args.time_limit = number(flag, value(), 1, LONG_MAX / 2);
    } else if (flag == "--threads") {
      args.server.threads = static_cast<std::size_t>(number(flag, value(), 1, 1024));
    } else if (flag == "--bench") {
      args.bench = true;
    } else if (flag == "--fault") {
      args.fault = value();
    } else if (flag == "--verbose") {
      args.server.verbose = true;
    } else if (flag == "--help" || flag == "-h") {
      std::cout << kUsage << endpoints_served();
      std::exit(0);
    } else {
      throw std::invalid_argument("unknown option " + std::string(flag));
    }
  }
  return args;
}

using Clock = std::chrono::steady_clock;

// Waits for SIGINT/SIGTERM (blocked in every thread), the time limit (`stop_at`), `until`, or
// an outage that is due; returns the stop reason, or "" for the last two.
std::string wait_for(const sigset_t& signals, std::optional<Clock::time_point> stop_at,
                     Clock::time_point until, OutageSwitch* outages, std::optional<Fault>& outage) {
  while (true) {
    timespec timeout{0, 50'000'000};
    if (int signal = sigtimedwait(&signals, nullptr, &timeout); signal > 0) {
      return signal == SIGINT ? "SIGINT" : "SIGTERM";
    }
    const auto now = Clock::now();
    if (stop_at && now >= *stop_at) return "time limit";
    if (now >= until) return "";
    if (outages && (outage = outages->take_due())) return "";
  }
}

// The listener: an httplib server on `port`, listening on its own thread.
struct Listener {
  std::unique_ptr<httplib::Server> server;
  std::thread thread;

  void start(Sandbox& sandbox, const ServerOptions& options, int port) {
    server = make_server(sandbox, options);
    // The old socket's port may take a moment to be free again.
    for (int i = 0; !server->bind_to_port("127.0.0.1", port); ++i) {
      if (i == 100) throw std::runtime_error("cannot listen again on " + std::to_string(port));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    thread = std::thread([this] { server->listen_after_bind(); });
  }
  void stop(int port) {
    server->stop();
    cut_connections(port);  // keep-alive connections end too
    thread.join();
  }
};

int run(const Arguments& args) {
  // Every thread (key generation, workers) inherits this mask, so only sigtimedwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a client hanging up mid-answer is not fatal

  auto started = std::chrono::steady_clock::now();
  Sandbox sandbox(load_or_generate(args.state, args.mchid), !args.http);
  sandbox.bench = args.bench;
  if (!args.fault.empty()) sandbox.faults.add(parse_fault(args.fault), "", INT_MAX);
  auto server = make_server(sandbox, args.server);

  int port = args.port == 0 ? server->bind_to_any_port("127.0.0.1")
                            : (server->bind_to_port("127.0.0.1", args.port) ? args.port : -1);
  if (port <= 0)
    throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(args.port));
  std::string base_uri =
      std::string(args.http ? "http" : "https") + "://127.0.0.1:" + std::to_string(port) + "/";
  auto profile = write_profile(sandbox.credentials, base_uri, !args.http);
  Listener listener{std::move(server), {}};
  listener.thread = std::thread([&listener] { listener.server->listen_after_bind(); });

  // The socket is already listening, so connections made after this line queue until accepted.
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count();
  std::cout << "listening on " << base_uri << "\nprofile " << profile.string() << std::endl;
  std::cerr << "wechatpay-sandbox: mchid " << sandbox.credentials.mchid << ", ready in " << ms
            << " ms\n";

  std::optional<Clock::time_point> stop_at;
  if (args.time_limit > 0) stop_at = Clock::now() + std::chrono::seconds(args.time_limit);
  std::string reason;
  std::optional<Fault> outage;
  while ((reason = wait_for(signals, stop_at, Clock::time_point::max(), &sandbox.outages, outage))
             .empty()) {
    listener.stop(port);
    std::cerr << "wechatpay-sandbox: " << fault_name(outage->kind) << " for "
              << outage->delay.count() << " ms\n";
    {
      std::optional<ResetListener> resetter;
      try {
        if (outage->kind == FaultKind::kResetConnections) resetter.emplace(port);
      } catch (const std::exception& e) {
        std::cerr << "wechatpay-sandbox: " << e.what() << "; refusing instead\n";
      }
      reason = wait_for(signals, stop_at, Clock::now() + outage->delay, nullptr, outage);
    }
    listener.start(sandbox, args.server, port);
    if (!reason.empty()) break;
    std::cerr << "wechatpay-sandbox: listening again\n";
  }
  sandbox.begin_stop();
  listener.stop(port);
  std::cerr << "wechatpay-sandbox: stopped (" << reason << ")\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::invalid_argument& e) {
    std::cerr << "wechatpay-sandbox: " << e.what() << "\n\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "wechatpay-sandbox: " << e.what() << '\n';
    return 1;
  }
}
