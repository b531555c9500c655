// Where a request's completion runs. By default a callback (or a coroutine waiting on a request)
// runs on the transport's I/O thread, where it must not block. An Executor moves it elsewhere:
// the completion is handed to it as a task, and the executor runs that task where it likes (a
// server's thread pool, an event loop, a strand). Set one per client (ClientConfig::executor)
// or per request (Options::executor, which wins).
//   .executor = [&io](std::function<void()> task) { asio::post(io, std::move(task)); }
// The executor is called on the I/O thread: it must be thread-safe and return quickly. It runs
// each task exactly once; a task it drops leaves its request without an outcome. If it throws,
// the completion runs on the calling thread instead, so the outcome is still delivered.
// Futures (*_async without a callback) and synchronous calls do not use it.
#pragma once

#include <functional>

namespace wechatpay {

using Executor = std::function<void(std::function<void()> task)>;

}  // namespace wechatpay
