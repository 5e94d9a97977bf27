// Logistic regression by MAP: y ~ Bernoulli(logits = xw + b), with the decision boundary.
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Logistic regression (MAP with L-BFGS) on simulated 2-D data",
               "logistic_regression"};
  ed::examples::Flags flags{.seed = 1, .out = "out/logistic_regression"};
  long n = 500;
  app.add_option("--points", n, "data points")->check(CLI::Range(2, 10000000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    const auto d = ed::models::simulate_logistic(n, flags.seed);
    const auto m = ed::models::logistic_regression(d.X, 2);
    ed::MAP inference({m.w, m.b}, {{m.y, d.y}});
    inference.initialize({.optimizer = ed::LBFGS(), .seed = flags.seed});
    for (int i = 0; i < 60; ++i) inference.update();
    const ed::Matrix w = inference.value(m.w), b = inference.value(m.b);
    std::printf("Logistic regression, %ld points\n", n);
    ed::examples::print_estimates("w", d.W, w);
    ed::examples::print_estimates("b", d.b, b);
    ed::Matrix data(n, 3);
    data << d.X, d.y;
    // The boundary w₀x₀ + w₁x₁ + b = 0, as two end points for each of the fit and the truth.
    ed::Matrix boundary(2, 3);
    for (int e = 0; e < 2; ++e) {
      const double x0 = e == 0 ? -5.0 : 5.0;
      boundary.row(e) << x0, -(w(0, 0) * x0 + b(0, 0)) / w(1, 0),
          -(d.W(0, 0) * x0 + d.b(0, 0)) / d.W(1, 0);
    }
    ed::write_csv(flags.out + "/data.csv", data, {"x0", "x1", "label"});
    ed::write_csv(flags.out + "/boundary.csv", boundary, {"x0", "map", "truth"});
    ed::examples::run_gnuplot("logistic_regression.gp", flags.out);

    // The posterior by NUTS; the check: the share of ones among points with x₀ > 0.
    ed::NUTS nuts({m.w, m.b}, {{m.y, d.y}});
    nuts.initialize({.n_iter = 500, .n_warmup = 500, .seed = flags.seed});
    nuts.run();
    std::printf("Posterior (NUTS, 4 chains x 500 draws): mean and 90%% interval\n");
    ed::examples::print_posterior("w", d.W, nuts.draws(m.w));
    ed::examples::print_posterior("b", d.b, nuts.draws(m.b));
    const ed::Matrix X = d.X;
    ed::examples::predictive_check(
        d.y, ed::replicate(nuts, m.y, 1000, flags.seed), flags.out + "/logistic_regression_ppc.png",
        "share of y = 1 where x0 > 0", [X](const ed::Matrix& y) {
          const Eigen::ArrayXd right = (X.col(0).array() > 0.0).cast<double>();
          return (y.col(0).array() * right).sum() / right.sum();
        });
  });
}
