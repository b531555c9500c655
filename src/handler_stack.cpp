#include "wechatpay/handler_stack.hpp"

#include "map_response_keeping.hpp"
#include "wechatpay/errors.hpp"

namespace wechatpay {

Middleware map_request(std::function<Request(Request)> fn) {
  return [fn = std::move(fn)](Handler next) -> Handler {
    return [fn, next = std::move(next)](Request request, Completion done) {
      Request mapped;
      try {
        mapped = fn(std::move(request));
      } catch (...) {
        done(std::current_exception(), Response{});
        return;
      }
      next(std::move(mapped), std::move(done));
    };
  };
}

Middleware map_response(std::function<Response(Response, const Request&)> fn) {
  using Map = std::function<Response(Response, const Request&)>;
  // Shared, so that each request's completion holds a pointer rather than a copy of `fn`.
  return detail::map_response_keeping(
      // The request is kept for the response step (verifiers need its method and path).
      [](const Request& request) { return std::make_shared<const Request>(request); },
      [fn = std::make_shared<const Map>(std::move(fn))](
          Response response, const std::shared_ptr<const Request>& original) {
        return (*fn)(std::move(response), *original);
      });
}

HandlerStack::HandlerStack(Handler terminal) : terminal_(std::move(terminal)) {}

HandlerStack::HandlerStack(const HandlerStack& other) {
  std::lock_guard lock(other.mutex_);
  entries_ = other.entries_;
  terminal_ = other.terminal_;
}

HandlerStack& HandlerStack::operator=(const HandlerStack& other) {
  if (this == &other) return *this;
  std::scoped_lock lock(mutex_, other.mutex_);
  entries_ = other.entries_;
  terminal_ = other.terminal_;
  changed();
  return *this;
}

void HandlerStack::set_handler(Handler terminal) {
  std::lock_guard lock(mutex_);
  terminal_ = std::move(terminal);
  changed();
}

bool HandlerStack::has_handler() const {
  std::lock_guard lock(mutex_);
  return static_cast<bool>(terminal_);
}

void HandlerStack::push(Middleware middleware, std::string name) {
  std::lock_guard lock(mutex_);
  entries_.push_back({std::move(middleware), std::move(name)});
  changed();
}

void HandlerStack::unshift(Middleware middleware, std::string name) {
  std::lock_guard lock(mutex_);
  entries_.insert(entries_.begin(), {std::move(middleware), std::move(name)});
  changed();
}

void HandlerStack::before(std::string_view anchor, Middleware middleware, std::string name) {
  std::lock_guard lock(mutex_);
  auto at = entries_.begin() + static_cast<std::ptrdiff_t>(index_of(anchor));
  entries_.insert(at, {std::move(middleware), std::move(name)});
  changed();
}

void HandlerStack::after(std::string_view anchor, Middleware middleware, std::string name) {
  std::lock_guard lock(mutex_);
  auto at = entries_.begin() + static_cast<std::ptrdiff_t>(index_of(anchor)) + 1;
  entries_.insert(at, {std::move(middleware), std::move(name)});
  changed();
}

void HandlerStack::replace(std::string_view name, Middleware middleware) {
  std::lock_guard lock(mutex_);
  entries_[index_of(name)].middleware = std::move(middleware);
  changed();
}

bool HandlerStack::remove(std::string_view name) {
  std::lock_guard lock(mutex_);
  auto removed = std::erase_if(entries_, [&](const Entry& e) { return e.name == name; });
  changed();
  return removed > 0;
}

bool HandlerStack::contains(std::string_view name) const {
  std::lock_guard lock(mutex_);
  for (const auto& entry : entries_) {
    if (entry.name == name) return true;
  }
  return false;
}

std::vector<std::string> HandlerStack::names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& entry : entries_) {
    out.push_back(entry.name.empty() ? "(anonymous)" : entry.name);
  }
  return out;
}

std::string HandlerStack::describe() const {
  std::string out;
  for (const auto& name : names()) out += name + " > ";
  out += has_handler() ? "(handler)" : "(no handler)";
  return out;
}

std::shared_ptr<const Handler> HandlerStack::resolve() const {
  std::lock_guard lock(mutex_);
  if (cached_) return cached_;
  if (!terminal_) throw ConfigError("handler", "the handler stack has no terminal handler");
  Handler handler = terminal_;
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    handler = it->middleware(std::move(handler));
  }
  cached_ = std::make_shared<const Handler>(std::move(handler));
  return cached_;
}

std::size_t HandlerStack::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (entries_[i].name == name) return i;
  }
  throw ConfigError("handler", "no middleware named '" + std::string(name) + "' in the stack");
}

void HandlerStack::changed() {
  cached_.reset();
}

}  // namespace wechatpay
