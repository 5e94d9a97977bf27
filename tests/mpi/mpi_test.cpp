// Data-parallel inference over MPI (Note [Data parallelism]): deterministic sums, shards,
// MAP and KLqp on 1, 2 and 4 ranks against the single-process run, failures that reach every
// rank, checkpoints written by rank 0.
#include <doctest/doctest.h>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/mpi/group.hpp"

using ed::Index;
using ed::Matrix;
using ed::test::group;

namespace {

Matrix uniform(Index rows, Index cols, std::uint64_t seed) {
  ed::Rng rng(seed);
  boost::random::uniform_real_distribution<double> u(-1.0, 1.0);
  Matrix m(rows, cols);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = u(rng.engine());
  return m;
}

// Logistic-regression data, the same on every rank.
struct Logistic {
  Matrix X, y;
};
Logistic logistic_data(Index n, Index d, std::uint64_t seed) {
  Logistic data{uniform(n, d, seed) * 2.0, Matrix(n, 1)};
  const Matrix w = uniform(d, 1, seed + 1) * 1.5;
  ed::Rng rng(seed + 2);
  boost::random::uniform_real_distribution<double> u(0.0, 1.0);
  for (Index i = 0; i < n; ++i) {
    const double prob = 1.0 / (1.0 + std::exp(-(data.X.row(i) * w)(0, 0)));
    data.y(i, 0) = u(rng.engine()) < prob ? 1.0 : 0.0;
  }
  return data;
}

Matrix rows_of(const Matrix& m, ed::CsvRows rows) {
  return m.middleRows(rows.begin, rows.end - rows.begin);
}

// Full-batch MAP of w ~ N(0, 1), y ~ Bernoulli(logits = X w), by gradient descent with
// momentum: it converges on gradients to rounding, where a line search on loss values stops
// within √ε of the optimum (L-BFGS runs on 1 and 2 ranks agree to 5e-9 only).
Matrix fit_logistic(const Matrix& X, const Matrix& y, ed::ProcessGroup* distributed, long steps) {
  const ed::Normal w(ed::constant(Matrix::Zero(X.cols(), 1)), 1.0);
  const ed::Bernoulli y_rv(ed::matmul(ed::constant(X), w));
  ed::MAP inference({w}, {{y_rv, ed::constant(y)}});
  inference.initialize({.optimizer = ed::SGD(2e-4, 0.9), .seed = 3, .distributed = distributed});
  for (long t = 0; t < steps; ++t) inference.update();
  return inference.value(w);
}

}  // namespace

TEST_CASE("sum adds in rank order, to the same bits on every rank") {
  ed::mpi::Context& g = group();
  const Index n = 1001;  // not a multiple of the ranks: blocks of unequal length
  std::vector<double> mine(n), expected(n, 0.0);
  for (int r = 0; r < g.size(); ++r) {
    const Matrix v = uniform(n, 1, 100 + static_cast<std::uint64_t>(r)) * std::pow(10.0, r);
    for (Index i = 0; i < n; ++i) {
      expected[i] += v(i, 0);
      if (r == g.rank()) mine[i] = v(i, 0);
    }
  }
  g.sum(mine);
  bool identical = true;
  for (Index i = 0; i < n; ++i) identical = identical && mine[i] == expected[i];
  CHECK(identical);
  // Gathers concatenate in rank order, whatever each rank's length.
  std::vector<double> local(static_cast<std::size_t>(g.rank() + 1), g.rank());
  const std::vector<double> all = g.all_gather(local);
  CHECK(all.size() == static_cast<std::size_t>(g.size() * (g.size() + 1) / 2));
  CHECK(all.back() == g.size() - 1);
  double value = g.rank() == 0 ? 42.0 : -1.0;
  g.broadcast({&value, 1});
  CHECK(value == 42.0);
}

TEST_CASE("an error on one rank reaches every rank, with its message") {
  ed::mpi::Context& g = group();
  const int last = g.size() - 1;
  try {
    g.check(g.rank() == last ? "the shard is bad" : "");
    FAIL("no exception");
  } catch (const ed::distributed_error& e) {
    CHECK(e.rank() == last);
    CHECK(std::string(e.what()) == "rank " + std::to_string(last) + ": the shard is bad");
  }
  // A mismatch of lengths (ranks not running the same program) is an error, not a hang.
  if (g.size() > 1) {
    std::vector<double> v(static_cast<std::size_t>(g.rank() + 1));
    CHECK_THROWS_AS(g.sum(v), ed::distributed_error);
  }
}

