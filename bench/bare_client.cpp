#include "bare_client.hpp"

#include <curl/header.h>

#include <ctime>
#include <stdexcept>
#include <utility>

#include "wechatpay/crypto/nonce.hpp"
#include "wechatpay/v3/verifier.hpp"

namespace wechatpay::bench {

BareClient::BareClient(const ClientConfig& config, const crypto::KeyStore& keys, std::string path,
                       std::string body, const std::string& encryption_serial)
    : keys_(keys),
      identity_{config.mchid, config.serial,
                crypto::PrivateKey::load(config.private_key, config.private_key_passphrase)},
      target_("/" + path),
      body_(std::move(body)),
      serial_header_("Wechatpay-Serial: " + encryption_serial),
      easy_(curl_easy_init()) {
  if (!easy_) throw std::runtime_error("curl_easy_init failed");
  url_ = config.base_uri;
  if (url_.ends_with('/')) url_.pop_back();
  url_ += target_;
  curl_easy_setopt(easy_, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
  if (!config.ca_bundle.empty()) curl_easy_setopt(easy_, CURLOPT_CAINFO, config.ca_bundle.c_str());
  curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
  curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, body_.data());
  curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &BareClient::on_body);
  curl_easy_setopt(easy_, CURLOPT_WRITEDATA, static_cast<void*>(this));
}

BareClient::~BareClient() {
  curl_easy_cleanup(easy_);
}

std::size_t BareClient::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  static_cast<BareClient*>(self)->response_.body.append(data, size * count);
  return size * count;
}

Response BareClient::post() {
  const std::string timestamp = std::to_string(std::time(nullptr));
  const std::string nonce = crypto::nonce();
  const std::string authorization =
      "Authorization: " + v3::authorization(identity_, "POST", target_, body_, timestamp, nonce);
  curl_slist* headers = curl_slist_append(nullptr, authorization.c_str());
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Accept: application/json");
  headers = curl_slist_append(headers, serial_header_.c_str());
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers);
  response_ = {};
  const CURLcode result = curl_easy_perform(easy_);
  curl_slist_free_all(headers);
  if (result != CURLE_OK) throw std::runtime_error(curl_easy_strerror(result));
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  response_.status = static_cast<int>(status);
  for (curl_header* h = curl_easy_nextheader(easy_, CURLH_HEADER, -1, nullptr); h;
       h = curl_easy_nextheader(easy_, CURLH_HEADER, -1, h)) {
    response_.headers.add(h->name, h->value);
  }
  v3::verify_response(keys_, response_);
  if (status < 200 || status >= 300) throw std::runtime_error("HTTP " + std::to_string(status));
  return std::move(response_);
}

}  // namespace wechatpay::bench
