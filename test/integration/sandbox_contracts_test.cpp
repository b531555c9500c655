// One request per endpoint contract (APIv3, then APIv2), built from its required fields, sent
// concurrently through one client (one connection pool) with auto-encryption: every one answers
// 2xx, verified (APIv2: SUCCESS). And each required field left out, with the client's
// validation off, is answered by the sandbox's signed 400 naming it (APIv2: a FAIL naming it).
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <map>
#include <regex>
#include <tuple>

#include "integration/sandbox_fixture.hpp"
#include "support/contract_samples.hpp"
#include "wechatpay/v2/media.hpp"
#include "wechatpay/v3/media.hpp"

namespace wechatpay::test {
namespace {

using contracts::Contract;

// What a request needs beyond its contract's shape on a stateful route: a resource that exists.
struct Resources {
  std::string paid, unpaid, transaction_id, out_refund_no, bill_date, bill_token;
};

class SandboxContracts : public SandboxTest {
 protected:
  static std::vector<const Contract*> contracts_of(contracts::Api api) {
    std::vector<const Contract*> out;
    for (const Contract* contract : contracts::ContractRegistry::builtin()->contracts()) {
      if (contract->api == api) out.push_back(contract);
    }
    return out;
  }

  // A multipart upload (v3/media.hpp): a small file under the contract's file part, and a meta
  // part with the meta's required fields (filename and sha256 the file's own).
  static Options upload_options(const Contract& contract) {
    const std::string content = "sandbox file";
    Json meta = Json::object();
    std::string file_part = "file";
    for (const contracts::Field& part : contract.request.body) {
      if (part.name != "meta") {
        file_part = part.name;
        continue;
      }
      Contract of_meta;
      of_meta.request.json = part.fields;
      meta = sample_request(of_meta).body;
      const Json real = v3::media_meta("a.jpg", content);  // outlives the loop over it
      for (const auto& [name, value] : real.members()) {
        if (meta.find(name)) meta.set(name, value);
      }
    }
    Options options = v3::media_upload_options("a.jpg", content, meta);
    // The SDK names the part "file"; a few endpoints name theirs otherwise.
    std::string& bytes = options.body->bytes;
    const std::string named = "name=\"file\"";
    if (file_part != "file") {
      bytes.replace(bytes.find(named), named.size(), "name=\"" + file_part + "\"");
    }
    return options;
  }

  // A paid order with a refund, an unpaid order and a bill, made once for the whole sweep.
  static const Resources& resources() {
    static const Resources made = [] {
      Client client = SandboxTest::client();
      Resources r;
      r.paid = create_order(client, 100);
      sandbox().admin("POST", "/sandbox/orders/" + r.paid + "/pay", "{}");
      r.unpaid = create_order(client, 100);
      r.transaction_id =
          client["v3/pay/transactions/out-trade-no/{no}"]
              ->get({.query = {{"mchid", client.mchid()}}, .params = {{"no", r.paid}}})
              .json()["transaction_id"]
              .as<std::string>();
      r.out_refund_no = "R" + crypto::nonce(16);
      client["v3/refund/domestic/refunds"]->post(
          {.json = {{"out_trade_no", r.paid},
                    {"out_refund_no", r.out_refund_no},
                    {"amount", {{"refund", 1}, {"total", 100}, {"currency", "CNY"}}}}});
      r.bill_date = "2026-01-15";
      const std::string url = client["v3/bill/tradebill"]
                                  ->get({.query = {{"bill_date", r.bill_date}}})
                                  .json()["download_url"]
                                  .as<std::string>();
      r.bill_token = url.substr(url.find("token=") + 6);
      return r;
    }();
    return made;
  }