TEST_CASE("read_csv_shard reads each rank's rows; together they are the file") {
  ed::mpi::Context& g = group();
  const std::string path = "/tmp/edpp_mpi_shard_" + std::to_string(g.size()) + ".csv";
  const Matrix data = uniform(7, 3, 5);  // 7 rows: uneven for 2 and 4 ranks
  if (g.is_root()) ed::write_csv(path, data, {"a", "b", "c"});
  g.barrier();
  const ed::CsvShard shard = ed::read_csv_shard(path, g);
  CHECK(shard.total_rows == 7);
  CHECK(shard.table.columns == std::vector<std::string>{"a", "b", "c"});
  CHECK(shard.table.data == rows_of(data, shard.rows));
  CHECK(ed::global_count(g, shard.table.data.rows()) == 7);
  // The shards' rows in rank order are the file's rows.
  Matrix transposed = shard.table.data.transpose();
  const std::vector<double> all =
      g.all_gather({transposed.data(), static_cast<std::size_t>(transposed.size())});
  Matrix whole = Eigen::Map<const Matrix>(all.data(), 3, 7).transpose();
  CHECK(whole == data);
}

TEST_CASE("a malformed line in one rank's shard stops every rank, naming the line") {
  ed::mpi::Context& g = group();
  const std::string path = "/tmp/edpp_mpi_bad_" + std::to_string(g.size()) + ".csv";
  if (g.is_root()) {
    std::ofstream out(path);
    out << "x,y\n";
    for (int i = 0; i < 8; ++i) out << i << "," << 2 * i << "\n";
    out << "8,oops\n";  // line 10: the last data row, in the last rank's shard
  }
  g.barrier();
  try {
    ed::read_csv_shard(path, g);
    FAIL("no exception");
  } catch (const ed::distributed_error& e) {
    CHECK(e.rank() == g.size() - 1);
    CHECK(std::string(e.what()).find("line 10: column 2 ('oops') is not a number") !=
          std::string::npos);
  }
  // A missing file is found by rank 0 (which counts the rows) and reported by every rank.
  CHECK_THROWS_WITH_AS(ed::read_csv_shard("/tmp/edpp_no_such_file.csv", g),
                       doctest::Contains("rank 0: count_csv_rows: cannot open"),
                       ed::distributed_error);
}

TEST_CASE("full-batch MAP on this group equals the single-process MAP to 1e-10") {
  ed::mpi::Context& g = group();
  const Logistic data = logistic_data(2001, 4, 11);
  const Matrix single = fit_logistic(data.X, data.y, nullptr, 400);
  const ed::CsvRows rows = ed::shard_rows(data.X.rows(), g.rank(), g.size());
  const Matrix distributed = fit_logistic(rows_of(data.X, rows), rows_of(data.y, rows), &g, 400);
  CAPTURE(single.transpose());
  CAPTURE(distributed.transpose());
  CHECK((distributed - single).cwiseAbs().maxCoeff() < 1e-10);
  // Every rank holds the same estimate, bit for bit.
  Matrix copy = distributed;
  ed::broadcast_matrices(g, {&copy});
  CHECK(copy == distributed);
}

