// POST /v3/payroll-card/tokens: user_name and id_card_number travel RSA-OAEP encrypted for the
// key the client names in Wechatpay-Serial (set automatically).
#include "example.hpp"
#include "seed_requests.hpp"

int main(int argc, char** argv) {
  return example::guarded([&] {
    wechatpay::Client client(wechatpay::load_profile(example::profile_path(argc, argv)));
    auto options = [&]() -> wechatpay::Options {
      return {.json = example::payroll_card_token(client)};
    };
    return example::run("v3/payroll-card/tokens",
                        {{"chain", client->v3["payrollCard"]["tokens"]},
                         {"declarative", client->chain("v3/payroll-card/tokens")},
                         {"property", client["v3/payroll-card/tokens"]}},
                        options);
  });
}