  // The request of `sample`: the merchant's own mchid, every placeholder of the template filled
  // (a few contracts do not list theirs), no body where the contract takes none (a GET's "{}"
  // is a body all the same), and existing resources where a stateful route looks them up.
  static Options options_of(const Contract& contract, ContractSample sample,
                            const std::string& mchid) {
    static const std::regex kPlaceholder(R"(\{\+?([A-Za-z0-9_.-]+)\})");
    const std::string& t = contract.uri_template;
    for (std::sregex_iterator it(t.begin(), t.end(), kPlaceholder), end; it != end; ++it) {
      sample.params.try_emplace((*it)[1].str(), "p-" + (*it)[1].str());
    }
    for (auto& [name, value] : sample.query) {
      if (name == "mchid") value = mchid;
    }
    if (sample.body.find("mchid")) sample.body.set("mchid", mchid);
    const Resources& r = resources();
    const std::map<std::string, std::string> existing = {
        {"out_trade_no", contract.method == "POST" ? r.unpaid : r.paid},
        {"transaction_id", r.transaction_id},
        {"out_refund_no", r.out_refund_no}};
    if (t.starts_with("v3/pay/transactions/") || t.starts_with("v3/refund/domestic/refunds/")) {
      for (auto& [name, value] : sample.params) {
        if (auto found = existing.find(name); found != existing.end()) value = found->second;
      }
    }
    for (auto& [name, value] : sample.query) {
      if (name == "bill_date") value = r.bill_date;
      if (name == "token") value = r.bill_token;
    }
    if (t == "v3/refund/domestic/refunds") {  // 1 fen of the paid order, fields kept as dropped
      sample.body.set("out_trade_no", r.paid);
      if (const Json* amount = sample.body.find("amount"); amount && amount->find("total")) {
        Json changed = *amount;
        changed.set("total", 100);
        sample.body.set("amount", std::move(changed));
      }
    }
    if (t.starts_with("v3/pay/transactions/") && sample.body.find("out_trade_no")) {
      sample.body.set("out_trade_no", "S" + crypto::nonce(20));  // each order a new one
    }
    Options options{.query = sample.query, .headers = sample.headers, .params = sample.params};
    if (!contract.request.body.empty()) {
      Options upload = upload_options(contract);
      options.body = std::move(upload.body);
      options.signed_body = std::move(upload.signed_body);
    } else if (!contract.request.json.empty()) {
      options.json = sample.body;
    }
    return options;
  }

  // The two downloads WeChat Pay answers unsigned (the SDK verifies nothing on them).
  static bool unsigned_download(const Contract& contract) {
    return contract.method == "GET" &&
           (contract.uri_template == "v3/billdownload/file" ||
            contract.uri_template == "v3/merchant-service/images/{media_id}");
  }

  // The chain of a contract: a template ending in '/' is written with an empty placeholder, as
  // the SDK documents (a chain trims a trailing '/').
  static Chain chain_of(const Client& client, const Contract& contract) {
    const std::string& t = contract.uri_template;
    return client[t.ends_with('/') ? t + "{empty}" : t];
  }

  // An APIv2 request of `sample`: the merchant's id (the client refuses to sign without one),
  // the client certificate where the contract asks for it, and on the stateful seeds a valid
  // payment code and the paid order.
  static Options v2_options_of(const Contract& contract, ContractSample sample,
                               const std::string& mchid) {
    Json fields = sample.body;
    if (contract.method == "GET") {
      for (const auto& [name, value] : sample.query) fields.set(name, value);
    }
    bool merchant = false;
    for (const char* name : {"mch_id", "mchid", "combine_mch_id"}) {
      if (fields.find(name)) fields.set(name, mchid), merchant = true;
    }
    if (!merchant) fields.set("mch_id", mchid);
    // Values a stateful seed needs, where the sample has them (a dropped field stays dropped).
    auto replace = [&fields](const char* name, std::string value) {
      if (fields.find(name)) fields.set(name, std::move(value));
    };
    replace("auth_code", "134567890123456789");
    const std::string& t = contract.uri_template;
    if (t == "v2/pay/micropay") replace("out_trade_no", "M" + crypto::nonce(20));
    if (t == "v2/pay/orderquery" || t == "v2/secapi/pay/refund") {
      fields.set("out_trade_no", resources().paid);  // optional: one of it or transaction_id
    }
    if (t == "v2/secapi/pay/refund") {
      replace("out_refund_no", "R" + crypto::nonce(16));
      replace("total_fee", "100");
      replace("refund_fee", "1");
    }
    Options options{.params = sample.params,
                    .security = contract.request.security,
                    .nonceless = contract.request.nonceless};
    if (contract.method == "GET") {
      for (const auto& [name, value] : fields.members()) {
        options.query.emplace_back(name, value.to_text());
      }
    } else {
      options.query = sample.query;
      options.xml = std::move(fields);
    }
    return options;
  }