TEST_CASE("minibatch MAP: scale from the global N and batch; the step of the joined batch") {
  ed::mpi::Context& g = group();
  const Logistic data = logistic_data(1001, 3, 21);
  const Index batch = 8;  // rows per rank per step
  const long steps = 25;  // fewer rows than any shard holds: no short batch at an epoch's end
  const Index n = ed::global_count(g, ed::shard_rows(data.X.rows(), g.rank(), g.size()).end -
                                          ed::shard_rows(data.X.rows(), g.rank(), g.size()).begin);
  const Index m = ed::global_count(g, batch);
  CHECK(n == 1001);
  CHECK(m == batch * g.size());
  auto fit = [&](bool distributed) {
    const auto X = ed::placeholder({ed::Dynamic, 3}, "X");
    const auto y = ed::placeholder({ed::Dynamic, 1}, "y");
    const ed::Normal w(ed::constant(Matrix::Zero(3, 1)), 1.0);
    const ed::Bernoulli y_rv(ed::matmul(X, w));
    ed::MAP inference({w}, {{y_rv, y}});
    inference.initialize({.optimizer = ed::Adam(0.05),
                          .seed = 4,
                          .scale = {{y_rv, double(n) / double(m)}},
                          .distributed = distributed ? &g : nullptr});
    // Every rank's minibatches from its own shard; the single process joins them in rank order.
    std::vector<ed::Minibatches> shards;
    for (int r = 0; r < g.size(); ++r) {
      const ed::CsvRows rows = ed::shard_rows(data.X.rows(), r, g.size());
      shards.emplace_back(std::vector<Matrix>{rows_of(data.X, rows), rows_of(data.y, rows)}, batch,
                          /*seed=*/10 + static_cast<std::uint64_t>(r));
    }
    std::vector<double> losses;
    for (long t = 0; t < steps; ++t) {
      Matrix Xb(0, 3), yb(0, 1);
      for (int r = 0; r < g.size(); ++r) {
        const auto& b = shards[static_cast<std::size_t>(r)].next();
        if (distributed && r != g.rank()) continue;
        Xb.conservativeResize(Xb.rows() + b[0].rows(), Eigen::NoChange);
        Xb.bottomRows(b[0].rows()) = b[0];
        yb.conservativeResize(yb.rows() + b[1].rows(), Eigen::NoChange);
        yb.bottomRows(b[1].rows()) = b[1];
      }
      losses.push_back(inference.update({{X, Xb}, {y, yb}}).loss);
    }
    return std::make_pair(losses, inference.value(w));
  };
  const auto [single_losses, single] = fit(false);
  const auto [group_losses, grouped] = fit(true);
  for (long t = 0; t < steps; ++t) {
    CHECK(group_losses[t] == doctest::Approx(single_losses[t]).epsilon(1e-12));
  }
  CHECK((grouped - single).cwiseAbs().maxCoeff() < 1e-11);
}

TEST_CASE("KLqp on this group draws as the single process does and counts the KL once") {
  ed::mpi::Context& g = group();
  // Normal–normal: mu ~ N(0, 1), x_i ~ N(mu, 1); q(mu) = N(m, softplus(s)).
  const Matrix x_all = uniform(50, 1, 31) + Matrix::Constant(50, 1, 1.0);
  auto fit = [&](const Matrix& x_data, ed::ProcessGroup* distributed) {
    const ed::Normal mu(0.0, 1.0);
    const ed::Normal x(mu * Matrix::Ones(1, 1), 1.0);
    const ed::Normal qmu(ed::variable(Matrix::Zero(1, 1), "qmu/loc"),
                         ed::softplus(ed::variable(Matrix::Zero(1, 1), "qmu/scale")));
    ed::KLqp inference({{mu, qmu}}, {{x, ed::constant(x_data)}});
    inference.initialize(
        {.optimizer = ed::Adam(0.05), .n_samples = 2, .seed = 8, .distributed = distributed});
    double last = 0.0;
    for (int t = 0; t < 300; ++t) last = inference.update().loss;
    const auto vars = inference.variables();
    return std::make_tuple(vars[0].value()(0, 0), vars[1].value()(0, 0), last);
  };
  const auto [m1, s1, loss1] = fit(x_all, nullptr);
  const ed::CsvRows rows = ed::shard_rows(x_all.rows(), g.rank(), g.size());
  const auto [mp, sp, lossp] = fit(rows_of(x_all, rows), &g);
  CHECK(mp == doctest::Approx(m1).epsilon(1e-10));
  CHECK(sp == doctest::Approx(s1).epsilon(1e-10));
  CHECK(lossp == doctest::Approx(loss1).epsilon(1e-10));
  // And both are near the exact posterior N(Σx / 51, 1/51).
  CHECK(std::abs(mp - x_all.sum() / 51.0) < 0.05);
}

