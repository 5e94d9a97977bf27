// Softmax (multinomial logistic) regression by MAP: 3 classes in 2-D, with the decision regions.
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

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

    // The posterior by NUTS (centred rows, as above); the check: the share of class 0. The
    // shift of every row is identified only by the prior, a long ridge across short directions:
    // the dense metric learns it (the diagonal one needs trajectories ten times longer).
    ed::NUTS nuts({m.W, m.b}, {{m.y, d.y}});
    nuts.initialize(
        {.n_iter = 500, .n_warmup = 500, .seed = flags.seed, .metric = ed::MassMatrix::dense});
    nuts.run({{X, d.X}});
    std::printf("Posterior (NUTS, 4 chains x 500 draws): mean and 90%% interval of centred W\n");
    ed::Matrix centred = nuts.draws(m.W);  // columns: W[r, c] at r + 2c
    for (ed::Index s = 0; s < centred.rows(); ++s) {
      for (ed::Index r = 0; r < 2; ++r) {
        const double mean = (centred(s, r) + centred(s, r + 2) + centred(s, r + 4)) / 3.0;
        for (ed::Index c = 0; c < 3; ++c) centred(s, r + 2 * c) -= mean;
      }
    }
    ed::examples::print_posterior("W (centred)", d.W.colwise() - d.W.rowwise().mean(), centred);
    ed::examples::predictive_check(
        d.y, ed::replicate(nuts, m.y, 1000, flags.seed, {{X, d.X}}),
        flags.out + "/softmax_regression_ppc.png", "share of class 0",
        [](const ed::Matrix& y) { return (y.array() == 0.0).cast<double>().mean(); });
  });
}
