// POST /v3/payroll-card/authentications/pre-order-with-auth: identity check before a payroll
// payment; the person's name and ID number are encrypted fields.
#include "example.hpp"
#include "seed_requests.hpp"

int main(int argc, char** argv) {
  return example::guarded([&] {
    wechatpay::Client client(wechatpay::load_profile(example::profile_path(argc, argv)));
    auto options = [&]() -> wechatpay::Options { return {.json = example::pre_order_with_auth()}; };
    const std::string path = "v3/payroll-card/authentications/pre-order-with-auth";
    return example::run(
        path,
        {{"chain", client->v3["payrollCard"]["authentications"]["preOrderWithAuth"]},
         {"declarative", client->chain(path)},
         {"property", client[path]}},
        options);
  });
}
