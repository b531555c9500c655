#include "scheduler.hpp"

#include <utility>

namespace wechatpay::detail {

Scheduler::~Scheduler() {
  std::multimap<Clock::time_point, Task> left;
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    left.swap(state_->tasks);
  }
  state_->wake.notify_all();
  if (thread_.joinable()) {
    if (thread_.get_id() == std::this_thread::get_id()) {
      thread_.detach();  // dropped by one of its own tasks: the thread ends after it returns
    } else {
      thread_.join();
    }
  }
  for (auto& [due, task] : left) {
    try {
      task(true);
    } catch (...) {
      // Nobody left to report to.
    }
  }
}

void Scheduler::after(std::chrono::milliseconds delay, Task task) {
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->stopping) {
      state_->tasks.emplace(Clock::now() + delay, std::move(task));
      if (!thread_.joinable()) thread_ = std::thread([state = state_] { run(state); });
      state_->wake.notify_one();
      return;
    }
  }
  task(true);
}

void Scheduler::run(const std::shared_ptr<State>& state) {
  std::unique_lock lock(state->mutex);
  while (!state->stopping) {
    if (state->tasks.empty()) {
      state->wake.wait(lock);
      continue;
    }
    auto next = state->tasks.begin();
    if (Clock::now() < next->first) {
      state->wake.wait_until(lock, next->first);
      continue;
    }
    Task task = std::move(next->second);
    state->tasks.erase(next);
    lock.unlock();
    try {
      task(false);
    } catch (...) {
      // A task reports its own failures; keep the timer alive for the others.
    }
    task = nullptr;  // what the task held (perhaps this scheduler) goes before the lock
    lock.lock();
  }
}

}  // namespace wechatpay::detail
