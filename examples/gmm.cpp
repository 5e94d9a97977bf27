// Gaussian mixture (K = 3, 2-D) by MAP with restarts: means, scales and weights all latent.
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include <limits>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Gaussian mixture model, K = 3 in 2-D (MAP with L-BFGS, best of restarts)", "gmm"};
  ed::examples::Flags flags{.seed = 1, .out = "out/gmm"};
  long n = 600;
  int restarts = 5;
  app.add_option("--points", n, "data points")->check(CLI::Range(10, 10000000));
  app.add_option("--restarts", restarts, "restarts from random data points")
      ->check(CLI::PositiveNumber);
  return ed::examples::run(app, flags, argc, argv, [&] {
    const auto d = ed::models::simulate_clusters(n, flags.seed);
    const auto m = ed::models::gaussian_mixture(3, 2);
    ed::Rng rng(flags.seed);
    double best = std::numeric_limits<double>::infinity();
    ed::Matrix mu, sigma, pi;
    for (int r = 0; r < restarts; ++r) {
      // Means start at three random data points; scales and weights from the default init.
      const ed::Matrix picks = ed::models::uniform_matrix(3, 1, rng, 0.0, double(n));
      ed::Matrix start(3, 2);
      for (int k = 0; k < 3; ++k) start.row(k) = d.X.row(static_cast<ed::Index>(picks(k, 0)));
      ed::MAP inference({m.mu, m.sigma, m.pi}, {{m.x, d.X}});
      inference.initialize(
          {.optimizer = ed::LBFGS(), .seed = flags.seed + r, .init = {{m.mu, start}}});
      for (int i = 0; i < 150; ++i) inference.update();
      const double loss = inference.loss();
      std::printf("restart %d: loss %.3f\n", r + 1, loss);
      if (loss < best) {
        best = loss, mu = inference.value(m.mu), sigma = inference.value(m.sigma),
        pi = inference.value(m.pi);
      }
    }
    // Report components in the order of the true ones (nearest mean).
    ed::Matrix mu_o(3, 2), sigma_o(3, 2), pi_o(1, 3);
    for (int k = 0; k < 3; ++k) {
      ed::Index j;
      (mu.rowwise() - d.mu.row(k)).rowwise().norm().minCoeff(&j);
      mu_o.row(k) = mu.row(j), sigma_o.row(k) = sigma.row(j), pi_o(0, k) = pi(0, j);
    }
    std::printf("best of %d restarts (loss %.3f)\n", restarts, best);
    ed::examples::print_estimates("mu", d.mu, mu_o);
    ed::examples::print_estimates("sigma", d.sigma, sigma_o);
    ed::examples::print_estimates("pi", d.pi, pi_o);
    // Assign each point to its most probable component under the fit.
    ed::Matrix data(n, 3);
    for (ed::Index i = 0; i < n; ++i) {
      ed::Index best_k = 0;
      double best_lp = -std::numeric_limits<double>::infinity();
      for (int k = 0; k < 3; ++k) {
        const auto z = ((d.X.row(i) - mu_o.row(k)).array() / sigma_o.row(k).array());
        const double lp =
            std::log(pi_o(0, k)) - 0.5 * z.square().sum() - sigma_o.row(k).array().log().sum();
        if (lp > best_lp) best_lp = lp, best_k = k;
      }
      data.row(i) << d.X(i, 0), d.X(i, 1), double(best_k);
    }
    ed::write_csv(flags.out + "/clusters.csv", data, {"x0", "x1", "cluster"});
    ed::write_csv(flags.out + "/means.csv", mu_o, {"x0", "x1"});
    ed::examples::run_gnuplot("gmm.gp", flags.out);

    // The posterior by NUTS, every chain started at the best MAP fit (a mixture's components can
    // trade labels; started in one labelling, the chains stay in it). Checked by the density of
    // the first coordinate of replicated data sets.
    ed::NUTS nuts({m.mu, m.sigma, m.pi}, {{m.x, d.X}});
    nuts.initialize({.n_iter = 250,
                     .n_warmup = 250,
                     .seed = flags.seed,
                     .init = {{m.mu, mu}, {m.sigma, sigma}, {m.pi, pi}}});
    nuts.run();
    // The draws in the order of the true components, as the MAP estimates above.
    ed::Index order[3];
    for (int k = 0; k < 3; ++k) (mu.rowwise() - d.mu.row(k)).rowwise().norm().minCoeff(&order[k]);
    const ed::Matrix mu_draws = nuts.draws(m.mu), sigma_draws = nuts.draws(m.sigma),
                     pi_draws = nuts.draws(m.pi);
    ed::Matrix mu_sorted(mu_draws.rows(), 6), sigma_sorted(sigma_draws.rows(), 6),
        pi_sorted(pi_draws.rows(), 3);
    for (int k = 0; k < 3; ++k) {
      for (int c = 0; c < 2; ++c) {
        mu_sorted.col(k + 3 * c) = mu_draws.col(order[k] + 3 * c);
        sigma_sorted.col(k + 3 * c) = sigma_draws.col(order[k] + 3 * c);
      }
      pi_sorted.col(k) = pi_draws.col(order[k]);
    }
    std::printf("Posterior (NUTS, 4 chains x 250 draws from the MAP): mean and 90%% interval\n");
    ed::examples::print_posterior("mu", d.mu, mu_sorted);
    ed::examples::print_posterior("sigma", d.sigma, sigma_sorted);
    ed::examples::print_posterior("pi", d.pi, pi_sorted);
    std::vector<ed::Matrix> first;
    for (const ed::Matrix& r : ed::replicate(nuts, m.x, 50, flags.seed)) first.push_back(r.col(0));
    ed::examples::predictive_check(d.X.col(0), first, flags.out + "/gmm_ppc.png");
  });
}
