// Logistic regression by MAP: y ~ Bernoulli(logits = xw + b), with the decision boundary.
#include <edpp/edpp.hpp>

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
  });
}