  // APIv2's multipart upload (secapi/mch/uploadmedia, v2/media.hpp) of a small image, without
  // the part `skip` (the file part: the text fields go alone, as XML).
  static Options v2_upload_options(const Contract& contract, const std::string& mchid,
                                   const std::string& skip = {}) {
    Options options = v2::media_upload_options(mchid, "a.jpg", "sandbox file");
    for (const contracts::Field& part : contract.request.body) {
      if (part.name != skip) continue;
      if (part.type == contracts::FieldType::object) {
        options.form_file.reset();
      } else {
        options.xml.set(part.name, Json());  // absent: not sent
      }
    }
    return options;
  }

  // The required fields of an APIv2 contract, for a drop test: a multipart one's parts, else
  // the sample's paths.
  static std::vector<std::string> v2_required_paths(const Contract& contract) {
    if (contract.request.body.empty()) {
      return sample_request(contract, v2_rules()).required_paths;
    }
    std::vector<std::string> out;
    for (const contracts::Field& part : contract.request.body) {
      if (part.required && part.name != "sign") out.push_back(part.name);
    }
    return out;
  }

  static SampleRules v2_rules(std::string skip = {}) {
    return {
        .with_sensitive = true, .skip = std::move(skip), .filled_by_client = {"sign", "nonce_str"}};
  }

