// Note [Buffer reuse] as a test: after the first step, forward and backward allocate nothing.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "edpp/models.hpp"
#include "tests/support/gradient_check.hpp"

namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

// Replaces the global allocator for this test binary, counting while `counting` is set.
void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// The nothrow forms too (std::stable_sort's temporary buffer uses them): every allocation of
// the binary must come from malloc, since every deallocation goes to free.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  if (counting) ++allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

using ed::Matrix;
using ed::Tensor;

TEST_CASE("a training step of a small MLP allocates nothing once its buffers exist") {
  ed::set_seed(3);
  const Tensor x = ed::placeholder({ed::Dynamic, 1}, "x");
  const Tensor y = ed::placeholder({ed::Dynamic, 1}, "y");
  const Tensor h = ed::dense(ed::dense(x, 15, ed::relu), 15, ed::tanh);
  const Tensor logits = ed::dense(h, 4);
  const Tensor scales = ed::dense(h, 4, ed::exp);
  const Tensor z = (y - ed::dense(h, 4)) / scales;
  const Tensor loss =
      -ed::sum(ed::logsumexp(ed::log_softmax(logits) - 0.5 * ed::square(z) - ed::log(scales)));
  ed::Program program({loss}, ed::Program({loss}).variables());
  const Matrix xs = Matrix::Random(500, 1), ys = Matrix::Random(500, 1);
  const ed::Feed feed = {{x, xs}, {y, ys}};
  ed::Rng rng;
  program.forward(feed, rng);
  program.backward();
  counting = true;
  for (int step = 0; step < 5; ++step) {
    program.forward(feed, rng);
    program.backward();
  }
  counting = false;
  CHECK(allocations == 0);
}

TEST_CASE("an MDN training step through MAP::update allocates nothing after the first") {
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    ed::set_seed(4);
    const auto data = ed::datasets::toy_mdn(400, 1);
    const auto X = ed::placeholder({ed::Dynamic, 1}, "X");
    const auto y = ed::placeholder({ed::Dynamic, 1}, "y");
    const auto model = ed::models::mdn(X, 5, {8, 8});
    ed::MAP inference({}, {{model.y, y}});
    inference.initialize({.optimizer = ed::Adam(5e-3), .threads = threads});
    const ed::Feed train = {{X, data.X_train}, {y, data.y_train}};
    const ed::Feed test = {{X, data.X_test}, {y, data.y_test}};
    inference.update(train);
    inference.loss(test);
    inference.update(train);
    allocations = 0;
    counting = true;
    for (int step = 0; step < 5; ++step) {
      inference.update(train);
      inference.loss(test);
    }
    counting = false;
    CHECK(allocations == 0);
  }
}
