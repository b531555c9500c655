// POST /v3/payroll-card/tokens: user_name and id_card_number travel RSA-OAEP encrypted for the
// key the client names in Wechatpay-Serial (set automatically).
#include "example.hpp"

int main(int argc, char** argv) {
  return example::guarded([&] {
    wechatpay::Client client(wechatpay::load_profile(example::profile_path(argc, argv)));
    auto options = [&]() -> wechatpay::Options {
      return {.json = {{"openid", "onqOjjmo8wmTOOtSKwXtGjg9Gb58"},
                       {"appid", "wxa1111111"},
                       {"sub_mchid", "1111111"},
                       {"sub_appid", "wxb1111111"},
                       {"user_name", client.encrypt("张三")},
                       {"id_card_number", client.encrypt("110101199003077777")},
                       {"employment_type", "LONG_TERM_EMPLOYMENT"}}};
    };
    return example::run("v3/payroll-card/tokens",
                        {{"chain", client->v3["payrollCard"]["tokens"]},
                         {"declarative", client->chain("v3/payroll-card/tokens")},
                         {"property", client["v3/payroll-card/tokens"]}},
                        options);
  });
}
