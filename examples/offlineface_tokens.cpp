// POST /v3/offlinefacemch/tokens: a session token for offline face payment.
#include "example.hpp"

int main(int argc, char** argv) {
  return example::guarded([&] {
    wechatpay::Client client(wechatpay::load_profile(example::profile_path(argc, argv)));
    auto options = []() -> wechatpay::Options {
      return {.json = {{"scene", "WEBSESSION"},
                       {"web_init_data",
                        {{"out_user_id", "user-0001"}, {"organization_id", "org-0001"}}}}};
    };
    return example::run("v3/offlinefacemch/tokens",
                        {{"chain", client->v3["offlinefacemch"]["tokens"]},
                         {"declarative", client->chain("v3/offlinefacemch/tokens")},
                         {"property", client["v3/offlinefacemch/tokens"]}},
                        options);
  });
}
