// The libcurl transport against real TLS servers on 127.0.0.1 (cpp-httplib, test CA).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/closed_port.hpp"
#include "support/pki.hpp"
#include "support/tls_server.hpp"
#include "wechatpay/errors.hpp"
#include "wechatpay/transport.hpp"

namespace wechatpay {
namespace {

using namespace std::chrono_literals;
using test::TlsServer;
using Clock = std::chrono::steady_clock;

struct Outcome {
  std::exception_ptr error;
  Response response;
};

// Sends and waits a bounded time; a missing completion fails the test instead of hanging.
Outcome send_and_wait(Transport& transport, Request request, std::chrono::seconds limit = 10s) {
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

std::string binary_body(std::size_t size) {
  std::string body;
  for (std::size_t i = 0; i < size; ++i) body.push_back(static_cast<char>((i * 131 + 7) % 256));
  return body;
}

void add_routes(httplib::Server& server, TlsServer& self, std::mutex& mutex,
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

// A plain-TCP peer that records the request head byte for byte (httplib drops empty header
// values, so the wire format of headers is checked here) and answers with an empty 200.
class RawCapture {
 public:
  RawCapture() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof addr;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), size) != 0 ||
        ::listen(listener_, 1) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
      throw std::runtime_error("RawCapture: cannot listen");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve_one(); });
  }
  ~RawCapture() {
    ::shutdown(listener_, SHUT_RDWR);  // unblocks accept() if no client came
    if (thread_.joinable()) thread_.join();
    ::close(listener_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/raw"; }
  // What the client sent; waits for the exchange to finish.
  std::string head() {
    if (thread_.joinable()) thread_.join();
    return head_;
  }

 private:
  void serve_one() {
    int peer = ::accept(listener_, nullptr, nullptr);
    if (peer < 0) return;
    char buffer[4096];
    while (head_.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = ::recv(peer, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      head_.append(buffer, static_cast<std::size_t>(n));
    }
    const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    (void)::send(peer, reply, sizeof reply - 1, MSG_NOSIGNAL);
    ::close(peer);
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string head_;
};

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

TEST_F(CurlTransportTest, EveryMethodSendsExactBytesAndHeaders) {
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    SCOPED_TRACE(method);
    std::string body =
        std::string(method) == "GET" ? "" : binary_body(3000) + std::string("\r\n\0tail", 7);
    Request r = request(method, "/echo", body);
    r.headers.add("X-Custom", "Value with  spaces");
    r.headers.add("Content-Type", "application/json");
    Outcome out = send_and_wait(*transport_, std::move(r));
    EXPECT_OK(out);
    EXPECT_EQ(out.response.status, 200);
    EXPECT_EQ(out.response.headers.value("Echo-Method"), method);
    EXPECT_EQ(out.response.body, body);
    EXPECT_EQ(out.response.headers.value("Echo-X-Custom"), "Value with  spaces");
    EXPECT_EQ(out.response.headers.value("Echo-Content-Type"), "application/json");
    EXPECT_FALSE(out.response.headers.contains("Echo-Expect"));
    EXPECT_FALSE(out.response.headers.contains("Echo-Accept"));  // no libcurl default
  }
}

TEST_F(CurlTransportTest, HeadersGoOnTheWireExactlyAsGiven) {
  RawCapture peer;
  Request r = request("GET", "/");
  r.url = peer.url();
  r.headers.add("X-Custom", "Value");
  r.headers.add("X-Empty", "");
  r.headers.add("x-lower", "kept");
  EXPECT_OK(send_and_wait(*transport_, std::move(r)));
  const std::string head = peer.head();
  EXPECT_TRUE(head.starts_with("GET /raw HTTP/1.1\r\n")) << head;
  EXPECT_NE(head.find("\r\nX-Custom: Value\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nX-Empty:\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nx-lower: kept\r\n"), std::string::npos) << head;
  for (const char* absent : {"Expect:", "Accept:", "Content-Type:"}) {
    EXPECT_EQ(head.find(absent), std::string::npos) << absent << " in " << head;
  }
}

// A GET with a body (an empty JSON object, say) goes out as GET: the method is signed.
TEST_F(CurlTransportTest, GetWithABodyStaysGet) {
  RawCapture peer;
  Request r = request("GET", "/", "{}");
  r.url = peer.url();
  EXPECT_OK(send_and_wait(*transport_, std::move(r)));
  const std::string head = peer.head();
  EXPECT_TRUE(head.starts_with("GET /raw HTTP/1.1\r\n")) << head;
  EXPECT_NE(head.find("\r\nContent-Length: 2\r\n"), std::string::npos) << head;
}

// libcurl honours http_proxy, https_proxy, ALL_PROXY and NO_PROXY when no proxy is set; the
// setting turns that off (CURLOPT_PROXY "").
TEST_F(CurlTransportTest, EnvironmentProxyIsHonouredUnlessTurnedOff) {
  RawCapture proxy;
  const std::string proxy_url = proxy.url().substr(0, proxy.url().rfind('/'));
  const std::string target = "http://127.0.0.1:" + std::to_string(test::closed_port()) + "/x";
  std::map<std::string, std::optional<std::string>> saved;
  for (const char* name : {"http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"}) {
    const char* value = std::getenv(name);
    saved[name] = value ? std::optional<std::string>(value) : std::nullopt;
    ::unsetenv(name);
  }
  ::setenv("http_proxy", proxy_url.c_str(), 1);

  Request direct = request("GET", "/");
  direct.url = target;
  direct.transfer.proxy_from_environment = false;
  EXPECT_TRUE(error_as<TransportError>(send_and_wait(*transport_, std::move(direct)).error))
      << "went through the environment's proxy";
  Request proxied = request("GET", "/");
  proxied.url = target;
  EXPECT_OK(send_and_wait(*transport_, std::move(proxied)));
  const std::string head = proxy.head();
  EXPECT_TRUE(head.starts_with("GET " + target + " HTTP/1.1\r\n")) << head;

  for (const auto& [name, value] : saved) {
    value ? ::setenv(name.c_str(), value->c_str(), 1) : ::unsetenv(name.c_str());
  }
}

TEST_F(CurlTransportTest, LargeBodyGoesWithoutExpectAndWithoutDefaultContentType) {
  std::string body = binary_body(2 << 20);
  Outcome out = send_and_wait(*transport_, request("POST", "/echo", body));
  EXPECT_OK(out);
  EXPECT_EQ(out.response.body.size(), body.size());
  EXPECT_TRUE(out.response.body == body);
  EXPECT_FALSE(out.response.headers.contains("Echo-Expect"));
  EXPECT_FALSE(out.response.headers.contains("Echo-Content-Type"));
  EXPECT_EQ(out.response.headers.value("Echo-Content-Length"), std::to_string(body.size()));
}

// A streamed body over `body`, handed out at most 1000 bytes a read; `fail` throws on the
// second read instead.
std::shared_ptr<const BodyStream> stream_of(std::string body, bool fail = false) {
  auto shared = std::make_shared<const std::string>(std::move(body));
  return std::make_shared<const BodyStream>(BodyStream{
      .size = shared->size(), .open = [shared, fail] {
        auto offset = std::make_shared<std::size_t>(0);
        return BodyStream::Reader([shared, fail, offset](char* buffer, std::size_t capacity) {
          if (fail && *offset > 0) throw std::runtime_error("the disk went away");
          std::size_t n = std::min({capacity, std::size_t{1000}, shared->size() - *offset});
          std::copy_n(shared->data() + *offset, n, buffer);
          *offset += n;
          return n;
        });
      }});
}

TEST_F(CurlTransportTest, StreamedBodyIsSentWholeWithItsLength) {
  std::string body = binary_body(1 << 20);
  Request r = request("POST", "/echo");
  r.body_stream = stream_of(body);
  Outcome out = send_and_wait(*transport_, std::move(r));
  EXPECT_OK(out);
  EXPECT_TRUE(out.response.body == body);
  EXPECT_EQ(out.response.headers.value("Echo-Content-Length"), std::to_string(body.size()));
}

TEST_F(CurlTransportTest, AStreamedBodyThatThrowsFailsTheRequestWithThatError) {
  Request r = request("PUT", "/echo");
  r.body_stream = stream_of(binary_body(50'000), true);
  Outcome out = send_and_wait(*transport_, std::move(r));
  auto message = error_as<std::runtime_error>(out.error);
  ASSERT_TRUE(message);
  EXPECT_EQ(*message, "the disk went away");
}

TEST_F(CurlTransportTest, UserAgentComesFromTransferSettings) {
  Request r = request("GET", "/echo");
  r.transfer.user_agent = "wechatpay-cpp/test";
  Outcome out = send_and_wait(*transport_, std::move(r));
  EXPECT_OK(out);
  EXPECT_EQ(out.response.headers.value("Echo-User-Agent"), "wechatpay-cpp/test");
}

TEST_F(CurlTransportTest, ResponseHeadersAreCaseInsensitive) {
  Outcome out = send_and_wait(*transport_, request("GET", "/peer?i=1"));
  EXPECT_OK(out);
  EXPECT_EQ(out.response.headers.value("x-mixed-case"), "yes");
  EXPECT_EQ(out.response.headers.value("X-MIXED-CASE"), "yes");
  EXPECT_EQ(out.response.headers.value("content-length"), "1");
}

TEST_F(CurlTransportTest, HeaderWithLineBreakIsRejectedWithoutEchoingItsValue) {
  Request r = request("GET", "/echo");
  r.headers.add("Authorization", "secret\r\nX-Injected: 1");
  Outcome out = send_and_wait(*transport_, std::move(r));
  auto message = error_as<TransportError>(out.error);
  ASSERT_TRUE(message);
  EXPECT_NE(message->find("Authorization"), std::string::npos);
  EXPECT_EQ(message->find("secret"), std::string::npos);
}

TEST_F(CurlTransportTest, UnknownCaFailsVerification) {
  Request r = request("GET", "/echo");
  r.transfer.ca_bundle.clear();  // system store: does not know the test CA
  Outcome out = send_and_wait(*transport_, std::move(r));
  auto message = error_as<TransportError>(out.error);
  ASSERT_TRUE(message) << "expected a TransportError";
  EXPECT_NE(message->find("GET " + server_->url("/echo")), std::string::npos) << *message;
}

TEST_F(CurlTransportTest, CaBundleMayBePemText) {
  Request r = request("GET", "/echo");
  r.transfer.ca_bundle = test::test_ca().pem();
  EXPECT_OK(send_and_wait(*transport_, std::move(r)));
}

TEST_F(CurlTransportTest, InsecureSkipVerifyAcceptsUnknownCa) {
  Request r = request("GET", "/echo");
  r.transfer.ca_bundle.clear();
  r.transfer.insecure_skip_verify = true;
  Outcome out = send_and_wait(*transport_, std::move(r));
  EXPECT_OK(out);
  EXPECT_EQ(out.response.status, 200);
}

TEST_F(CurlTransportTest, HostNameMismatchFailsUnlessSkipped) {
  test::CertificateSpec spec;
  spec.common_name = "example.com";
  spec.dns_names = {"example.com"};
  test::Certificate cert = test::test_ca().issue(spec, test::cached_rsa_key("tls-server"));
  test::TlsServerOptions options;
  options.cert_pem = cert.pem;
  options.key_pem = cert.key.private_pem;
  TlsServer other(
      [](httplib::Server& s, TlsServer&) {
        s.Get("/",
              [](const httplib::Request&, httplib::Response& res) { res.set_content("x", "a/b"); });
      },
      options);
  Request r = request("GET", "/");
  r.url = other.url("/");
  EXPECT_TRUE(error_as<TransportError>(send_and_wait(*transport_, r).error));
  r.transfer.insecure_skip_verify = true;
  EXPECT_OK(send_and_wait(*transport_, r));
}

TEST_F(CurlTransportTest, SlowResponseTimesOut) {
  Request r = request("GET", "/slow?ms=3000");
  r.transfer.timeout = 300ms;
  const auto start = Clock::now();
  Outcome out = send_and_wait(*transport_, std::move(r));
  const auto elapsed = Clock::now() - start;
  EXPECT_TRUE(error_as<TimeoutError>(out.error)) << "expected a TimeoutError";
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2s);
}

TEST_F(CurlTransportTest, RefusedConnectionIsTransportError) {
  Request r = request("GET", "/");
  r.url = "https://127.0.0.1:1/refused";
  Outcome out = send_and_wait(*transport_, std::move(r));
  auto message = error_as<TransportError>(out.error);
  ASSERT_TRUE(message);
  EXPECT_FALSE(error_as<TimeoutError>(out.error));
  EXPECT_NE(message->find("GET https://127.0.0.1:1/refused"), std::string::npos) << *message;
}

TEST_F(CurlTransportTest, BodyOverCapIsTransportError) {
  for (const char* path : {"/big?n=100000", "/chunked?n=100000"}) {
    SCOPED_TRACE(path);
    Request r = request("GET", path);
    r.transfer.max_response_bytes = 1000;
    auto message = error_as<TransportError>(send_and_wait(*transport_, std::move(r)).error);
    ASSERT_TRUE(message);
    EXPECT_NE(message->find("exceeded the 1000-byte cap"), std::string::npos) << *message;
  }
  Request exact = request("GET", "/chunked?n=1000");
  exact.transfer.max_response_bytes = 1000;
  Outcome out = send_and_wait(*transport_, std::move(exact));
  EXPECT_OK(out);
  EXPECT_EQ(out.response.body, binary_body(1000));
}

TEST_F(CurlTransportTest, SinkReceivesTheBody) {
  const auto file = dir_.path() / "download.bin";
  Request r = request("GET", "/chunked?n=300000");
  r.transfer.sink = file.string();
  Outcome out = send_and_wait(*transport_, std::move(r));
  EXPECT_OK(out);
  EXPECT_EQ(out.response.status, 200);
  EXPECT_TRUE(out.response.body.empty());
  std::ifstream in(file, std::ios::binary);
  std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(written == binary_body(300000)) << written.size() << " bytes written";
}

TEST_F(CurlTransportTest, UnwritableSinkIsTransportError) {
  Request r = request("GET", "/big?n=10");
  r.transfer.sink = (dir_.path() / "missing-dir" / "file").string();
  EXPECT_TRUE(error_as<TransportError>(send_and_wait(*transport_, std::move(r)).error));
}

TEST_F(CurlTransportTest, SequentialRequestsReuseOneConnection) {
  for (int i = 0; i < 5; ++i) EXPECT_OK(send_and_wait(*transport_, request("GET", "/peer?i=1")));
  EXPECT_EQ(distinct_peers(), 1u);
}

TEST_F(CurlTransportTest, CompletionsRunOnTheIoThread) {
  EXPECT_FALSE(transport_->on_io_thread());
  auto promise = std::make_shared<std::promise<bool>>();
  auto future = promise->get_future();
  transport_->send(request("GET", "/echo"), [promise, t = transport_.get()](auto, auto) {
    promise->set_value(t->on_io_thread());
  });
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(future.get());
}

TEST_F(CurlTransportTest, ThousandConcurrentRequestsFromEightThreadsCompleteOnce) {
  constexpr int kThreads = 8, kPerThread = 125, kTotal = kThreads * kPerThread;
  // httplib serves a connection per worker thread: cap connections to what it can serve, so
  // requests also queue inside libcurl's multi handle.
  CurlTransportOptions options;
  options.max_host_connections = 8;
  transport_ = make_curl_transport(options);
  std::vector<std::atomic<int>> completions(kTotal);
  std::atomic<int> failures{0}, off_thread{0};
  std::mutex first_error_mutex;
  std::string first_error;
  Counter counter;
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&, t] {
      for (int i = t * kPerThread; i < (t + 1) * kPerThread; ++i) {
        Request r = request("GET", "/peer?i=" + std::to_string(i));
        r.transfer.connect_timeout = r.transfer.timeout = 15s;
        transport_->send(std::move(r), [&, i](std::exception_ptr error, Response response) {
          if (error || response.body != std::to_string(i)) {
            ++failures;
            std::lock_guard lock(first_error_mutex);
            if (first_error.empty())
              first_error = error_as<std::exception>(error).value_or(
                  "status " + std::to_string(response.status) + " body " + response.body);
          }
          if (!transport_->on_io_thread()) ++off_thread;
          ++completions[i];
          counter.add();
        });
      }
    });
  }
  for (auto& sender : senders) sender.join();
  ASSERT_TRUE(counter.wait_for(kTotal, 20s)) << counter.count() << " of " << kTotal;
  std::this_thread::sleep_for(50ms);  // room for a (wrong) second completion to show up
  EXPECT_EQ(counter.count(), kTotal);
  for (int i = 0; i < kTotal; ++i) ASSERT_EQ(completions[i].load(), 1) << "request " << i;
  EXPECT_EQ(failures.load(), 0) << first_error;
  EXPECT_EQ(off_thread.load(), 0);
}

