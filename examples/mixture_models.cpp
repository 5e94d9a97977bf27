// Edward's "Mixture models" tutorial (unsupervised learning): a Gaussian mixture written with
// ParamMixture and fitted by Gibbs sampling — every block (weights, means, variances,
// assignments) drawn from its complete conditional.
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include <cstdio>

#include "examples/common.hpp"

namespace {

/// Edward's toy data: two clusters in the plane with weights 0.4 and 0.6, means (1, 1) and
/// (−1, −1), standard deviation 0.1 in each coordinate.
ed::Matrix toy_dataset(ed::Index n, std::uint32_t seed) {
  ed::set_seed(seed);
  const ed::Matrix u = ed::eval(ed::Uniform(ed::Matrix::Zero(n, 1), 1.0));
  const ed::Matrix noise = ed::eval(ed::Normal(ed::Matrix::Zero(n, 2), 0.1));
  ed::Matrix x(n, 2);
  for (ed::Index i = 0; i < n; ++i) {
    const double centre = u(i, 0) < 0.4 ? 1.0 : -1.0;
    x.row(i) = noise.row(i).array() + centre;
  }
  return x;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Gaussian mixture by Gibbs sampling with ParamMixture (Edward's tutorial)",
               "mixture_models"};
  ed::examples::Flags flags{.seed = 1, .out = "out/mixture_models"};
  long n = 500, draws = 500;
  int k = 2;
  app.add_option("--points", n, "data points")->check(CLI::Range(10, 1000000));
  app.add_option("--draws", draws, "Gibbs sweeps kept")->check(CLI::Range(10, 1000000));
  app.add_option("--components", k, "mixture components")->check(CLI::Range(1, 20));
  return ed::examples::run(app, flags, argc, argv, [&] {
    const ed::Matrix x_data = toy_dataset(n, flags.seed);
    const ed::Index d = 2;
    // The model, as Edward writes it.
    const ed::Dirichlet pi(ed::Matrix::Ones(1, k));
    const ed::Normal mu(ed::Matrix::Zero(k, d), 1.0);
    const ed::InverseGamma sigmasq(ed::Matrix::Ones(k, d), ed::Matrix::Ones(k, d));
    const ed::ParamMixture x(pi, {mu, ed::sqrt(sigmasq)}, "MultivariateNormalDiag", n);
    const ed::Categorical& z = x.cat();

    ed::Gibbs gibbs({pi, mu, sigmasq, z}, {{x, x_data}});
    gibbs.initialize({.n_iter = draws, .n_warmup = draws / 5, .seed = flags.seed});
    gibbs.run();
    // The summary of every parameter; of the n assignments, only how many rows there are.
    const std::string table = ed::summary(gibbs, {"pi", "mu", "sigmasq", "z"});
    std::printf("Gibbs, %ld sweeps kept (%ld warm-up), %ld points, K = %d\n%s(and z[0] … z[%ld])\n",
                draws, draws / 5, n, k, table.substr(0, table.find("z[0]")).c_str(), n - 1);

    // Criticism: each point's cluster is its most probable component under the posterior mean
    // parameters (Edward's tutorial does the same with the posterior samples' log-likelihoods).
    const ed::Matrix mu_draws = gibbs.draws(mu), sigmasq_draws = gibbs.draws(sigmasq);
    ed::Matrix mu_mean = mu_draws.colwise().mean(), sigmasq_mean = sigmasq_draws.colwise().mean();
    mu_mean.resize(k, d);
    sigmasq_mean.resize(k, d);
    const ed::Matrix pi_mean = gibbs.draws(pi).colwise().mean();
    ed::Matrix clusters(n, 3);
    for (ed::Index i = 0; i < n; ++i) {
      ed::Index best = 0;
      double best_log = -1e300;
      for (ed::Index c = 0; c < k; ++c) {
        const double log_p =
            std::log(pi_mean(0, c)) -
            0.5 * ((x_data.row(i) - mu_mean.row(c)).array().square() / sigmasq_mean.row(c).array() +
                   sigmasq_mean.row(c).array().log())
                      .sum();
        if (log_p > best_log) {
          best_log = log_p;
          best = c;
        }
      }
      clusters.row(i) << x_data(i, 0), x_data(i, 1), static_cast<double>(best);
    }
    ed::write_csv(flags.out + "/clusters.csv", clusters, {"x0", "x1", "cluster"});
    ed::write_csv(flags.out + "/means.csv", mu_mean, {"mu0", "mu1"});
    // Traces: every kept sweep of the means (column-major: μ[c, 0] then μ[c, 1]).
    ed::Matrix traces(mu_draws.rows(), 1 + mu_draws.cols());
    traces << ed::Matrix(
        Eigen::VectorXd::LinSpaced(mu_draws.rows(), 1.0, static_cast<double>(mu_draws.rows()))),
        mu_draws;
    std::vector<std::string> names{"sweep"};
    for (ed::Index col = 0; col < d; ++col) {
      for (ed::Index c = 0; c < k; ++c) {
        names.push_back("mu" + std::to_string(c) + "_" + std::to_string(col));
      }
    }
    ed::write_csv(flags.out + "/traces.csv", traces, names);
    ed::examples::run_gnuplot("mixture_models.gp", flags.out);
  });
}
