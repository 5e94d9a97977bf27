// Matrix factorisation: recover a low-rank matrix from half of its noisy entries.
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Matrix factorisation, rank 2, half the entries observed (MAP with L-BFGS)",
               "matrix_factorization"};
  ed::examples::Flags flags{.seed = 1, .out = "out/matrix_factorization"};
  long rows = 40, cols = 30;
  app.add_option("--rows", rows, "matrix rows")->check(CLI::Range(2, 100000));
  app.add_option("--cols", cols, "matrix columns")->check(CLI::Range(2, 100000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    const auto d = ed::models::simulate_low_rank(rows, cols, 2, 0.5, 0.1, flags.seed);
    const auto m = ed::models::matrix_factorization(d.rows, d.cols, rows, cols, 2, 0.1);
    ed::MAP inference({m.U, m.V}, {{m.r, d.values}});
    inference.initialize({.optimizer = ed::LBFGS(), .seed = flags.seed});
    for (int i = 0; i < 300; ++i) inference.update();
    const ed::Matrix fit = inference.value(m.U) * inference.value(m.V).transpose();
    double held = 0.0;
    for (ed::Index i = 0; i < d.held_rows.rows(); ++i) {
      const auto r = static_cast<ed::Index>(d.held_rows(i, 0)),
                 c = static_cast<ed::Index>(d.held_cols(i, 0));
      held += std::pow(fit(r, c) - d.truth(r, c), 2);
    }
    std::printf("Matrix factorisation, %ld x %ld, rank 2, %ld entries observed\n", rows, cols,
                long(d.values.rows()));
    std::printf("  RMSE on the %ld unobserved entries: %.4f (entries have sd %.4f)\n",
                long(d.held_rows.rows()), std::sqrt(held / d.held_rows.rows()),
                std::sqrt(d.truth.squaredNorm() / d.truth.size()));
    ed::Matrix cells(rows * cols, 5);
    ed::Matrix observed = ed::Matrix::Zero(rows, cols);
    for (ed::Index i = 0; i < d.rows.rows(); ++i)
      observed(ed::Index(d.rows(i, 0)), ed::Index(d.cols(i, 0))) = 1.0;
    for (long i = 0; i < rows; ++i) {
      for (long j = 0; j < cols; ++j)
        cells.row(i * cols + j) << double(j), double(i), d.truth(i, j), fit(i, j), observed(i, j);
    }
    ed::write_csv(flags.out + "/cells.csv", cells, {"col", "row", "truth", "map", "observed"});
    ed::examples::run_gnuplot("matrix_factorization.gp", flags.out);

    // The posterior by KLqp with a mean-field guide: held-out entries get intervals too.
    ed::KLqp klqp({m.U, m.V}, {{m.r, d.values}});
    klqp.initialize({.n_iter = 3000, .seed = flags.seed});
    klqp.run();
    const long draws = 500;
    const ed::Matrix U_draws = klqp.posterior_draws(m.U, draws),
                     V_draws = klqp.posterior_draws(m.V, draws);
    ed::Matrix held_truth(d.held_rows.rows(), 1), held_draws(draws, d.held_rows.rows());
    for (long s = 0; s < draws; ++s) {
      const ed::Matrix U = Eigen::Map<const ed::Matrix>(U_draws.row(s).eval().data(), rows, 2);
      const ed::Matrix V = Eigen::Map<const ed::Matrix>(V_draws.row(s).eval().data(), cols, 2);
      for (ed::Index i = 0; i < d.held_rows.rows(); ++i) {
        const auto r = static_cast<ed::Index>(d.held_rows(i, 0)),
                   c = static_cast<ed::Index>(d.held_cols(i, 0));
        held_draws(s, i) = U.row(r).dot(V.row(c));
        held_truth(i, 0) = d.truth(r, c);
      }
    }
    const ed::Matrix held_mean = held_draws.colwise().mean().transpose();
    int covered = 0;
    for (ed::Index i = 0; i < held_truth.rows(); ++i) {
      const double lo = ed::quantile(held_draws.col(i), 0.05),
                   hi = ed::quantile(held_draws.col(i), 0.95);
      covered += lo <= held_truth(i, 0) && held_truth(i, 0) <= hi ? 1 : 0;
    }
    std::printf(
        "Posterior (KLqp, mean-field guide): held-out RMSE of the posterior mean %.4f; %d of %ld "
        "held-out entries inside their 90%% intervals\n",
        std::sqrt((held_mean - held_truth).squaredNorm() / double(held_truth.rows())), covered,
        long(held_truth.rows()));
    ed::examples::predictive_check(
        d.values, ed::replicate(m.r, {{m.U, U_draws}, {m.V, V_draws}}, 50, flags.seed),
        flags.out + "/matrix_factorization_ppc.png");
  });
}
