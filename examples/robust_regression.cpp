// Robust regression: a Student-t likelihood beside the Normal one, on data with outliers.
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Robust (Student t) against Normal regression with 10% outliers",
               "robust_regression"};
  ed::examples::Flags flags{.seed = 1, .out = "out/robust_regression"};
  long n = 200;
  double fraction = 0.1;
  app.add_option("--points", n, "data points")->check(CLI::Range(2, 10000000));
  app.add_option("--outliers", fraction, "fraction of outliers")->check(CLI::Range(0.0, 0.5));
  return ed::examples::run(app, flags, argc, argv, [&] {
    const auto d = ed::models::simulate_outliers(n, fraction, flags.seed);
    const auto robust = ed::models::robust_regression(d.X, 1);
    ed::MAP r({robust.w, robust.b, robust.sigma}, {{robust.y, d.y}});
    r.initialize({.optimizer = ed::LBFGS(), .seed = flags.seed});
    const auto normal = ed::models::linear_regression(d.X, 1);
    ed::MAP g({normal.w, normal.b, normal.sigma}, {{normal.y, d.y}});
    g.initialize({.optimizer = ed::LBFGS(), .seed = flags.seed});
    for (int i = 0; i < 100; ++i) r.update(), g.update();
    std::printf("Robust regression, %ld points, %.0f%% outliers\n", n, 100 * fraction);
    std::printf(" Student t likelihood:\n");
    ed::examples::print_estimates("w", d.w, r.value(robust.w));
    ed::examples::print_estimates("b", ed::Matrix::Constant(1, 1, d.b), r.value(robust.b));
    std::printf(" Normal likelihood:\n");
    ed::examples::print_estimates("w", d.w, g.value(normal.w));
    ed::examples::print_estimates("b", ed::Matrix::Constant(1, 1, d.b), g.value(normal.b));
    ed::Matrix data(n, 2), lines(2, 4);
    data << d.X, d.y;
    for (int e = 0; e < 2; ++e) {
      const double x = e == 0 ? -3.0 : 3.0;
      lines.row(e) << x, r.value(robust.w)(0, 0) * x + r.value(robust.b)(0, 0),
          g.value(normal.w)(0, 0) * x + g.value(normal.b)(0, 0), d.w(0, 0) * x + d.b;
    }
    ed::write_csv(flags.out + "/data.csv", data, {"x", "y"});
    ed::write_csv(flags.out + "/fits.csv", lines, {"x", "student_t", "normal", "truth"});
    ed::examples::run_gnuplot("robust_regression.gp", flags.out);

    // The posterior of the Student t model by NUTS, checked by the largest value of y.
    ed::NUTS nuts({robust.w, robust.b, robust.sigma}, {{robust.y, d.y}});
    nuts.initialize({.n_iter = 500, .n_warmup = 500, .seed = flags.seed});
    nuts.run();
    std::printf(
        "Posterior of the Student t model (NUTS, 4 chains x 500 draws): mean and 90%% interval\n");
    ed::examples::print_posterior("w", d.w, nuts.draws(robust.w));
    ed::examples::print_posterior("b", ed::Matrix::Constant(1, 1, d.b), nuts.draws(robust.b));
    ed::examples::predictive_check(d.y, ed::replicate(nuts, robust.y, 50, flags.seed),
                                   flags.out + "/robust_regression_ppc.png");
  });
}