TEST_CASE("data outside its support on one rank stops every rank at initialize") {
  ed::mpi::Context& g = group();
  const Logistic data = logistic_data(40, 2, 41);
  const ed::CsvRows rows = ed::shard_rows(40, g.rank(), g.size());
  Matrix y = rows_of(data.y, rows);
  if (g.rank() == g.size() - 1) y(1, 0) = 2.0;  // not a Bernoulli value
  const ed::Normal w(ed::constant(Matrix::Zero(2, 1)), 1.0);
  const ed::Bernoulli y_rv(ed::matmul(ed::constant(rows_of(data.X, rows)), w));
  ed::MAP inference({w}, {{y_rv, ed::constant(y)}});
  try {
    inference.initialize({.distributed = &g});
    FAIL("no exception");
  } catch (const ed::distributed_error& e) {
    CHECK(e.rank() == g.size() - 1);
    CHECK(std::string(e.what()).find("Bernoulli: data[1, 0] is 2") != std::string::npos);
  }
}

TEST_CASE("a failed step on one rank (a missing feed) stops every rank with its message") {
  ed::mpi::Context& g = group();
  const auto x_ph = ed::placeholder({ed::Dynamic, 1}, "x");
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(1, 1), 1.0);
  ed::MAP inference({mu}, {{x, x_ph}});
  inference.initialize({.seed = 1, .distributed = &g});
  const Matrix x_data = uniform(5, 1, 51);
  inference.update({{x_ph, x_data}});
  const bool fails = g.rank() == g.size() - 1;
  try {
    inference.update(fails ? ed::Feed{} : ed::Feed{{x_ph, x_data}});
    FAIL("no exception");
  } catch (const ed::distributed_error& e) {
    CHECK(e.rank() == g.size() - 1);
    CHECK(std::string(e.what()).find("'x'") != std::string::npos);
  }
}

TEST_CASE("checkpoints: rank 0 writes, every rank loads rank 0's file") {
  ed::mpi::Context& g = group();
  const std::string path = "/tmp/edpp_mpi_checkpoint_" + std::to_string(g.size()) + ".txt";
  if (g.is_root()) std::filesystem::remove(path);
  g.barrier();
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(1, 1), 1.0);
  ed::MAP inference({mu}, {{x, ed::constant(uniform(6, 1, 61))}});
  inference.initialize({.seed = 2, .distributed = &g});
  for (int t = 0; t < 5; ++t) inference.update();
  inference.save(path);
  if (g.is_root()) CHECK(std::filesystem::exists(path));
  const double saved = inference.value(mu)(0, 0);
  // Moving on, then loading, returns every rank to the saved state.
  for (int t = 0; t < 5; ++t) inference.update();
  CHECK(inference.value(mu)(0, 0) != saved);
  inference.load(path);
  CHECK(inference.value(mu)(0, 0) == saved);
  // A checkpoint rank 0 cannot write fails on every rank.
  CHECK_THROWS_WITH_AS(inference.save("/nonexistent_dir/edpp.txt"), doctest::Contains("rank 0: "),
                       ed::distributed_error);
}

TEST_CASE("data-parallel training refuses a score-function loss, on every rank alike") {
  ed::mpi::Context& g = group();
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(1, 1), 1.0);
  const ed::Normal qmu(ed::variable(Matrix::Zero(1, 1)), 1.0);
  ed::ScoreKLqp inference({{mu, qmu}}, {{x, ed::constant(uniform(4, 1, 71))}});
  CHECK_THROWS_WITH_AS(inference.initialize({.distributed = &g}),
                       doctest::Contains("data-parallel training needs a loss"),
                       ed::distributed_error);
}

