// POST /v3/offlinefacemch/tokens: a session token for offline face payment.
#include "example.hpp"
#include "seed_requests.hpp"

int main(int argc, char** argv) {
  return example::guarded([&] {
    wechatpay::Client client(wechatpay::load_profile(example::profile_path(argc, argv)));
    auto options = []() -> wechatpay::Options { return {.json = example::offlineface_token()}; };
    return example::run("v3/offlinefacemch/tokens",
                        {{"chain", client->v3["offlinefacemch"]["tokens"]},
                         {"declarative", client->chain("v3/offlinefacemch/tokens")},
                         {"property", client["v3/offlinefacemch/tokens"]}},
                        options);
  });
}
