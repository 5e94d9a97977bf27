// Data-parallel logistic regression over MPI (Note [Data parallelism]): each process holds a
// shard of the rows, MAP's gradients are summed over processes every step, and every process
// takes the same step. Run it as
//   mpirun -np 2 build/release/examples/mpi_logistic_regression --rows 1000000
// The estimates match a one-process run (mpirun -np 1, or no mpirun) to rounding.
#include <edpp/mpi.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <string>
#include <vector>

namespace {

// A uniform on (0, 1) that depends only on (seed, row, column): each process makes its own
// rows of the simulated data, in any order, and they are the rows a single process makes.
double hashed_uniform(std::uint64_t seed, std::uint64_t row, std::uint64_t column) {
  std::uint64_t z = seed * 0x9e3779b97f4a7c15ULL + row * 0xbf58476d1ce4e5b9ULL + column;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;  // splitmix64's finaliser
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return (static_cast<double>(z >> 11) + 0.5) * 0x1.0p-53;
}

// The true coefficients of the simulation: alternating signs, growing sizes.
ed::Matrix true_weights(ed::Index d) {
  ed::Matrix w(d, 1);
  for (ed::Index j = 0; j < d; ++j) w(j, 0) = (j % 2 ? -1.0 : 1.0) * (0.2 + 0.8 * j / d);
  return w;
}
constexpr double kTrueBias = -0.5;

// Rows [rows.begin, rows.end) of the simulated data: x ~ N(0, 1) (Box–Muller), y ~ Bernoulli.
ed::Matrix simulate_rows(ed::CsvRows rows, ed::Index d, std::uint64_t seed) {
  const ed::Matrix w = true_weights(d);
  ed::Matrix data(rows.end - rows.begin, d + 1);
  for (ed::Index i = 0; i < data.rows(); ++i) {
    const auto row = static_cast<std::uint64_t>(rows.begin + i);
    double eta = kTrueBias;
    for (ed::Index j = 0; j < d; ++j) {
      const double u1 = hashed_uniform(seed, row, 2 * j), u2 = hashed_uniform(seed, row, 2 * j + 1);
      data(i, j) = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
      eta += data(i, j) * w(j, 0);
    }
    data(i, d) = hashed_uniform(seed, row, 2 * d) < 1.0 / (1.0 + std::exp(-eta)) ? 1.0 : 0.0;
  }
  return data;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Logistic regression by data-parallel MAP over MPI processes",
               "mpi_logistic_regression"};
  long rows = 100000, features = 10, iterations = 200;
  double learning_rate = 0.05;
  std::uint64_t seed = 1;
  std::string data_path, save_data, out;
  app.add_option("--rows", rows, "rows of simulated data (ignored with --data)")
      ->check(CLI::Range(1L, 1000000000L));
  app.add_option("--features", features, "features of simulated data")->check(CLI::Range(1, 1000));
  app.add_option("--data", data_path,
                 "a CSV file of features and a last column of 0/1 labels; each process reads only "
                 "its rows");
  app.add_option("--save-data", save_data, "write the simulated data here (as --data reads it)");
  app.add_option("--iterations", iterations, "full-batch Adam steps")
      ->check(CLI::Range(1L, 1000000L));
  app.add_option("--lr", learning_rate, "Adam's learning rate")->check(CLI::PositiveNumber);
  app.add_option("--seed", seed, "seed of the simulation and of MAP's initial values");
  app.add_option("--out", out, "write the estimates here as CSV (rank 0)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  return ed::mpi::run(argc, argv, [&](ed::mpi::Context& mpi) {
    // This process's rows: read from the file, or simulated.
    ed::Matrix data;
    ed::Index total = 0;
    ed::CsvRows shard{};
    if (!data_path.empty()) {
      ed::CsvShard read = ed::read_csv_shard(data_path, mpi);
      data = std::move(read.table.data);
      total = read.total_rows;
      shard = read.rows;
      mpi.collectively([&] {
        if (data.cols() < 2) {
          throw ed::invalid_argument("mpi_logistic_regression: '" + data_path +
                                     "' needs feature columns and a label column");
        }
      });
    } else {
      total = rows;
      shard = ed::shard_rows(total, mpi.rank(), mpi.size());
      data = simulate_rows(shard, features, seed);
      if (!save_data.empty()) {
        // Every process sends its rows to all; rank 0 writes them (atomically).
        ed::Matrix transposed = data.transpose();
        const std::vector<double> all =
            mpi.all_gather({transposed.data(), static_cast<std::size_t>(transposed.size())});
        mpi.collectively([&] {
          if (!mpi.is_root()) return;
          const ed::Matrix whole =
              Eigen::Map<const ed::Matrix>(all.data(), features + 1, total).transpose();
          std::vector<std::string> names;
          for (long j = 0; j < features; ++j) names.push_back("x" + std::to_string(j));
          names.push_back("y");
          ed::write_csv(save_data, whole, names);
        });
      }
    }
    const ed::Index d = data.cols() - 1;
    const ed::Matrix X = data.leftCols(d), y = data.rightCols(1);

    const ed::Normal w(ed::constant(ed::Matrix::Zero(d, 1)), 1.0);
    const ed::Normal b(0.0, 1.0);
    const ed::Bernoulli y_rv(ed::matmul(ed::constant(X), w) + b);
    ed::MAP inference({w, b}, {{y_rv, ed::constant(y)}});
    inference.initialize({.optimizer = ed::Adam(learning_rate), .seed = seed, .distributed = &mpi});

    std::vector<double> step_ms;
    double loss = 0.0;
    for (long t = 0; t < iterations; ++t) {
      const auto start = std::chrono::steady_clock::now();
      loss = inference.update().loss;
      step_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count());
    }
    std::vector<double> sorted = step_ms;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const double median_ms = sorted[sorted.size() / 2];
    double total_ms = 0.0;
    for (double ms : step_ms) total_ms += ms;

    const ed::Matrix w_hat = inference.value(w), b_hat = inference.value(b);
    if (mpi.is_root()) {
      std::printf(
          "Logistic regression by data-parallel MAP: %d process%s, %ld rows (%ld to %ld "
          "on rank 0), %ld features, %ld Adam steps\n",
          mpi.size(), mpi.size() == 1 ? "" : "es", static_cast<long>(total),
          static_cast<long>(shard.begin), static_cast<long>(shard.end), static_cast<long>(d),
          iterations);
      std::printf("%s\n", inference.threading().c_str());
      std::printf("time per step: median %.3f ms, mean %.3f ms\n", median_ms,
                  total_ms / static_cast<double>(iterations));
      std::printf("final loss (negative log joint) %.17g\n", loss);
      const bool simulated = data_path.empty();
      const ed::Matrix truth = true_weights(d);
      std::printf("%-6s %24s%s\n", "", "estimate", simulated ? "      truth" : "");
      for (ed::Index j = 0; j < d; ++j) {
        std::printf("w[%ld]   %24.17g", static_cast<long>(j), w_hat(j, 0));
        if (simulated) std::printf(" %10.4f", truth(j, 0));
        std::printf("\n");
      }
      std::printf("b      %24.17g", b_hat(0, 0));
      if (simulated) std::printf(" %10.4f", kTrueBias);
      std::printf("\n");
    }
    if (!out.empty()) {
      mpi.collectively([&] {
        if (!mpi.is_root()) return;
        ed::Matrix estimates(d + 1, 1);
        estimates << w_hat, b_hat;
        ed::write_csv(out, estimates, {"estimate"});
      });
    }
    return 0;
  });
}
