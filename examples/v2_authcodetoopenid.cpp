// APIv2 POST /tools/authcodetoopenid: XML in and out, MD5-signed with the APIv2 key; the
// client adds nonce_str and sign and verifies the answer's sign.
#include "example.hpp"
#include "seed_requests.hpp"

int main(int argc, char** argv) {
  return example::guarded([&] {
    wechatpay::Client client(wechatpay::load_profile(example::profile_path(argc, argv)));
    auto options = [&]() -> wechatpay::Options {
      return {.xml = example::authcode_to_openid(client.mchid())};
    };
    return example::run("v2/tools/authcodetoopenid",
                        {{"chain", client->v2["tools"]["authcodetoopenid"]},
                         {"declarative", client->chain("v2/tools/authcodetoopenid")},
                         {"property", client["v2/tools/authcodetoopenid"]}},
                        options);
  });
}
