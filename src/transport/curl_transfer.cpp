#include "transport/curl_transfer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

#include <curl/header.h>

#include "redact.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay::detail {

namespace {

template <typename T>
void set_option(CURL* easy, CURLoption option, T value) {
  if (CURLcode rc = curl_easy_setopt(easy, option, value); rc != CURLE_OK) {
    throw TransportError("libcurl option " + std::to_string(option) +
                         " rejected: " + curl_easy_strerror(rc));
  }
}

void set_string(CURL* easy, CURLoption option, const std::string& value) {
  set_option(easy, option, value.c_str());  // libcurl copies option strings
}

bool is_pem_text(std::string_view value) {
  return value.find("-----BEGIN ") != std::string_view::npos;
}

// PEM text goes in as a blob (copied by libcurl); "file://..." or a plain path as a file name.
void set_pem(CURL* easy, CURLoption file_option, CURLoption blob_option, const std::string& value) {
  if (is_pem_text(value)) {
    curl_blob blob{const_cast<char*>(value.data()), value.size(), CURL_BLOB_COPY};
    set_option(easy, blob_option, &blob);
    return;
  }
  constexpr std::string_view scheme = "file://";
  set_string(easy, file_option, value.starts_with(scheme) ? value.substr(scheme.size()) : value);
}

// One pass over the bytes: find_first_of would call memchr on the three-byte set for each byte
// of every header value (a signature is hundreds of bytes).
bool has_line_break(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

// Whether `result` came before any byte of the request was sent: no name, no connection, no TLS
// session, or a timeout before the request went out. Retry policies rely on it.
bool nothing_sent(CURL* easy, CURLcode result) {
  switch (result) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
      return true;
    case CURLE_OPERATION_TIMEDOUT: {
      long request_bytes = 0;
      return curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &request_bytes) == CURLE_OK &&
             request_bytes == 0;
    }
    default:
      return false;
  }
}

// "1.0", "1.1", "2", "3": the protocol the answer came over.
std::string http_version(CURL* easy) {
  long version = 0;
  curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
  switch (version) {
    case CURL_HTTP_VERSION_1_0:
      return "1.0";
    case CURL_HTTP_VERSION_1_1:
      return "1.1";
    case CURL_HTTP_VERSION_2_0:
      return "2";
    case CURL_HTTP_VERSION_3:
      return "3";
    default:
      return "";
  }
}

}  // namespace

CurlTransfer::CurlTransfer(Request request, Completion done, CurlEasyPtr easy)
    : request_(std::move(request)), done_(std::move(done)), easy_(std::move(easy)) {}

CurlTransfer::~CurlTransfer() {
  // A transfer dropped without an outcome still owes its caller one.
  if (done_) fail(std::make_exception_ptr(TransportError("transport shut down")));
}

void CurlTransfer::configure(long max_idle_seconds) {
  CURL* easy = easy_.get();
  const TransferSettings& settings = request_.transfer;

  set_option(easy, CURLOPT_PRIVATE, static_cast<void*>(this));
  set_option(easy, CURLOPT_ERRORBUFFER, error_buffer_.data());
  set_string(easy, CURLOPT_URL, request_.url);
  set_option(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  set_option(easy, CURLOPT_NOSIGNAL, 1L);
  set_option(easy, CURLOPT_MAXAGE_CONN, max_idle_seconds);
  set_option(easy, CURLOPT_HTTP_VERSION,
             static_cast<long>(settings.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1));
  set_option(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings.connect_timeout.count()));
  set_option(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(settings.timeout.count()));
  if (!settings.proxy.empty()) set_string(easy, CURLOPT_PROXY, settings.proxy);
  // An empty CURLOPT_PROXY is libcurl's "no proxy, whatever the environment says".
  if (settings.proxy.empty() && !settings.proxy_from_environment) {
    set_string(easy, CURLOPT_PROXY, "");
  }
  if (!settings.user_agent.empty()) set_string(easy, CURLOPT_USERAGENT, settings.user_agent);
  if (settings.max_response_bytes > 0) {
    set_option(easy, CURLOPT_MAXFILESIZE_LARGE,
               static_cast<curl_off_t>(settings.max_response_bytes));
  }
  set_option(easy, CURLOPT_WRITEFUNCTION, &CurlTransfer::on_write);
  set_option(easy, CURLOPT_WRITEDATA, static_cast<void*>(this));
  set_tls();
  set_method_and_body();
  set_headers();

  if (settings.sink) {
    sink_.reset(std::fopen(settings.sink->c_str(), "wb"));
    if (!sink_) {
      throw TransportError(describe() + "cannot open sink " + *settings.sink + ": " +
                           std::strerror(errno));
    }
  }
}