TEST_F(CurlTransportTest, RequestQueuedBehindBusyConnectionsTimesOut) {
  // One connection: 16 transfers go to libcurl, the 17th waits in the transport's own queue.
  CurlTransportOptions options;
  options.max_host_connections = 1;
  transport_ = make_curl_transport(options);
  Counter counter;
  for (int i = 0; i < 16; ++i) {
    Request r = request("GET", "/slow?ms=5000");
    r.transfer.timeout = 700ms;
    transport_->send(std::move(r), [&](std::exception_ptr, Response) { counter.add(); });
  }
  // A signed APIv2 GET carries its sign in the query: the message must not.
  Request queued = request("GET", "/echo?a=1&sign=SECRET0123456789ABCDEF");
  queued.transfer.timeout = 300ms;
  Outcome out = send_and_wait(*transport_, std::move(queued));
  auto message = error_as<TimeoutError>(out.error);
  ASSERT_TRUE(message) << "expected a TimeoutError";
  EXPECT_NE(message->find("GET https://"), std::string::npos) << *message;
  EXPECT_NE(message->find("waiting for a free connection"), std::string::npos) << *message;
  EXPECT_EQ(message->find("SECRET0123456789ABCDEF"), std::string::npos) << *message;
  EXPECT_TRUE(counter.wait_for(16, 20s)) << counter.count() << " of 16";
}

