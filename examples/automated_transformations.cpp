// Edward's automated transformations tutorial: a Gamma-distributed latent sampled by HMC and
// approximated by KLqp on its unconstrained (log) scale, without the user writing a transform.
#include <edpp/edpp.hpp>

#include <cmath>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Automated transformations (Edward's tutorial): HMC and KLqp on a Gamma latent",
               "automated_transformations"};
  ed::examples::Flags flags{.seed = 1, .out = "out/automated_transformations"};
  long draws = 5000;
  app.add_option("--draws", draws, "HMC draws")->check(CLI::Range(100, 10000000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    const ed::Gamma x(1.0, 1.0);  // the target: positive, density e^(−x)

    // HMC moves log x (with the log Jacobian), so no draw is ever negative.
    const ed::Empirical qx(ed::variable(ed::Matrix::Zero(draws, 1), "qx"));
    ed::HMC hmc({{x, qx}});
    hmc.initialize({.n_iter = draws, .step_size = 0.8, .seed = flags.seed});
    hmc.run();

    // KLqp with an automatic guide: a Normal on log x, i.e. a log-normal approximation.
    // (A decaying learning rate lets the stochastic optimisation settle, as Edward's default.)
    ed::KLqp klqp({x});
    ed::Adam adam(0.05);
    adam.set_exponential_decay(0.1, 2000.0);
    klqp.initialize({.optimizer = adam, .n_iter = 4000, .n_samples = 10});
    klqp.run();
    const ed::Matrix guide_draws = klqp.posterior_draws(x, draws);

    const ed::Matrix hmc_draws = qx.params()[0].value();
    std::printf("target Gamma(1, 1): mean 1, sd 1\n");
    std::printf(
        "HMC (step 0.8, 2 leapfrog steps): mean %.4f, sd %.4f, acceptance %.3f, "
        "smallest draw %.3g\n",
        hmc_draws.mean(), std::sqrt((hmc_draws.array() - hmc_draws.mean()).square().mean()),
        hmc.acceptance_rate(), hmc_draws.minCoeff());
    std::printf("KLqp (log-normal guide): mean %.4f, sd %.4f\n",
                klqp.posterior_mean(x, 20000)(0, 0), klqp.posterior_stddev(x, 20000)(0, 0));
    ed::Matrix out(draws, 2);
    out << hmc_draws, guide_draws;
    ed::write_csv(flags.out + "/draws.csv", out, {"hmc", "klqp"});
    ed::examples::run_gnuplot("automated_transformations.gp", flags.out);
  });
}