  // "400 PARAM_ERROR: <message>" for an API error, the exception's text otherwise.
  static std::string failure_of(const std::function<void()>& wait) {
    try {
      wait();
    } catch (const ApiError& e) {
      return std::to_string(e.status()) + " " + e.code() + ": " + e.message();
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  // One request per contract, all at once over `client`'s connection pool; `check` throws on a
  // wrong answer. The failures ("endpoint: what"), and the wall time in `seconds`.
  static std::vector<std::string> sweep(
      const Client& client, const std::vector<const Contract*>& contracts,
      const std::function<Options(const Contract&)>& options,
      const std::function<void(const Contract&, const Response&)>& check, double& seconds) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::future<Response>> answers;
    for (const Contract* contract : contracts) {
      answers.push_back(
          chain_of(client, *contract)->send_async(contract->method, options(*contract)));
    }
    std::vector<std::string> failures;
    for (std::size_t i = 0; i < answers.size(); ++i) {
      std::string failure = failure_of([&] { check(*contracts[i], answers[i].get()); });
      if (!failure.empty()) failures.push_back(contracts[i]->endpoint() + ": " + failure);
    }
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return failures;
  }
};

TEST_F(SandboxContracts, EveryV3ContractAnswers2xxVerified) {
  Client client = this->client();
  const auto contracts = contracts_of(contracts::Api::v3);
  ASSERT_GT(contracts.size(), 1000u);
  resources();
  std::size_t files = 0;
  double seconds = 0;
  const auto failures = sweep(
      client, contracts,
      [&](const Contract& c) { return options_of(c, sample_request(c), client.mchid()); },
      [&](const Contract& c, const Response& response) {
        const bool file = unsigned_download(c);
        if (response.status / 100 != 2 || response.verified == file) {
          throw Error(file ? "not 2xx" : "not 2xx verified");
        }
        files += file ? 1 : 0;
      },
      seconds);
  const std::size_t verified_2xx = contracts.size() - failures.size();
  std::printf(
      "%zu of %zu APIv3 contracts answered 2xx verified (%zu of them unsigned files) in "
      "%.2f s\n",
      verified_2xx, contracts.size(), files, seconds);
  for (const std::string& failure : failures) std::printf("  %s\n", failure.c_str());
  EXPECT_EQ(verified_2xx, contracts.size());
}

TEST_F(SandboxContracts, EachDroppedRequiredFieldIsASigned400NamingIt) {
  Client client = this->client();
  std::size_t dropped = 0, named = 0;
  std::vector<std::string> unnamed;
  std::vector<std::tuple<std::string, bool, std::future<Response>>> answers;
  const auto start = std::chrono::steady_clock::now();
  for (const Contract* contract : contracts_of(contracts::Api::v3)) {
    const ContractSample full = sample_request(*contract);
    for (const std::string& path : full.required_paths) {
      // Placeholders change the path itself: without one it is another (or no) endpoint.
      if (path.starts_with("params.")) continue;
      Options options =
          options_of(*contract, sample_request(*contract, {.skip = path, .filled_by_client = {}}),
                     client.mchid());
      options.validation = ValidationMode::off;
      answers.emplace_back(
          contract->endpoint() + " " + path, unsigned_download(*contract),
          chain_of(client, *contract)->send_async(contract->method, std::move(options)));
      ++dropped;
    }
  }
  for (auto& [what, file, answer] : answers) {
    const std::string path = what.substr(what.rfind(' ') + 1);
    try {
      answer.get();
      unnamed.push_back(what + " (2xx)");
    } catch (const ApiError& e) {
      const bool names_it = e.status() == 400 && e.code() == "PARAM_ERROR" &&
                            e.response().verified != file &&
                            e.detail().find("\"field\":\"" + path + "\"") != std::string::npos;
      if (names_it) {
        ++named;
      } else {
        unnamed.push_back(what + " (" + std::to_string(e.status()) + " " + e.detail() + ")");
      }
    } catch (const Error& e) {
      unnamed.push_back(what + " (" + e.what() + ")");
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu of %zu requests without a required field: signed 400 naming it, %.2f s\n", named,
              dropped, seconds);
  for (const std::string& problem : unnamed) std::printf("  %s\n", problem.c_str());
  EXPECT_EQ(named, dropped);
}

TEST_F(SandboxContracts, EveryV2ContractAnswersSuccess) {
  Client client = this->client();
  const auto contracts = contracts_of(contracts::Api::v2);
  ASSERT_GT(contracts.size(), 120u);
  resources();
  std::size_t verified = 0;
  double seconds = 0;
  const auto failures = sweep(
      client, contracts,
      [&](const Contract& c) {
        return c.request.body.empty()
                   ? v2_options_of(c, sample_request(c, v2_rules()), client.mchid())
                   : v2_upload_options(c, client.mchid());
      },
      [&](const Contract& c, const Response& response) {
        if (response.status / 100 != 2) throw Error("not 2xx");
        // The multipart upload's answer is signed like any other (not a signless endpoint).
        if (!c.request.body.empty() && !response.verified) throw Error("not verified");
        verified += response.verified ? 1 : 0;
      },
      seconds);
  const std::size_t succeeded = contracts.size() - failures.size();
  std::printf("%zu of %zu APIv2 contracts answered SUCCESS (%zu with a verified sign) in %.2f s\n",
              succeeded, contracts.size(), verified, seconds);
  for (const std::string& failure : failures) std::printf("  %s\n", failure.c_str());
  EXPECT_EQ(succeeded, contracts.size());
}

TEST_F(SandboxContracts, EachDroppedRequiredV2FieldIsAFailNamingIt) {
  Client client = this->client();
  std::size_t dropped = 0, named = 0;
  std::vector<std::string> unnamed;
  std::vector<std::pair<std::string, std::future<Response>>> answers;
  for (const Contract* contract : contracts_of(contracts::Api::v2)) {
    for (const std::string& path : v2_required_paths(*contract)) {
      // The client fills in or guards these itself, whatever the validation mode.
      if (path.starts_with("params.") || path.ends_with("mch_id") || path.ends_with("mchid")) {
        continue;
      }
      Options options =
          contract->request.body.empty()
              ? v2_options_of(*contract, sample_request(*contract, v2_rules(path)), client.mchid())
              : v2_upload_options(*contract, client.mchid(), path);
      options.validation = ValidationMode::off;
      answers.emplace_back(
          path, client[contract->uri_template]->send_async(contract->method, std::move(options)));
      ++dropped;
    }
  }
  for (auto& [path, answer] : answers) {
    const std::string name = path.starts_with("query.") ? path.substr(6) : path;
    std::string failure = failure_of([&] { answer.get(); });
    if (failure.find(name + "参数缺失") != std::string::npos) {
      ++named;
    } else {
      unnamed.push_back(path + " (" + (failure.empty() ? "success" : failure) + ")");
    }
  }
  std::printf("%zu of %zu APIv2 requests without a required field: FAIL naming it\n", named,
              dropped);
  for (const std::string& problem : unnamed) std::printf("  %s\n", problem.c_str());
  EXPECT_EQ(named, dropped);
}

}  // namespace
}  // namespace wechatpay::test
