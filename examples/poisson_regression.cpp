// Poisson regression with a log link by MAP: counts y ~ Poisson(exp(xw + b)).
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Poisson regression with a log link (MAP with L-BFGS)", "poisson_regression"};
  ed::examples::Flags flags{.seed = 1, .out = "out/poisson_regression"};
  long n = 400;
  app.add_option("--points", n, "data points")->check(CLI::Range(2, 10000000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    const auto d = ed::models::simulate_poisson(n, 1, flags.seed);
    const auto m = ed::models::poisson_regression(d.X, 1);
    ed::MAP inference({m.w, m.b}, {{m.y, d.y}});
    inference.initialize({.optimizer = ed::LBFGS(), .seed = flags.seed});
    for (int i = 0; i < 60; ++i) inference.update();
    const double w = inference.value(m.w)(0, 0), b = inference.value(m.b)(0, 0);
    std::printf("Poisson regression, %ld points\n", n);
    ed::examples::print_estimates("w", d.w, inference.value(m.w));
    ed::examples::print_estimates("b", ed::Matrix::Constant(1, 1, d.b), inference.value(m.b));
    ed::Matrix data(n, 2), curve(100, 3);
    data << d.X, d.y;
    for (int i = 0; i < 100; ++i) {
      const double x = -1.5 + 3.0 * i / 99;
      curve.row(i) << x, std::exp(w * x + b), std::exp(d.w(0, 0) * x + d.b);
    }
    ed::write_csv(flags.out + "/data.csv", data, {"x", "count"});
    ed::write_csv(flags.out + "/rate.csv", curve, {"x", "map", "truth"});
    ed::examples::run_gnuplot("poisson_regression.gp", flags.out);

    // The posterior by NUTS; the check: the dispersion index var(y) / mean(y).
    ed::NUTS nuts({m.w, m.b}, {{m.y, d.y}});
    nuts.initialize({.n_iter = 500, .n_warmup = 500, .seed = flags.seed});
    nuts.run();
    std::printf("Posterior (NUTS, 4 chains x 500 draws): mean and 90%% interval\n");
    ed::examples::print_posterior("w", d.w, nuts.draws(m.w));
    ed::examples::print_posterior("b", ed::Matrix::Constant(1, 1, d.b), nuts.draws(m.b));
    ed::examples::predictive_check(d.y, ed::replicate(nuts, m.y, 1000, flags.seed),
                                   flags.out + "/poisson_regression_ppc.png", "var(y) / mean(y)",
                                   [](const ed::Matrix& y) {
                                     const double mean = y.mean();
                                     return (y.array() - mean).square().mean() / mean;
                                   });
  });
}
