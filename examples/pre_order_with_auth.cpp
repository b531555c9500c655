// POST /v3/payroll-card/authentications/pre-order-with-auth: identity check before a payroll
// payment; the person's name and ID number are encrypted fields.
#include "example.hpp"

int main(int argc, char** argv) {
  return example::guarded([&] {
    wechatpay::Client client(wechatpay::load_profile(example::profile_path(argc, argv)));
    auto options = [&]() -> wechatpay::Options {
      return {.json = {{"openid", "onqOjjmo8wmTOOtSKwXtGjg9Gb58"},
                       {"appid", "wxa1111111"},
                       {"sub_mchid", "1111111"},
                       {"sub_appid", "wxa1111111"},
                       {"authenticate_number", "mcdhehfgisdhfjghed39384564i83"},
                       {"project_name", "某项目"},
                       {"employer_name", "某用工企业"},
                       {"user_name", client.encrypt("张三")},
                       {"id_card_number", client.encrypt("110101199003077777")},
                       {"employment_type", "LONG_TERM_EMPLOYMENT"},
                       {"authenticate_type", "SIGN_IN"}}};
    };
    const std::string path = "v3/payroll-card/authentications/pre-order-with-auth";
    return example::run(
        path,
        {{"chain", client->v3["payrollCard"]["authentications"]["preOrderWithAuth"]},
         {"declarative", client->chain(path)},
         {"property", client[path]}},
        options);
  });
}
