// Bayesian linear regression fitted by MAP: w, b ~ N(0, 1), σ ~ HalfNormal(1), y ~ N(xw + b, σ).
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Bayesian linear regression (MAP with L-BFGS) on simulated data",
               "linear_regression"};
  ed::examples::Flags flags{.seed = 1, .out = "out/linear_regression"};
  long n = 200;
  app.add_option("--points", n, "data points")->check(CLI::Range(2, 10000000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    const auto d = ed::models::simulate_linear(n, 1, 0.8, flags.seed);
    const auto m = ed::models::linear_regression(d.X, 1);
    ed::MAP inference({m.w, m.b, m.sigma}, {{m.y, d.y}});
    inference.initialize({.optimizer = ed::LBFGS(), .seed = flags.seed});
    for (int i = 0; i < 100; ++i) inference.update();
    std::printf("Bayesian linear regression, %ld points\n", n);
    ed::examples::print_estimates("w", d.w, inference.value(m.w));
    ed::examples::print_estimates("b", ed::Matrix::Constant(1, 1, d.b), inference.value(m.b));
    ed::examples::print_estimates("sigma", ed::Matrix::Constant(1, 1, d.noise),
                                  inference.value(m.sigma));
    ed::Matrix data(n, 2), line(2, 3);
    data << d.X, d.y;
    const double w = inference.value(m.w)(0, 0), b = inference.value(m.b)(0, 0);
    line << -3, -3 * w + b, -3 * d.w(0, 0) + d.b, 3, 3 * w + b, 3 * d.w(0, 0) + d.b;
    ed::write_csv(flags.out + "/data.csv", data, {"x", "y"});
    ed::write_csv(flags.out + "/fit.csv", line, {"x", "map", "truth"});
    ed::examples::run_gnuplot("linear_regression.gp", flags.out);

    // The posterior by NUTS, criticised by the density of replicated data sets.
    ed::NUTS nuts({m.w, m.b, m.sigma}, {{m.y, d.y}});
    nuts.initialize({.n_iter = 500, .n_warmup = 500, .seed = flags.seed});
    nuts.run();
    std::printf("Posterior (NUTS, 4 chains x 500 draws): mean and 90%% interval\n");
    ed::examples::print_posterior("w", d.w, nuts.draws(m.w));
    ed::examples::print_posterior("b", ed::Matrix::Constant(1, 1, d.b), nuts.draws(m.b));
    ed::examples::print_posterior("sigma", ed::Matrix::Constant(1, 1, d.noise),
                                  nuts.draws(m.sigma));
    ed::examples::predictive_check(d.y, ed::replicate(nuts, m.y, 50, flags.seed),
                                   flags.out + "/linear_regression_ppc.png");
  });
}
