// Worker.
#include "edpp/parallel/worker.hpp"

#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace ed::detail {

namespace {
// About a millisecond of polling before a thread goes to sleep.
constexpr int kSpins = 20000;

inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}
}  // namespace

Worker::Worker() : thread_([this] { loop(); }) {}

Worker::~Worker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

bool Worker::spin_until(int target) const {
  for (int i = 0; i < kSpins; ++i) {
    if (state_.load(std::memory_order_acquire) == target || stop_.load(std::memory_order_relaxed)) {
      return true;
    }
    relax();
  }
  return state_.load(std::memory_order_acquire) == target;
}

void Worker::start(const std::function<void()>* task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = task;
    error_ = nullptr;
    state_.store(kRequested, std::memory_order_release);
  }
  wake_.notify_one();
}

void Worker::wait() {
  if (!spin_until(kDone)) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return state_.load(std::memory_order_acquire) == kDone; });
  }
  std::lock_guard<std::mutex> lock(mutex_);
  state_.store(kIdle, std::memory_order_relaxed);
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void Worker::loop() {
  while (true) {
    if (!spin_until(kRequested)) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || state_.load() == kRequested; });
    }
    if (stop_) return;
    const std::function<void()>* task;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task = task_;
    }
    std::exception_ptr error;
    try {
      (*task)();
    } catch (...) {
      error = std::current_exception();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = error;
      state_.store(kDone, std::memory_order_release);
    }
    done_.notify_one();
  }
}

}  // namespace ed::detail
