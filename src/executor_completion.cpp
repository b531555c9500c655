#include "executor_completion.hpp"

#include <memory>
#include <utility>

namespace wechatpay::detail {

namespace {

// One outcome waiting for its executor. Shared between the task and the poster, so that an
// executor that throws (and so never runs the task) still leaves the outcome to deliver.
struct Outcome {
  Completion done;
  std::exception_ptr error;
  Response response;

  void deliver() {
    Completion once = std::exchange(done, nullptr);
    if (once) once(std::move(error), std::move(response));
  }
};

}  // namespace

Completion through_executor(Executor executor, Completion done) {
  if (!executor) return done;
  return [executor = std::move(executor), done = std::move(done)](std::exception_ptr error,
                                                                  Response response) mutable {
    auto outcome =
        std::make_shared<Outcome>(Outcome{std::move(done), std::move(error), std::move(response)});
    try {
      executor([outcome] { outcome->deliver(); });
    } catch (...) {
      outcome->deliver();  // the executor refused the task: deliver here rather than never
    }
  };
}

}  // namespace wechatpay::detail
