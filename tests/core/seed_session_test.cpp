// One seed policy (set_seed reaches eval, sessions, layers and inference; explicit seeds win)
// and the bounded program cache of Session.
#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {
bool same(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() && a == b;
}

// Resident memory in kB, from /proc/self/status (0 where it cannot be read).
long resident_kb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}
}  // namespace

TEST_CASE("eval draws anew on every call, and set_seed reproduces the sequence") {
  const ed::Normal z(Matrix::Zero(3, 1), 1.0);
  ed::set_seed(5);
  const Matrix first = ed::eval(z.sample());
  const Matrix second = ed::eval(z.sample());
  CHECK_FALSE(same(first, second));
  ed::set_seed(5);
  CHECK(same(ed::eval(z.sample()), first));
  CHECK(same(ed::eval(z.sample()), second));
  ed::set_seed(6);
  CHECK_FALSE(same(ed::eval(z.sample()), first));
}

TEST_CASE("set_seed reaches dense layers; an explicit Session seed overrides it") {
  const auto x = ed::placeholder({ed::Dynamic, 2}, "x");
  ed::set_seed(1);
  const Matrix w1 = ed::eval(ed::dense(x, 3), {{x, Matrix::Identity(2, 2)}});
  ed::set_seed(1);
  const Matrix w1_again = ed::eval(ed::dense(x, 3), {{x, Matrix::Identity(2, 2)}});
  ed::set_seed(2);
  const Matrix w2 = ed::eval(ed::dense(x, 3), {{x, Matrix::Identity(2, 2)}});
  CHECK(same(w1, w1_again));
  CHECK_FALSE(same(w1, w2));

  const ed::Gamma g(2.0, 1.0);
  ed::set_seed(1);
  const Matrix a = ed::Session(42).run({g.sample()})[0];
  ed::set_seed(2);
  const Matrix b = ed::Session(42).run({g.sample()})[0];
  CHECK(a(0, 0) == b(0, 0));
}

TEST_CASE("MAP without a seed takes one from set_seed; an explicit seed overrides it") {
  const ed::Normal mu(Matrix::Zero(2, 1), 1.0);
  const ed::Normal x(mu, 1.0);
  auto start = [&](std::uint64_t global, std::optional<std::uint64_t> own) {
    ed::set_seed(global);
    ed::MAP inference({mu}, {{x, Matrix::Ones(2, 1)}});
    inference.initialize({.seed = own});
    return inference.value(mu);
  };
  CHECK(same(start(1, std::nullopt), start(1, std::nullopt)));
  CHECK_FALSE(same(start(1, std::nullopt), start(2, std::nullopt)));
  CHECK(same(start(1, 7), start(2, 7)));
}

TEST_CASE("a data term that depends on a draw stays on one thread, and seeds change its loss") {
  const auto X = ed::placeholder({ed::Dynamic, 1}, "X");
  const auto y = ed::placeholder({ed::Dynamic, 1}, "y");
  const Tensor w = ed::variable(Matrix::Ones(1, 1), "w");
  const Tensor noise = ed::Normal(0.0, 1.0).sample();  // one draw shared by every row
  const ed::Normal obs(X * w + noise, 1.0);
  const Matrix xs = Eigen::VectorXd::LinSpaced(40, -1.0, 1.0);
  auto loss_with_seed = [&](std::uint64_t seed) {
    ed::MAP inference({}, {{obs, y}});
    inference.initialize({.seed = seed, .threads = 2});
    CHECK(inference.threading() == "1 thread: normal_sample [1, 1] draws random numbers");
    return inference.loss({{X, xs}, {y, xs}});
  };
  CHECK(loss_with_seed(1) != loss_with_seed(2));
  CHECK(loss_with_seed(3) == loss_with_seed(3));
}

TEST_CASE("the program cache stays bounded over 10,000 runs that each build new fetches") {
  ed::Session session(3);
  const ed::Normal z(Matrix::Zero(4, 1), 1.0);
  std::weak_ptr<ed::detail::Node> first_fetch;
  [[maybe_unused]] long rss_after_warm_up = 0;
  for (int i = 0; i < 10000; ++i) {
    const Tensor fetch = ed::softmax(ed::transpose(z.sample()));  // new nodes on every call
    if (i == 0) first_fetch = fetch.node();
    const Matrix value = session.run({fetch, z.sample()})[0];
    CHECK_MESSAGE(session.num_cached_programs() <= session.cache_capacity(), "run " << i);
    if (i == 1000) rss_after_warm_up = resident_kb();
  }
  // The graphs of evicted programs are freed.
  CHECK(first_fetch.expired());
  CHECK(session.num_cached_programs() == session.cache_capacity());
#if !defined(__SANITIZE_ADDRESS__)
  // Resident memory stays flat after warm-up (~50 MB per 3000 calls before the cache was
  // bounded); a few MB of slack for the allocator.
  const long growth_kb = resident_kb() - rss_after_warm_up;
  INFO("resident memory grew by " << growth_kb << " kB over 9000 runs");
  CHECK(growth_kb < 8 * 1024);
#endif
}

TEST_CASE("a compiled handle outlives eviction and reuses its program") {
  ed::Session session(4);
  session.set_cache_capacity(2);
  const auto x = ed::placeholder({1, 1}, "x");
  const Tensor doubled = 2.0 * x;
  const std::shared_ptr<ed::Program> hot = session.compile({doubled});
  for (int i = 0; i < 5; ++i) session.run({x + double(i)}, {{x, 1.0}});
  CHECK(session.num_cached_programs() == 2);
  CHECK(session.run(*hot, {{x, 3.0}})[0](0, 0) == 6.0);
  CHECK(session.compile({doubled}) != hot);  // evicted from the cache, still alive in the handle
}