// A forked child has the transport's state but not its I/O thread: a request there must fail at
// once with an error that says why, and dropping the transport must not wait for the thread.
TEST_F(CurlTransportTest, ARequestInAForkedChildFailsFastSayingWhy) {
  EXPECT_OK(send_and_wait(*transport_, request("GET", "/echo")));  // the I/O thread runs
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Exit codes: 0 the expected error, 1 another outcome, 2 no outcome within 5 s (a hang).
    std::promise<std::exception_ptr> outcome;
    transport_->send(request("GET", "/echo"),
                     [&](std::exception_ptr error, Response) { outcome.set_value(error); });
    auto future = outcome.get_future();
    if (future.wait_for(5s) != std::future_status::ready) ::_exit(2);
    auto message = error_as<TransportError>(future.get());
    if (!message || message->find("fork") == std::string::npos) ::_exit(1);
    transport_.reset();
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "the child died: signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: another outcome, 2: no outcome (a hang)";
  EXPECT_OK(send_and_wait(*transport_, request("GET", "/echo")));  // the parent is unaffected
}

TEST_F(CurlTransportTest, DestructionFailsInFlightAndQueuedRequestsOnce) {
  constexpr int kInFlight = 10, kQueued = 5;
  std::vector<std::atomic<int>> completions(kInFlight + kQueued);
  std::atomic<int> shut_down{0};
  auto complete = [&](int i) {
    return [&, i](std::exception_ptr error, Response) {
      auto message = error_as<TransportError>(error);
      if (message && message->find("transport shut down") != std::string::npos) ++shut_down;
      ++completions[i];
    };
  };
  for (int i = 0; i < kInFlight; ++i)
    transport_->send(request("GET", "/slow?ms=5000"), complete(i));
  std::this_thread::sleep_for(300ms);  // let them reach the server
  for (int i = kInFlight; i < kInFlight + kQueued; ++i) {
    transport_->send(request("GET", "/slow?ms=5000"), complete(i));
  }
  const auto start = Clock::now();
  transport_.reset();
  EXPECT_LT(Clock::now() - start, 1s);
  const int seen = shut_down.load();
  EXPECT_EQ(seen, kInFlight + kQueued);
  std::this_thread::sleep_for(100ms);  // nothing may complete after the destructor returned
  for (auto& c : completions) EXPECT_EQ(c.load(), 1);
  EXPECT_EQ(shut_down.load(), seen);
}

