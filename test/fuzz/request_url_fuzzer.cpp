// The client's URL building with hostile segments, values and methods: every request either is
// refused with a ConfigError before it is signed, or goes out with the target that was signed.
// libcurl's own URL parser (the one the transport uses) plays the receiving side: the path and
// query it sees must be exactly Request::target(), which the signer signed.
// Input: lines "method", "segment|segment|...", "value"; each may hold any byte but '\n'.
#include <curl/curl.h>

#include <cstdint>
#include <memory>

#include "fuzz/fuzz_support.hpp"
#include "wechatpay/client.hpp"

using namespace wechatpay;

namespace {

// Keeps the last request; never sends anything.
class Capture : public Transport {
 public:
  void send(Request request, Completion done) override {
    last = std::move(request);
    done(std::make_exception_ptr(TransportError("captured")), {});
  }
  bool on_io_thread() const override { return false; }
  Request last;
};

struct Fixture {
  std::shared_ptr<Capture> capture = std::make_shared<Capture>();
  Client client{{.mchid = "1900000001",
                 .serial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74",
                 .private_key = pki::cached_rsa_key("fuzz-merchant").private_pem,
                 .certs = {{std::string(fuzz::kSerial), fuzz::wechatpay_key().public_pem}},
                 .secret = std::string(fuzz::kV2Secret),
                 .transport = capture,
                 // No failover: after three captured failures its probe would send through the
                 // capture from the breaker's timer thread, racing the input's own request.
                 .failover = {.backup_base_uri = ""}}};
};

std::string_view next_line(std::string_view& text) {
  const auto end = text.find('\n');
  const auto line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  return line;
}

// The path and query libcurl would send for `url`, as "path?query" (or just "path").
std::string curl_target(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> handle(curl_url(), curl_url_cleanup);
  fuzz::require(curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK,
                "libcurl cannot parse a URL the client built");
  char* path = nullptr;
  char* query = nullptr;
  curl_url_get(handle.get(), CURLUPART_PATH, &path, 0);
  const bool has_query = curl_url_get(handle.get(), CURLUPART_QUERY, &query, 0) == CURLUE_OK;
  std::string target = path ? path : "";
  if (has_query && query) target += std::string("?") + query;
  curl_free(path);
  curl_free(query);
  return target;
}

bool is_token(std::string_view method) {
  if (method.empty()) return false;
  for (const unsigned char c : method) {
    if (c <= 0x20 || c >= 0x7F ||
        std::string_view("\"(),/:;<=>?@[\\]{}").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::Input input(data, size);
  static Fixture fixture;
  std::string_view text = fuzz::as_text(data, size);
  const std::string method(next_line(text));
  std::string_view segments = next_line(text);
  const std::string value(next_line(text));

  const bool v2 = segments.starts_with("v2|");
  Chain chain = fixture.client.chain("");
  while (!segments.empty()) {
    const auto end = segments.find('|');
    chain = chain[segments.substr(0, end)];
    segments = end == std::string_view::npos ? std::string_view{} : segments.substr(end + 1);
  }
  fixture.capture->last = {};
  Options options{.query = {{"mchid", "1900000001"}, {value, value}},
                  .params = {{"id", value}, {"rest", value}}};
  if (v2) options.xml = Json{{"mch_id", "1900000001"}, {"x", value}};
  try {
    chain.send(method, std::move(options));
  } catch (const ConfigError& e) {
    fuzz::check_error(e);
    fuzz::require(fixture.capture->last.url.empty(), "a refused request reached the transport");
    return 0;
  } catch (const TransportError&) {
    // Captured: check it below.
  } catch (const Error& e) {
    fuzz::check_error(e);
    return 0;  // refused elsewhere in the stack (an APIv2 payload, say)
  }
  const Request& sent = fixture.capture->last;
  if (sent.url.empty()) return 0;
  fuzz::require(is_token(sent.method), "a method that is not an HTTP token went out");
  fuzz::require(curl_target(sent.url) == sent.target(),
                "libcurl would send another target than the one signed");
  return 0;
}
