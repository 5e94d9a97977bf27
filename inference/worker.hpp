// A background thread that runs one task at a time on request (for sharded training steps).
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace ed::detail {

/// Runs `*task` on its own thread after start(); wait() blocks until it is done and rethrows
/// whatever it threw. The task is not copied, so starting allocates nothing.
class Worker {
 public:
  Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker();

  void start(const std::function<void()>* task);
  void wait();

 private:
  void loop();
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void()>* task_ = nullptr;
  bool busy_ = false, stop_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace ed::detail
