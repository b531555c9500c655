#include "trace.hpp"

#include "wechatpay/redact.hpp"

namespace wxpay {

namespace {

void print_request(const wechatpay::Request& request, std::ostream& out) {
  out << "> " << request.method << ' ' << wechatpay::redacted_url(request.url) << '\n';
  for (const auto& [name, value] : request.headers) {
    out << "> " << name << ": " << wechatpay::redacted_header(name, value) << '\n';
  }
  // Bodies are not shown: an APIv2 body carries its sign, an APIv3 one encrypted fields.
  const auto size = request.body_stream ? request.body_stream->size : request.body.size();
  out << "> (" << size << " body bytes)\n";
}

void print_answer(const wechatpay::Response& response, std::ostream& out) {
  out << "< HTTP " << response.status << '\n';
  for (const auto& [name, value] : response.headers) out << "< " << name << ": " << value << '\n';
}

}  // namespace

void trace_exchanges(wechatpay::Client& client, std::ostream& out) {
  auto tracer = [&out](wechatpay::Handler next) -> wechatpay::Handler {
    return [&out, next = std::move(next)](wechatpay::Request request, wechatpay::Completion done) {
      print_request(request, out);
      next(std::move(request),
           [&out, done = std::move(done)](std::exception_ptr error, wechatpay::Response response) {
             if (!error) print_answer(response, out);
             done(error, std::move(response));
           });
    };
  };
  client.stack().push(tracer, "trace");
  client.v2_stack().push(tracer, "trace");
}

}  // namespace wxpay
