// Writes the size-class seeds of every fuzz target into a directory (one subdirectory per
// target): 1 MiB+ documents, deep nesting and many fields, which the small committed seeds do not
// reach and a mutating fuzzer never grows into. Generated rather than committed: megabytes of
// repetition say less than this file does. Usage: fuzz_size_seeds <directory>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kBig = (1u << 20) + 4096;  // just over 1 MiB
constexpr std::size_t kDeep = 200'000;           // the depth that overflowed RapidJSON's stack

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// `count` distinct members or fields: "k0":0,"k1":1,... or <f0>0</f0><f1>1</f1>...
std::string json_members(std::size_t count) {
  std::string out = "{";
  for (std::size_t i = 0; i < count; ++i) {
    const auto n = std::to_string(i);
    out += (i ? ",\"k" : "\"k") + n + "\":" + n;
  }
  return out + "}";
}

std::string xml_fields(std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    const auto n = std::to_string(i);
    out += "<f" + n + ">" + n + "</f" + n + ">";
  }
  return out;
}

std::string gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

void write(const fs::path& dir, const std::string& target, const std::string& name,
           const std::string& bytes) {
  fs::create_directories(dir / target);
  std::ofstream(dir / target / name, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <directory>\n", argv[0]);
    return 2;
  }
  const fs::path dir = argv[1];
  const std::string deep_json = repeat("[", kDeep);
  const std::string deep_objects = repeat("{\"a\":", kDeep);
  const std::string many_json = json_members(120'000);
  const std::string big_string = "{\"a\":\"" + std::string(kBig, 'x') + "\"}";
  const std::string deep_xml = "<xml>" + repeat("<a>", kDeep) + "</xml>";
  const std::string many_xml = "<xml>" + xml_fields(70'000) + "</xml>";
  const std::string big_xml = "<xml><a>" + std::string(kBig, 'x') + "</a></xml>";

  // json: two status bytes ("\x01\x92" = 502, "\x00\x64" = 200), then the body.
  for (const auto& [status, name] : {std::pair{std::string("\x01\x92", 2), "502"},
                                     std::pair{std::string("\x00\x64", 2), "200"}}) {
    write(dir, "json", std::string("deep_arrays_") + name, status + deep_json);
    write(dir, "json", std::string("deep_objects_") + name, status + deep_objects);
    write(dir, "json", std::string("many_members_") + name, status + many_json);
    write(dir, "json", std::string("big_string_") + name, status + big_string);
  }
  // v3_verifier: bits 0-2 the status (7 = 502), bit 3 signed; then headers, empty line, body.
  write(dir, "v3_verifier", "deep_unsigned_502", "\x07\n" + deep_json);
  write(dir, "v3_verifier", "deep_signed_200", "\x08\n" + deep_json);
  write(dir, "v3_verifier", "many_members_signed_200", "\x08\n" + many_json);
  // v3_notification: bit 0 signs the body.
  write(dir, "v3_notification", "deep_signed", "\x01\n" + deep_objects);
  write(dir, "v3_notification", "many_members_signed", "\x01\n" + many_json);
  write(dir, "v3_notification", "big_string_signed", "\x01\n" + big_string);
  // v2_xml: the document itself.
  write(dir, "v2_xml", "deep_elements", deep_xml);
  write(dir, "v2_xml", "many_fields", many_xml);
  write(dir, "v2_xml", "big_value", big_xml);
  // v2_notification: bit 0 signs the fields.
  write(dir, "v2_notification", "deep_elements", "\x01" + deep_xml);
  write(dir, "v2_notification", "many_fields_signed", "\x01" + many_xml);
  write(dir, "v2_notification", "big_value_signed", "\x01" + big_xml);
  // keys: scheme byte 7 = the spec as given.
  write(dir, "keys", "big_pem",
        "\x07-----BEGIN PUBLIC KEY-----\n" + repeat("QUFB", kBig / 4) +
            "\n-----END PUBLIC KEY-----\n");
  // uri_template: half template, half value.
  write(dir, "uri_template", "many_expressions",
        repeat("{id}/", kBig / 5) + repeat("../", kBig / 3));
  // request_url: method, segments, value lines.
  write(dir, "request_url", "long_segments",
        "GET\nv3|" + repeat(std::string(4096, 'a') + "|..|", 256) + "\nx\n");
  write(dir, "request_url", "big_value", "GET\nv3|x|{id}|{+rest}\n" + repeat("../?#", kBig / 5));
  // bill: bit 0 = gzip. A bomb (64 MiB of zeros in ~64 KiB) and a plain bill over the cap.
  write(dir, "bill", "gzip_bomb", "\x01" + gzip(std::string(64u << 20, '0')));
  write(dir, "bill", "big_plain",
        std::string(1, '\0') + repeat("`2024-06-01,`wx0000,`1\n", kBig / 23));
  return 0;
}