TEST_CASE("NUTS chains across ranks: chain k's draws are the single process's chain k") {
  ed::mpi::Context& g = group();
  const Matrix x_data = uniform(20, 1, 81) * 2.0;
  auto sample = [&](ed::ProcessGroup* distributed) {
    const ed::Normal mu(0.0, 10.0);
    const ed::Normal x(mu * Matrix::Ones(1, 1), 1.0);
    ed::NUTS nuts({mu}, {{x, ed::constant(x_data)}});
    nuts.initialize(
        {.n_iter = 150, .n_warmup = 150, .chains = 4, .seed = 12, .distributed = distributed});
    nuts.run();
    return std::make_tuple(nuts.draws(mu), nuts.diagnostics().step_size, nuts.num_chains(),
                           ed::summary(nuts, {"mu"}));
  };
  const auto [single, single_steps, single_chains, single_summary] = sample(nullptr);
  const auto [grouped, grouped_steps, grouped_chains, grouped_summary] = sample(&g);
  CHECK(grouped_chains == 4);
  CHECK(grouped.rows() == 600);
  CHECK(grouped == single);
  CHECK(grouped_steps == single_steps);
  CHECK(grouped_summary == single_summary);
  // More processes than chains is refused on every rank alike.
  if (g.size() > 1) {
    const ed::Normal mu(0.0, 1.0);
    ed::NUTS nuts({mu});
    CHECK_THROWS_WITH_AS(nuts.initialize({.chains = 1, .distributed = &g}),
                         doctest::Contains("1 chains for"), ed::distributed_error);
  }
}

TEST_CASE("MAP on this group with threads too: rows split over ranks, then over threads") {
  ed::mpi::Context& g = group();
  const Logistic data = logistic_data(1001, 3, 91);
  auto fit = [&](const Matrix& X, const Matrix& y, ed::ProcessGroup* distributed, int threads) {
    const auto X_ph = ed::placeholder({ed::Dynamic, 3}, "X");
    const auto y_ph = ed::placeholder({ed::Dynamic, 1}, "y");
    const ed::Normal w(ed::constant(Matrix::Zero(3, 1)), 1.0);
    const ed::Bernoulli y_rv(ed::matmul(X_ph, w));
    ed::MAP inference({w}, {{y_rv, y_ph}});
    inference.initialize({.optimizer = ed::SGD(5e-4, 0.9),
                          .seed = 5,
                          .threads = threads,
                          .distributed = distributed});
    for (int t = 0; t < 60; ++t) inference.update({{X_ph, X}, {y_ph, y}});
    return std::make_pair(inference.value(w), inference.threading());
  };
  const auto [single, single_threading] = fit(data.X, data.y, nullptr, 1);
  const ed::CsvRows rows = ed::shard_rows(data.X.rows(), g.rank(), g.size());
  const auto [grouped, threading] = fit(rows_of(data.X, rows), rows_of(data.y, rows), &g, 2);
  CHECK(threading == std::to_string(g.size()) + (g.size() == 1 ? " process, " : " processes, ") +
                         "2 threads (rows split in blocks)");
  // 60 steps short of convergence: the trajectories themselves agree to rounding.
  CHECK((grouped - single).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("Laplace on this group: the single process's mode and Hessian, on every rank") {
  ed::mpi::Context& g = group();
  const Logistic data = logistic_data(601, 3, 93);
  auto fit = [&](const Matrix& X, const Matrix& y, ed::ProcessGroup* distributed) {
    const ed::Normal w(ed::constant(Matrix::Zero(3, 1)), 1.0);
    const ed::Bernoulli y_rv(ed::matmul(ed::constant(X), w));
    const ed::Normal qw(ed::variable(Matrix::Zero(3, 1), "qw/loc"),
                        ed::exp(ed::variable(Matrix::Zero(3, 1), "qw/log_scale")));
    ed::LaplaceApproximation inference({{w, qw}}, {{y_rv, ed::constant(y)}});
    inference.initialize({.n_iter = 60, .seed = 6, .distributed = distributed});
    inference.run();
    return std::make_tuple(ed::eval(qw.mean()), ed::eval(qw.stddev()), inference.hessian());
  };
  const auto [mode1, sd1, hessian1] = fit(data.X, data.y, nullptr);
  const ed::CsvRows rows = ed::shard_rows(data.X.rows(), g.rank(), g.size());
  const auto [mode, sd, hessian] = fit(rows_of(data.X, rows), rows_of(data.y, rows), &g);
  CHECK((mode - mode1).cwiseAbs().maxCoeff() < 1e-8);
  CHECK((hessian - hessian1).cwiseAbs().maxCoeff() < 1e-6);
  CHECK((sd - sd1).cwiseAbs().maxCoeff() < 1e-8);
  // Every rank writes the same q.
  Matrix copy = sd;
  ed::broadcast_matrices(g, {&copy});
  CHECK(copy == sd);
}
