// The libcurl transport's test fixture: a TLS server on 127.0.0.1 (cpp-httplib, test CA) with
// echo, slow, big, chunked and peer-recording routes, and bounded waits for completions. Shared
// by curl_transport_test.cpp (the wire, TLS and limits) and curl_transport_threads_test.cpp.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "support/pki.hpp"
#include "support/temp_dir.hpp"
#include "support/tls_server.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/transport.hpp"

namespace wechatpay::transport_test {

using namespace std::chrono_literals;
using test::TlsServer;

struct Outcome {
  std::exception_ptr error;
  Response response;
};

// Sends and waits a bounded time; a missing completion fails the test instead of hanging.
inline Outcome send_and_wait(Transport& transport, Request request,
                             std::chrono::seconds limit = 10s) {
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto future = promise->get_future();
  transport.send(std::move(request), [promise](std::exception_ptr error, Response response) {
    promise->set_value({std::move(error), std::move(response)});
  });
  if (future.wait_for(limit) != std::future_status::ready) {
    ADD_FAILURE() << "no completion within " << limit.count() << " s";
    return {std::make_exception_ptr(std::runtime_error("no completion")), {}};
  }
  return future.get();
}

// The error's message if it is an E; a TimeoutError does not count as a plain TransportError.
template <typename E>
std::optional<std::string> error_as(const std::exception_ptr& error) {
  if (!error) return std::nullopt;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    const bool timeout = dynamic_cast<const TimeoutError*>(&e) != nullptr;
    if (dynamic_cast<const E*>(&e) && !(timeout && std::is_same_v<E, TransportError>)) {
      return std::string(e.what());
    }
  }
  return std::nullopt;
}

#define EXPECT_OK(outcome) \
  EXPECT_FALSE((outcome).error) << error_as<std::exception>((outcome).error).value_or("")

// Counts completions and waits, bounded, for an expected number of them.
class Counter {
 public:
  void add() {
    std::lock_guard lock(mutex_);
    ++count_;
    changed_.notify_all();
  }
  bool wait_for(int expected, std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return count_ >= expected; });
  }
  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_ = 0;
};

inline std::string binary_body(std::size_t size) {
  std::string body;
  for (std::size_t i = 0; i < size; ++i) body.push_back(static_cast<char>((i * 131 + 7) % 256));
  return body;
}

inline void add_routes(httplib::Server& server, TlsServer& self, std::mutex& mutex,
                       std::set<std::string>& peers) {
  auto echo = [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Echo-Method", req.method);
    for (const auto& [name, value] : req.headers) res.set_header("Echo-" + name, value);
    res.set_content(req.body, "application/octet-stream");
  };
  server.Get("/echo", echo);
  server.Post("/echo", echo);
  server.Put("/echo", echo);
  server.Patch("/echo", echo);
  server.Delete("/echo", echo);
  server.Get("/slow", [&self](const httplib::Request& req, httplib::Response& res) {
    self.sleep_unless_stopping(std::chrono::milliseconds(std::stoi(req.get_param_value("ms"))));
    res.set_content("late", "text/plain");
  });
  server.Get("/big", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(binary_body(std::stoul(req.get_param_value("n"))), "application/octet-stream");
  });
  server.Get("/chunked", [](const httplib::Request& req, httplib::Response& res) {
    auto body = std::make_shared<std::string>(binary_body(std::stoul(req.get_param_value("n"))));
    res.set_chunked_content_provider(
        "application/octet-stream", [body](std::size_t offset, httplib::DataSink& sink) {
          std::size_t n = std::min<std::size_t>(4096, body->size() - offset);
          sink.write(body->data() + offset, n);
          if (offset + n == body->size()) sink.done();
          return true;
        });
  });
  server.Get("/peer", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    peers.insert(req.remote_addr + ":" + std::to_string(req.remote_port));
    res.set_header("X-Mixed-Case", "yes");
    res.set_content(req.get_param_value("i"), "text/plain");
  });
}

class CurlTransportTest : public ::testing::Test {
 protected:
  explicit CurlTransportTest(test::TlsServerOptions options = {})
      : ca_file_(dir_.write("ca.pem", test::test_ca().pem())),
        server_(std::make_unique<TlsServer>(
            [this](httplib::Server& s, TlsServer& self) { add_routes(s, self, mutex_, peers_); },
            std::move(options))) {}

  Request request(std::string method, std::string_view path, std::string body = {}) {
    Request r;
    r.method = std::move(method);
    r.url = server_->url(path);
    r.body = std::move(body);
    r.transfer.ca_bundle = ca_file_.string();
    r.transfer.connect_timeout = 3s;
    r.transfer.timeout = 5s;
    return r;
  }

  std::size_t distinct_peers() {
    std::lock_guard lock(mutex_);
    return peers_.size();
  }

  test::TempDir dir_;
  std::filesystem::path ca_file_;
  std::mutex mutex_;
  std::set<std::string> peers_;
  // Destroyed before the server, so keep-alive connections close first.
  std::unique_ptr<TlsServer> server_;
  std::shared_ptr<Transport> transport_ = make_curl_transport();
};

}  // namespace wechatpay::transport_test
