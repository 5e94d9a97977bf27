// Data-parallel scaling over MPI (Note [Data parallelism]): the step time of the MDN tutorial
// (its 3750-point batch split over the processes) and of a logistic regression with 10^6 rows,
// each against the single-process step measured in the same job (rank 0 alone, the others
// waiting), with the scaling efficiency t₁ / (P·t_P) and the cost of the gradient's sum alone.
//   mpirun -np 2 build/release/bench/bench_mpi
#include <CLI/CLI.hpp>
#include <Eigen/Core>
#include <edpp/models.hpp>
#include <edpp/mpi.hpp>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>

#include "bench/timing.hpp"

namespace {

// An inference ready to step, and how many numbers its gradient has.
struct Prepared {
  std::shared_ptr<ed::MAP> inference;
  std::function<void()> step;
  long parameters() const {
    long n = 0;
    for (const ed::Tensor& v : inference->variables()) n += v.value().size();
    return n;
  }
};

struct Workload {
  std::string name;
  // The inference over this process's shard of the data (all of it when `group` is null).
  std::function<Prepared(ed::ProcessGroup* group)> make;
};

struct Result {
  double single_ms = 0.0, group_ms = 0.0, sum_ms = 0.0;
  long parameters = 0;
};

Result measure(ed::mpi::Context& mpi, const Workload& w, int warmup, int repeats) {
  Result r;
  // The single-process step, on rank 0 alone (the other ranks wait at the barrier).
  if (mpi.is_root()) {
    const Prepared single = w.make(nullptr);
    r.single_ms = ed::bench::median_ms(single.step, warmup, repeats);
  }
  mpi.barrier();
  const Prepared grouped = w.make(&mpi);
  r.group_ms = ed::bench::median_ms(grouped.step, warmup, repeats);
  r.parameters = grouped.parameters();
  // The gradient's sum alone (what a step adds to the single-process work, besides its share).
  std::vector<double> buffer(static_cast<std::size_t>(r.parameters) + 1, 1.0);
  r.sum_ms = ed::bench::median_ms([&] { mpi.sum(buffer); }, warmup, repeats);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Data-parallel step time over MPI processes against one process"};
  long rows = 1000000, features = 10;
  int repeats = 30, warmup = 5;
  app.add_option("--rows", rows, "logistic-regression rows")->check(CLI::Range(2L, 100000000L));
  app.add_option("--features", features, "logistic-regression features")
      ->check(CLI::Range(1L, 10000L));
  app.add_option("--repeats", repeats, "timed steps")->check(CLI::PositiveNumber);
  app.add_option("--warmup", warmup, "untimed steps")->check(CLI::NonNegativeNumber);
  CLI11_PARSE(app, argc, argv);

  return ed::mpi::run(argc, argv, [&](ed::mpi::Context& mpi) {
    std::vector<Workload> workloads;

    // The MDN tutorial: 20 components, hidden layers of 15, Adam(5e-3), the 3750-point batch.
    const auto toy = ed::datasets::toy_mdn(5000, 42);
    const ed::Index mdn_batch = toy.X_train.rows();
    const auto mdn_rows = [&](ed::ProcessGroup* g) {
      return g ? ed::shard_rows(mdn_batch, g->rank(), g->size()) : ed::CsvRows{0, mdn_batch};
    };
    workloads.push_back(
        {"MDN step (3750-point batch)", [&](ed::ProcessGroup* g) {
           ed::set_seed(42);
           const auto X = ed::placeholder({ed::Dynamic, 1}, "X");
           const auto y = ed::placeholder({ed::Dynamic, 1}, "y");
           const auto model = ed::models::mdn(X, 20, {15, 15});
           auto inference =
               std::make_shared<ed::MAP>(std::vector<ed::RandomVariable>{}, ed::Data{{model.y, y}});
           inference->initialize({.optimizer = ed::Adam(5e-3), .distributed = g});
           const ed::CsvRows r = mdn_rows(g);
           const ed::Feed feed = {{X, toy.X_train.middleRows(r.begin, r.end - r.begin)},
                                  {y, toy.y_train.middleRows(r.begin, r.end - r.begin)}};
           return Prepared{inference, [inference, feed] { inference->update(feed); }};
         }});

    // Logistic regression: rows × features, x ~ U(−1.5, 1.5), labels from fixed weights.
    std::srand(7);  // Eigen's Random draws from rand()
    const ed::Matrix X_all = ed::Matrix::Random(rows, features) * 1.5;
    const ed::Matrix w_true = Eigen::VectorXd::LinSpaced(features, -1.0, 1.0);
    const ed::Matrix p = 1.0 / (1.0 + (-(X_all * w_true).array()).exp());
    const ed::Matrix u = (ed::Matrix::Random(rows, 1).array() + 1.0) / 2.0;
    const ed::Matrix y_all = (u.array() < p.array()).cast<double>();
    workloads.push_back(
        {"logistic regression step (" + std::to_string(rows) + " rows)", [&](ed::ProcessGroup* g) {
           const ed::CsvRows r =
               g ? ed::shard_rows(rows, g->rank(), g->size()) : ed::CsvRows{0, rows};
           const ed::Normal w(ed::constant(ed::Matrix::Zero(features, 1)), 1.0);
           const ed::Bernoulli y_rv(
               ed::matmul(ed::constant(X_all.middleRows(r.begin, r.end - r.begin)), w));
           auto inference = std::make_shared<ed::MAP>(
               std::vector<ed::RandomVariable>{w},
               ed::Data{{y_rv, ed::constant(y_all.middleRows(r.begin, r.end - r.begin))}});
           inference->initialize({.optimizer = ed::Adam(0.05), .seed = 1, .distributed = g});
           return Prepared{inference, [inference] { inference->update(); }};
         }});

    if (mpi.is_root()) {
      std::printf("bench_mpi: %d process%s on %s\n", mpi.size(), mpi.size() == 1 ? "" : "es",
                  mpi.processor_name().c_str());
      std::printf("%-40s %10s %12s %12s %10s %12s\n", "workload", "params", "1 proc ms", "group ms",
                  "speed-up", "efficiency");
    }
    for (const Workload& w : workloads) {
      const Result r = measure(mpi, w, warmup, repeats);
      if (mpi.is_root()) {
        const double speedup = r.single_ms / r.group_ms;
        std::printf("%-40s %10ld %12.3f %12.3f %10.2f %11.0f%%\n", w.name.c_str(), r.parameters,
                    r.single_ms, r.group_ms, speedup, 100.0 * speedup / mpi.size());
        std::printf("%-40s %10ld %12s %12.4f\n", "  of which the gradient's sum", r.parameters, "",
                    r.sum_ms);
      }
    }
    return 0;
  });
}
