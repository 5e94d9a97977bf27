// Softmax (multinomial logistic) regression by MAP: 3 classes in 2-D, with the decision regions.
#include <edpp/edpp.hpp>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Softmax regression, 3 classes in 2-D (MAP with L-BFGS)", "softmax_regression"};
  ed::examples::Flags flags{.seed = 1, .out = "out/softmax_regression"};
  long n = 600;
  app.add_option("--points", n, "data points")->check(CLI::Range(3, 10000000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    const auto d = ed::models::simulate_softmax(n, flags.seed);
    const auto X = ed::placeholder({ed::Dynamic, 2}, "X");
    const auto m = ed::models::softmax_regression(X, 2, 3);
    ed::MAP inference({m.W, m.b}, {{m.y, d.y}});
    inference.initialize({.optimizer = ed::LBFGS(), .seed = flags.seed});
    for (int i = 0; i < 100; ++i) inference.update({{X, d.X}});
    const ed::Matrix W = inference.value(m.W);
    std::printf(
        "Softmax regression, %ld points, 3 classes (weights are identified up to a constant per "
        "row: compare centred rows)\n",
        n);
    ed::examples::print_estimates("W (centred)", d.W.colwise() - d.W.rowwise().mean(),
                                  W.colwise() - W.rowwise().mean());
    // Predicted class on a grid, the largest logit of the fitted model.
    const int g = 80;
    ed::Matrix grid(g * g, 2);
    for (int i = 0; i < g; ++i) {
      for (int j = 0; j < g; ++j)
        grid.row(i * g + j) << -7.0 + 14.0 * i / (g - 1), -7.0 + 14.0 * j / (g - 1);
    }
    const ed::Matrix logits = inference.session().run({m.y.logits()}, {{X, grid}})[0];
    ed::Matrix regions(grid.rows(), 3);
    for (ed::Index i = 0; i < grid.rows(); ++i) {
      ed::Index k;
      logits.row(i).maxCoeff(&k);
      regions.row(i) << grid(i, 0), grid(i, 1), double(k);
    }
    ed::Matrix data(n, 3);
    data << d.X, d.y;
    ed::write_csv(flags.out + "/data.csv", data, {"x0", "x1", "label"});
    ed::write_csv(flags.out + "/regions.csv", regions, {"x0", "x1", "class"});
    ed::examples::run_gnuplot("softmax_regression.gp", flags.out);
  });
}