void CurlTransfer::set_tls() {
  CURL* easy = easy_.get();
  const TransferSettings& settings = request_.transfer;
  const long verify = settings.insecure_skip_verify ? 0L : 1L;
  set_option(easy, CURLOPT_SSL_VERIFYPEER, verify);
  set_option(easy, CURLOPT_SSL_VERIFYHOST, verify * 2);
  if (!settings.ca_bundle.empty()) {
    set_pem(easy, CURLOPT_CAINFO, CURLOPT_CAINFO_BLOB, settings.ca_bundle);
  }
  if (!settings.client_cert.empty()) {
    set_option(easy, CURLOPT_SSLCERTTYPE, "PEM");
    set_pem(easy, CURLOPT_SSLCERT, CURLOPT_SSLCERT_BLOB, settings.client_cert);
  }
  if (!settings.client_key.empty()) {
    set_option(easy, CURLOPT_SSLKEYTYPE, "PEM");
    set_pem(easy, CURLOPT_SSLKEY, CURLOPT_SSLKEY_BLOB, settings.client_key);
  }
  if (!settings.client_key_passphrase.empty()) {
    set_string(easy, CURLOPT_KEYPASSWD, settings.client_key_passphrase);
  }
}

void CurlTransfer::set_method_and_body() {
  CURL* easy = easy_.get();
  const std::string& method = request_.method;
  if (method == "HEAD") {
    set_option(easy, CURLOPT_NOBODY, 1L);
    return;
  }
  const bool sends_body =
      !request_.body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (request_.body_stream) {
    // libcurl pulls the body through on_read; the size goes out as Content-Length.
    if (request_.body_stream->open) body_reader_ = request_.body_stream->open();
    if (!body_reader_) throw TransportError(describe() + "the body stream has no reader");
    set_option(easy, CURLOPT_POST, 1L);
    set_option(easy, CURLOPT_POSTFIELDSIZE_LARGE,
               static_cast<curl_off_t>(request_.body_stream->size));
    set_option(easy, CURLOPT_READFUNCTION, &CurlTransfer::on_read);
    set_option(easy, CURLOPT_READDATA, static_cast<void*>(this));
    set_option(easy, CURLOPT_SEEKFUNCTION, &CurlTransfer::on_seek);
    set_option(easy, CURLOPT_SEEKDATA, static_cast<void*>(this));
  } else if (!sends_body) {
    set_option(easy, CURLOPT_HTTPGET, 1L);
  } else {
    // Size first, so that POSTFIELDS does not strlen() binary data; libcurl sends these bytes
    // from request_.body, which lives as long as this transfer.
    set_option(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
    set_option(easy, CURLOPT_POSTFIELDS, request_.body.data());
  }
  // POSTFIELDS alone turns a GET with a body into a POST: the method sent must be the one signed.
  if (method != "POST" && (method != "GET" || sends_body)) {
    set_string(easy, CURLOPT_CUSTOMREQUEST, method);
  }
}

void CurlTransfer::set_headers() {
  CurlSlistPtr list;
  auto append = [&list](const char* line) {
    curl_slist* grown = curl_slist_append(list.get(), line);
    if (!grown) throw std::bad_alloc();
    (void)list.release();  // `grown` now owns the old nodes
    list.reset(grown);
  };
  // Send only what the caller gave: no 100-continue round trip, and no libcurl defaults for
  // Accept or (with a body) Content-Type standing in for the caller's choice.
  // libcurl reads "Name:" as "remove this header".
  std::array<std::string_view, 3> suppressed{"Expect:", "Accept:", "Content-Type:"};
  std::string line;  // one buffer for every line: libcurl copies each
  for (const auto& [name, value] : request_.headers) {
    if (name.empty() || name.find(':') != std::string::npos || has_line_break(name) ||
        has_line_break(value)) {
      // Name only: values may be signatures.
      throw TransportError(describe() + "header '" + name + "' cannot be sent as given");
    }
    for (auto& removal : suppressed) {
      if (!removal.empty() && iequals(name, removal.substr(0, removal.size() - 1))) removal = {};
    }
    // "Name;" sends the header with an empty value.
    line.assign(name).append(value.empty() ? ";" : ": ").append(value);
    append(line.c_str());
  }
  for (std::string_view removal : suppressed) {
    if (!removal.empty()) append(removal.data());  // a literal: NUL-terminated
  }
  set_option(easy_.get(), CURLOPT_HTTPHEADER, list.get());
  header_list_ = std::move(list);
}

std::size_t CurlTransfer::on_write(char* data, std::size_t size, std::size_t count, void* self) {
  try {
    return static_cast<CurlTransfer*>(self)->write(data, size * count);
  } catch (const AbortTransfer&) {
    return 0;  // anything but the size given aborts the transfer
  }
}

std::size_t CurlTransfer::on_read(char* buffer, std::size_t size, std::size_t count, void* self) {
  auto* transfer = static_cast<CurlTransfer*>(self);
  try {
    return transfer->body_reader_(buffer, size * count);
  } catch (...) {
    transfer->consumer_error_ = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

// libcurl rewinds a body it must send again (a redirect, a refused HTTP/2 stream): a fresh pass.
int CurlTransfer::on_seek(void* self, curl_off_t offset, int origin) {
  auto* transfer = static_cast<CurlTransfer*>(self);
  if (offset != 0 || origin != SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
  try {
    transfer->body_reader_ = transfer->request_.body_stream->open();
    return CURL_SEEKFUNC_OK;
  } catch (...) {
    transfer->consumer_error_ = std::current_exception();
    return CURL_SEEKFUNC_FAIL;
  }
}

std::size_t CurlTransfer::write(const char* data, std::size_t size) {
  const std::size_t cap = request_.transfer.max_response_bytes;
  if (cap > 0 && size > cap - received_) {
    over_cap_ = true;
    return 0;  // anything but `size` aborts the transfer
  }
  received_ += size;
  if (request_.transfer.on_body && consume(data, size)) return size;
  if (!sink_) {
    body_.append(data, size);
    return size;
  }
  if (std::fwrite(data, 1, size, sink_.get()) != size) {
    sink_errno_ = errno ? errno : EIO;
    return 0;
  }
  return size;
}

// Hands the chunk to the caller's consumer when the status is 2xx (an error body stays in
// memory for the error); false when the chunk is not for the consumer.
bool CurlTransfer::consume(const char* data, std::size_t size) {
  long status = 0;
  curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) return false;
  curl_off_t length = -1;
  curl_easy_getinfo(easy_.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  try {
    request_.transfer.on_body(std::string_view(data, size), static_cast<std::int64_t>(length));
  } catch (...) {
    consumer_error_ = std::current_exception();
    throw AbortTransfer{};
  }
  return true;
}

std::string CurlTransfer::describe() const {
  return describe_request(request_.method, request_.url);
}

std::exception_ptr CurlTransfer::error_for(CURLcode result) const {
  if (consumer_error_) return consumer_error_;
  if (sink_errno_ != 0) {
    return std::make_exception_ptr(TransportError(describe() + "writing the body to " +
                                                  *request_.transfer.sink +
                                                  " failed: " + std::strerror(sink_errno_)));
  }
  if (over_cap_ || result == CURLE_FILESIZE_EXCEEDED) {
    return std::make_exception_ptr(
        TransportError(describe() + "response body exceeded the " +
                       std::to_string(request_.transfer.max_response_bytes) + "-byte cap"));
  }
  std::string message = error_buffer_[0] ? error_buffer_.data() : curl_easy_strerror(result);
  // A connection that ends inside the body (closed, reset, TLS EOF) reads differently per TLS
  // library; the caller wants to know the answer was cut short.
  curl_off_t expected = -1;
  curl_easy_getinfo(easy_.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
  if (result != CURLE_OPERATION_TIMEDOUT && expected > 0 &&
      received_ < static_cast<std::size_t>(expected)) {
    message = "response truncated after " + std::to_string(received_) + " of " +
              std::to_string(expected) + " body bytes: " + message;
  }
  const bool connect_failed = nothing_sent(easy_.get(), result);
  if (result == CURLE_OPERATION_TIMEDOUT) {
    return std::make_exception_ptr(TimeoutError(describe() + message, connect_failed));
  }
  return std::make_exception_ptr(TransportError(describe() + message, connect_failed));
}

Response CurlTransfer::take_response() {
  Response response;
  long status = 0;
  curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  // Only the final response's fields (request -1), not interim 1xx or redirect headers.
  for (curl_header* h = curl_easy_nextheader(easy_.get(), CURLH_HEADER, -1, nullptr); h;
       h = curl_easy_nextheader(easy_.get(), CURLH_HEADER, -1, h)) {
    response.headers.add(h->name, h->value);
  }
  response.body = std::move(body_);
  response.http_version = http_version(easy_.get());
  curl_easy_getinfo(easy_.get(), CURLINFO_NUM_CONNECTS, &response.connections_opened);
  return response;
}

void CurlTransfer::complete(CURLcode result) noexcept {
  std::exception_ptr error;
  Response response;
  try {
    if (sink_) {
      // Closing flushes; a failure there is a failed write too.
      if (std::fclose(sink_.release()) != 0 && sink_errno_ == 0) sink_errno_ = errno ? errno : EIO;
    }
    if (result != CURLE_OK || sink_errno_ != 0) {
      error = error_for(result);
    } else {
      response = take_response();
    }
  } catch (...) {
    error = std::current_exception();
  }
  if (error && request_.transfer.sink) std::remove(request_.transfer.sink->c_str());
  deliver(std::move(error), std::move(response));
}

void CurlTransfer::fail(std::exception_ptr error) noexcept {
  if (sink_) {
    sink_.reset();
    std::remove(request_.transfer.sink->c_str());
  }
  deliver(std::move(error), Response{});
}

void CurlTransfer::cancel() noexcept {
  // A transfer waiting inside libcurl for a connection has written nothing yet: not sent.
  long request_bytes = 0;
  curl_easy_getinfo(easy_.get(), CURLINFO_REQUEST_SIZE, &request_bytes);
  std::exception_ptr error;
  try {
    error = cancelled_error(request_, request_bytes > 0);
  } catch (...) {
    error = std::current_exception();
  }
  fail(std::move(error));
}

void CurlTransfer::deliver(std::exception_ptr error, Response response) noexcept {
  Completion done = std::exchange(done_, nullptr);
  if (!done) return;
  try {
    done(std::move(error), std::move(response));
  } catch (...) {
    // A completion that throws has nobody left to report to; keep the I/O thread alive.
  }
}

CurlEasyPtr CurlTransfer::release_easy() noexcept {
  if (easy_) curl_easy_reset(easy_.get());
  header_list_.reset();
  return std::move(easy_);
}

}  // namespace wechatpay::detail