TEST_F(CurlTransportTest, DroppingTheLastReferenceInsideACompletionDoesNotDeadlock) {
  Counter counter;
  std::atomic<int> slow_shut_down{0};
  auto holder = std::make_shared<std::shared_ptr<Transport>>(std::move(transport_));
  Transport& transport = **holder;
  transport.send(request("GET", "/slow?ms=5000"), [&](std::exception_ptr error, Response) {
    if (error_as<TransportError>(error)) ++slow_shut_down;
    counter.add();
  });
  transport.send(request("GET", "/echo"), [holder, &counter](std::exception_ptr, Response) {
    holder->reset();  // the last reference, on the I/O thread
    counter.add();
  });
  ASSERT_TRUE(counter.wait_for(2, 5s)) << counter.count() << " of 2 completions";
  EXPECT_EQ(slow_shut_down.load(), 1);
}

test::TlsServerOptions requiring_client_certificates() {
  test::TlsServerOptions options;
  options.client_ca_pem = test::test_ca().pem();
  return options;
}

class MutualTlsTest : public CurlTransportTest {
 protected:
  MutualTlsTest() : CurlTransportTest(requiring_client_certificates()) {}
  test::Certificate client_ = test::make_client_certificate();
};

TEST_F(MutualTlsTest, ClientCertificateAsPemText) {
  Request r = request("GET", "/echo");
  r.transfer.client_cert = client_.pem;
  r.transfer.client_key = client_.key.private_pem;
  Outcome out = send_and_wait(*transport_, std::move(r));
  EXPECT_OK(out);
  EXPECT_EQ(out.response.status, 200);
}

TEST_F(MutualTlsTest, ClientCertificateAsFilesWithPassphrase) {
  Request r = request("GET", "/echo");
  r.transfer.client_cert = "file://" + dir_.write("cert.pem", client_.pem).string();
  r.transfer.client_key = dir_.write("key.pem", client_.key.encrypted_private_pem("pw")).string();
  r.transfer.client_key_passphrase = "pw";
  EXPECT_OK(send_and_wait(*transport_, std::move(r)));
}

TEST_F(MutualTlsTest, MissingClientCertificateIsTransportError) {
  EXPECT_TRUE(error_as<TransportError>(send_and_wait(*transport_, request("GET", "/echo")).error));
}

}  // namespace
}  // namespace wechatpay
