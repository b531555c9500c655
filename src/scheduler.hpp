// A timer thread for delayed work (retry backoff): tasks run on it, in due order, so a wait
// never blocks the caller or the transport's I/O thread. Internal.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace wechatpay::detail {

class Scheduler {
 public:
  // `cancelled` is true when the scheduler is destroyed before the task was due.
  using Task = std::function<void(bool cancelled)>;

  Scheduler() = default;
  // Runs every task not yet due with cancelled = true (on this thread), then joins.
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs `task` on the timer thread after `delay`; the thread starts on first use.
  void after(std::chrono::milliseconds delay, Task task);

 private:
  using Clock = std::chrono::steady_clock;
  // Shared with the thread, so that the last owner may drop the scheduler from inside a task:
  // the thread then finishes on its own and frees the state.
  struct State {
    std::mutex mutex;
    std::condition_variable wake;
    std::multimap<Clock::time_point, Task> tasks;  // guarded by mutex
    bool stopping = false;                         // guarded by mutex
  };
  static void run(const std::shared_ptr<State>& state);

  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::thread thread_;  // started under state_->mutex
};

}  // namespace wechatpay::detail
