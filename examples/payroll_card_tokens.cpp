// POST /v3/payroll-card/tokens: user_name and id_card_number are written in plaintext; the client
// encrypts them (the contract marks them sensitive) for the key it names in Wechatpay-Serial.
#include "example.hpp"
#include "seed_requests.hpp"

int main(int argc, char** argv) {
  return example::guarded([&] {
    wechatpay::Client client(wechatpay::load_profile(example::profile_path(argc, argv)));
    auto options = [&]() -> wechatpay::Options { return {.json = example::payroll_card_token()}; };
    return example::run("v3/payroll-card/tokens",
                        {{"chain", client->v3["payrollCard"]["tokens"]},
                         {"declarative", client->chain("v3/payroll-card/tokens")},
                         {"property", client["v3/payroll-card/tokens"]}},
                        options);
  });
}
