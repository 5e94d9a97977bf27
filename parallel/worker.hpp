// A background thread that runs one task at a time on request (for sharded training steps).
#pragma once

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace ed::detail {

/// Runs `*task` on its own thread after start(); wait() blocks until it is done and rethrows
/// whatever it threw. The task is not copied, so starting allocates nothing. Both sides spin
/// briefly before sleeping on a condition variable: a training step hands work over every
/// millisecond, and a futex wake-up can cost tens of microseconds on a virtual machine.
class Worker {
 public:
  Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker();

  void start(const std::function<void()>* task);
  void wait();

 private:
  enum State : int { kIdle, kRequested, kDone };
  void loop();
  // Spins until `state_` equals `target` or the spin budget runs out; true when reached.
  bool spin_until(int target) const;

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void()>* task_ = nullptr;
  std::atomic<int> state_{kIdle};
  std::atomic<bool> stop_{false};
  std::exception_ptr error_;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace ed::detail
