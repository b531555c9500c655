// Every contract of the built-in data, through a real client's stacks down to a capturing
// handler: a request built from its required and sensitive fields passes validation and goes out
// with each sensitive field encrypted (opened here with the platform private key); the same
// request without each required field in turn is refused with exactly that field's path.
#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "support/contract_samples.hpp"
#include "support/null_transport.hpp"
#include "support/pki.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

constexpr const char* kMchid = "1900000109";
const std::string kPublicKeyId = "PUB_KEY_ID_0114232134912410000000000000";

using test::NullTransport;
using test::StopHere;

class ContractConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    static const auto tls_client = test::make_client_certificate();
    client_.emplace(
        ClientConfig{.mchid = kMchid,
                     .serial = "3775B6A45ACD588826D15E583A95F5DD2A5C6A74",
                     .private_key = test::cached_rsa_key("merchant").private_pem,
                     .certs = {{kPublicKeyId, test::cached_rsa_key("platform").public_pem}},
                     .secret = "conformance-v2-secret-0123456789",
                     .merchant_cert = tls_client.pem,
                     .merchant_key = tls_client.key.private_pem,
                     .transport = std::make_shared<NullTransport>()});
    for (auto* stack : {&client_->stack(), &client_->v2_stack()}) {
      stack->set_handler([this](Request request, Completion done) {
        captured_ = std::move(request);
        done(std::make_exception_ptr(StopHere{}), {});
      });
    }
  }

  Options options_for(const contracts::Contract& contract, const test::ContractSample& sample) {
    Options options{.query = sample.query, .headers = sample.headers, .params = sample.params};
    if (contract.api == contracts::Api::v3) {
      if (!contract.request.json.empty()) options.json = sample.body;
    } else {
      // The client's mchid guard wants mch_id, documented or not.
      if (contract.method == "GET") {
        options.query.emplace_back("mch_id", kMchid);
      } else {
        options.xml = sample.body;
        options.xml.set("mch_id", kMchid);
      }
      options.security = contract.request.security;
      options.nonceless = contract.request.nonceless;
    }
    return options;
  }

  // Sends; returns the error message, or "" when the request reached the transport.
  std::string send(const contracts::Contract& contract, Options options) {
    captured_.reset();
    try {
      // A trailing '/' is written as an empty placeholder, as the endpoint corpus does.
      auto path = contract.uri_template.ends_with('/') ? contract.uri_template + "{empty}"
                                                       : contract.uri_template;
      client_->chain(path).send(contract.method, std::move(options));
      return "the request was not stopped at the transport";
    } catch (const StopHere&) {
      return "";
    } catch (const ValidationError& e) {
      refused_path_ = e.path();
      return e.what();
    } catch (const std::exception& e) {
      return e.what();
    }
  }

  // The value sent at `path` (JSON path, "query.name", or an APIv2 field name).
  std::string sent_value(const contracts::Contract& contract, const std::string& path) {
    if (path.starts_with("query.")) {
      for (const auto& [name, value] : captured_->options->query) {
        if ("query." + name == path) return value;
      }
      return "";
    }
    if (contract.api == contracts::Api::v2) {
      return v2::parse_xml(captured_->body).value(path);
    }
    rapidjson::Document body;
    body.Parse(captured_->body.c_str());
    const rapidjson::Value* at = &body;
    std::string rest = path;
    while (!rest.empty() && at) {
      auto dot = rest.find('.');
      std::string step = rest.substr(0, dot);
      rest = dot == std::string::npos ? "" : rest.substr(dot + 1);
      auto bracket = step.find('[');
      std::string name = step.substr(0, bracket);
      at = at->IsObject() && at->HasMember(name.c_str()) ? &(*at)[name.c_str()] : nullptr;
      if (at && bracket != std::string::npos) {
        at = at->IsArray() && !at->Empty() ? &(*at)[0] : nullptr;
      }
    }
    return at && at->IsString() ? std::string(at->GetString(), at->GetStringLength()) : "";
  }

  std::optional<Client> client_;
  std::optional<Request> captured_;
  std::string refused_path_;
};

TEST_F(ContractConformance, EveryContractValidatesEncryptsAndNamesEachMissingField) {
  static const auto platform =
      crypto::PrivateKey::load(test::cached_rsa_key("platform").private_pem);
  const auto all = client_->contracts().contracts();
  int passed = 0, encrypted = 0, refused = 0, drops = 0;
  for (const auto* contract : all) {
    SCOPED_TRACE(contract->endpoint());
    test::SampleRules rules;
    if (contract->api == contracts::Api::v2)
      rules.filled_by_client = {"sign", "nonce_str", "mch_id"};
    auto sample = test::sample_request(*contract, rules);
    auto failure = send(*contract, options_for(*contract, sample));
    if (!failure.empty()) {
      ADD_FAILURE() << "the sample request failed: " << failure;
      continue;
    }
    ++passed;
    for (const auto& [path, plaintext] : sample.sensitive) {
      auto sent = sent_value(*contract, path);
      std::string opened;
      try {
        opened = crypto::rsa_oaep_decrypt(platform, sent);
      } catch (const CryptoError& e) {
        ADD_FAILURE() << path << ": " << e.what();
      }
      EXPECT_EQ(opened, plaintext) << path << " was not sent encrypted for the platform key";
      if (opened == plaintext) ++encrypted;
    }
    for (const auto& path : sample.required_paths) {
      ++drops;
      rules.skip = path;
      auto without = test::sample_request(*contract, rules);
      refused_path_.clear();
      auto error = send(*contract, options_for(*contract, without));
      EXPECT_EQ(refused_path_, path)
          << "without " << path << ": " << (error.empty() ? "sent" : error);
      if (refused_path_ == path) ++refused;
    }
  }
  std::cout << "[contracts] " << passed << "/" << all.size()
            << " contracts: the sample request passed validation\n"
            << "[contracts] " << encrypted << " sensitive fields sent encrypted and opened\n"
            << "[contracts] " << refused << "/" << drops
            << " required-field drops refused with exactly that path\n";
  EXPECT_EQ(all.size(), 1147u);
  EXPECT_EQ(passed, static_cast<int>(all.size()));
  EXPECT_EQ(refused, drops);
  EXPECT_GT(encrypted, 250);
}

}  // namespace
}  // namespace wechatpay
