#include "captured_request.hpp"

#include <charconv>
#include <sstream>

#include "exit_codes.hpp"

namespace wxpay {
namespace {

bool is_request_line(const std::string& line) {
  // METHOD SP TARGET SP HTTP/x
  auto first = line.find(' ');
  auto last = line.rfind(' ');
  return first != std::string::npos && first != last && line.compare(last + 1, 5, "HTTP/") == 0;
}

std::string trim(std::string text) {
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  return text;
}

void cut_to_content_length(CapturedRequest& request) {
  auto length = request.headers.get("Content-Length");
  if (!length) return;
  std::size_t size = 0;
  auto [end, error] = std::from_chars(length->data(), length->data() + length->size(), size);
  if (error != std::errc() || end != length->data() + length->size()) {
    throw InputError("the captured request's Content-Length is not a number");
  }
  if (request.body.size() < size) {
    throw InputError("the captured body is shorter than its Content-Length (" +
                     std::to_string(request.body.size()) + " < " + *length + " bytes)");
  }
  // Editors and shells often add a final newline to a saved capture.
  request.body.resize(size);
}

}  // namespace

CapturedRequest parse_captured_request(std::string_view text, bool headers_only) {
  std::istringstream in{std::string(text)};
  CapturedRequest request;
  std::string line;
  bool blank_line_seen = false;
  std::string name, value;
  auto flush_header = [&] {
    if (!name.empty()) request.headers.add(name, trim(value));
    name.clear();
    value.clear();
  };
  for (bool first = !headers_only; std::getline(in, line); first = false) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (first) {
      if (!is_request_line(line)) {
        throw InputError(
            "the captured request does not start with a request line such as "
            "'POST /notify HTTP/1.1' (use --headers-only when it starts with headers)");
      }
      request.request_line = line;
      continue;
    }
    if (line.empty()) {
      blank_line_seen = true;
      break;
    }
    if ((line[0] == ' ' || line[0] == '\t') && !name.empty()) {
      value += " " + trim(line);  // an obsolete folded line continues the header
      continue;
    }
    flush_header();
    auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      throw InputError("the captured request has a header line without a name: '" +
                       line.substr(0, 40) + "'");
    }
    name = trim(line.substr(0, colon));
    value = line.substr(colon + 1);
  }
  flush_header();
  if (!blank_line_seen) throw InputError("the captured request has no blank line before its body");
  if (request.headers.value("Transfer-Encoding").find("chunked") != std::string::npos) {
    throw InputError("the captured body is chunked; save the decoded body instead");
  }
  auto offset = in.tellg();
  request.body =
      offset < 0 ? std::string() : std::string(text.substr(static_cast<std::size_t>(offset)));
  cut_to_content_length(request);
  return request;
}

}  // namespace wxpay
