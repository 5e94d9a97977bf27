// Eight schools with NUTS, centred and non-centred: the funnel the centred form makes (and its
// divergences), and the non-centred form that removes it.
#include <edpp/edpp.hpp>

#include <cmath>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Eight schools by NUTS: centred (a funnel, divergences) against non-centred",
               "eight_schools"};
  ed::examples::Flags flags{.seed = 1, .out = "out/eight_schools"};
  long draws = 1000;
  app.add_option("--draws", draws, "draws per chain (as many warm-up)")
      ->check(CLI::Range(10, 1000000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    const ed::Matrix y = (ed::Matrix(8, 1) << 28, 8, -3, 7, -1, 1, 18, 12).finished();
    const ed::Matrix sigma = (ed::Matrix(8, 1) << 15, 10, 16, 11, 9, 11, 10, 18).finished();
    const ed::Normal mu(0.0, 5.0);
    const ed::HalfCauchy tau(5.0);

    // Centred: theta_j ~ N(mu, tau) directly.
    const ed::Normal theta(mu * ed::Matrix::Ones(8, 1), tau);
    const ed::Normal y_centred(theta, sigma);
    ed::NUTS centred({theta, mu, tau}, {{y_centred, y}});
    centred.initialize({.n_iter = draws, .n_warmup = draws, .seed = flags.seed});
    centred.run();

    // Non-centred: theta = mu + tau · theta_trans, theta_trans ~ N(0, 1).
    const ed::Normal theta_trans(ed::Matrix::Zero(8, 1), 1.0);
    const ed::Normal y_noncentred(mu + tau * theta_trans, sigma);
    ed::NUTS noncentred({theta_trans, mu, tau}, {{y_noncentred, y}});
    noncentred.initialize({.n_iter = draws, .n_warmup = draws, .seed = flags.seed});
    noncentred.run();

    std::printf("Centred eight schools (NUTS, 4 chains x %ld):\n%s", draws,
                ed::summary(centred, {"theta", "mu", "tau"}).c_str());
    std::printf("divergences: %ld\n\n", centred.diagnostics().divergences);
    std::printf("Non-centred eight schools (NUTS, 4 chains x %ld):\n%s", draws,
                ed::summary(noncentred, {"theta_trans", "mu", "tau"}).c_str());
    std::printf("divergences: %ld\n", noncentred.diagnostics().divergences);

    // theta[0] against log tau, both forms: the funnel's neck is where the centred sampler
    // cannot go.
    const ed::Matrix c_theta = centred.draws(theta), c_tau = centred.draws(tau);
    const ed::Matrix n_trans = noncentred.draws(theta_trans), n_mu = noncentred.draws(mu),
                     n_tau = noncentred.draws(tau);
    ed::Matrix points(c_tau.rows(), 4);
    points.col(0) = c_tau.col(0).array().log().matrix();
    points.col(1) = c_theta.col(0);
    points.col(2) = n_tau.col(0).array().log().matrix();
    points.col(3) = (n_mu.col(0).array() + n_tau.col(0).array() * n_trans.col(0).array()).matrix();
    ed::write_csv(flags.out + "/funnel.csv", points,
                  {"centred_log_tau", "centred_theta0", "noncentred_log_tau", "noncentred_theta0"});
    // Both fits as CmdStan writes them, one CSV per chain, for R's rstan/posterior/bayesplot or
    // ArviZ (scripts/crosscheck/read_draws_csv.R reads them).
    ed::write_draws_csv(flags.out + "/centred.csv", centred, {"theta", "mu", "tau"});
    ed::write_draws_csv(flags.out + "/noncentred.csv", noncentred, {"theta_trans", "mu", "tau"});
    ed::examples::run_gnuplot("eight_schools.gp", flags.out);
  });
}
