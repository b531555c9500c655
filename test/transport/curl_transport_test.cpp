// The libcurl transport against real TLS servers on 127.0.0.1: the bytes on the wire, TLS
// verification and client certificates, timeouts and size limits.
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/closed_port.hpp"
#include "transport/curl_transport_fixture.hpp"

namespace wechatpay {
namespace {

using namespace std::chrono_literals;
using namespace transport_test;
using Clock = std::chrono::steady_clock;

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
