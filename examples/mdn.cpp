// Edward's Mixture Density Network tutorial in C++: the same data, network and inference, with
// the tutorial's figures. Run with --help for the flags.
#include <CLI/CLI.hpp>
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include <cmath>
#include <cstdio>
#include <numbers>

#include "examples/common.hpp"

namespace {

using ed::Index;
using ed::Matrix;

struct Options {
  ed::examples::Flags flags{.seed = 42, .out = "out/mdn"};
  long epochs = 1000;
  Index components = 20;
  std::vector<Index> hidden = {15, 15};
  double lr = 5e-3;
  Index n = 5000;
  std::string train_file, test_file;
};

// Reads a CSV with columns named x and y into (X, y) column vectors.
std::pair<Matrix, Matrix> read_xy(const std::string& path) {
  const ed::CsvTable table = ed::read_csv(path);
  Index x_col = -1, y_col = -1;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    if (table.columns[c] == "x") x_col = static_cast<Index>(c);
    if (table.columns[c] == "y") y_col = static_cast<Index>(c);
  }
  if (x_col < 0 || y_col < 0) {
    throw ed::invalid_argument("read_csv: " + path +
                               ", line 1: the header must name columns x and y");
  }
  return {table.data.col(x_col), table.data.col(y_col)};
}

// Σ_k w_k N(y | μ_k, σ_k) for one test point (row i of the predictions) on a grid of y.
Matrix mixture_density(const Matrix& grid, const Matrix& w, const Matrix& mu, const Matrix& sigma,
                       Index i) {
  Matrix p = Matrix::Zero(grid.rows(), 1);
  for (Index k = 0; k < w.cols(); ++k) {
    const Eigen::ArrayXd z = (grid.col(0).array() - mu(i, k)) / sigma(i, k);
    p.col(0).array() +=
        w(i, k) * (-0.5 * z.square()).exp() / (sigma(i, k) * std::sqrt(2.0 * std::numbers::pi));
  }
  return p;
}

// A 2-D histogram normalised to a density, on an nx × ny grid over the given box.
Matrix histogram2d(const Matrix& x, const Matrix& y, double x0, double x1, double y0, double y1,
                   Index nx, Index ny) {
  Matrix h = Matrix::Zero(nx, ny);
  for (Index i = 0; i < x.rows(); ++i) {
    const auto bx = static_cast<Index>((x(i, 0) - x0) / (x1 - x0) * static_cast<double>(nx));
    const auto by = static_cast<Index>((y(i, 0) - y0) / (y1 - y0) * static_cast<double>(ny));
    if (bx >= 0 && bx < nx && by >= 0 && by < ny) h(bx, by) += 1.0;
  }
  return h / h.sum();
}

void fit(const Options& o) {
  const std::uint32_t seed = o.flags.seed;
  const std::string& out_dir = o.flags.out;
  ed::set_seed(seed);
  Matrix X_train, X_test, y_train, y_test;
  if (!o.train_file.empty()) {
    std::tie(X_train, y_train) = read_xy(o.train_file);
    std::tie(X_test, y_test) = read_xy(o.test_file);
  } else {
    auto data = ed::datasets::toy_mdn(o.n, seed);
    X_train = data.X_train, X_test = data.X_test, y_train = data.y_train, y_test = data.y_test;
  }
  std::printf("Size of features in training data: (%ld, %ld)\n", long(X_train.rows()),
              long(X_train.cols()));
  std::printf("Size of output in training data: (%ld,)\n", long(y_train.rows()));
  std::printf("Size of features in test data: (%ld, %ld)\n", long(X_test.rows()),
              long(X_test.cols()));
  std::printf("Size of output in test data: (%ld,)\n", long(y_test.rows()));
  std::fflush(stdout);  // before the progress bar starts on stderr

  const auto X_ph = ed::placeholder({ed::Dynamic, 1}, "X");
  const auto y_ph = ed::placeholder({ed::Dynamic, 1}, "y");
  const ed::models::Mdn model = ed::models::mdn(X_ph, o.components, o.hidden);

  ed::MAP inference({}, {{model.y, y_ph}});
  inference.initialize({.optimizer = ed::Adam(o.lr), .n_iter = o.epochs, .seed = seed});
  const ed::Feed train_feed = {{X_ph, X_train}, {y_ph, y_train}};
  const ed::Feed test_feed = {{X_ph, X_test}, {y_ph, y_test}};
  const double n_train = static_cast<double>(X_train.rows());
  const double n_test = static_cast<double>(X_test.rows());

  // As in the tutorial: the train loss of each update (before its step), the test loss after it.
  Matrix losses(o.epochs, 3);
  ed::ProgressBar bar(o.epochs, std::max(1L, o.epochs / 100));
  for (long i = 0; i < o.epochs; ++i) {
    const ed::Info info = inference.update(train_feed);
    const double test_loss = inference.loss(test_feed);
    losses.row(i) << double(i + 1), -info.loss / n_train, -test_loss / n_test;
    bar.update(i + 1, info.loss);
  }
  const double train_ll = -inference.loss(train_feed) / n_train;
  const double test_ll = -inference.loss(test_feed) / n_test;
  std::printf("final log-likelihood per point: train %.4f, test %.4f\n", train_ll, test_ll);

  // Predictions on the test set, and one draw per test point from the fitted mixture.
  ed::Session& sess = inference.session();
  const auto out = sess.run({ed::softmax(model.logits), model.locs, model.scales, model.y.sample()},
                            {{X_ph, X_test}});
  const Matrix &w = out[0], &mu = out[1], &sigma = out[2], &draws = out[3];
  const Index K = w.cols();

  std::vector<std::string> header = {"x", "y"};
  for (const char* part : {"weight_", "mean_", "std_"}) {
    for (Index k = 0; k < K; ++k) header.push_back(part + std::to_string(k));
  }
  Matrix predictions(X_test.rows(), 2 + 3 * K);
  predictions << X_test, y_test, w, mu, sigma;
  ed::write_csv(out_dir + "/losses.csv", losses, {"epoch", "train_ll", "test_ll"});
  ed::write_csv(out_dir + "/predictions.csv", predictions, header);
  Matrix samples(X_test.rows(), 2);
  samples << X_test, draws;
  ed::write_csv(out_dir + "/samples.csv", samples, {"x", "y"});
  Matrix train(X_train.rows(), 2), test(X_test.rows(), 2);
  train << X_train, y_train;
  test << X_test, y_test;
  ed::write_csv(out_dir + "/train.csv", train, {"x", "y"});
  ed::write_csv(out_dir + "/test.csv", test, {"x", "y"});

  // Predicted densities of test points 0, 4 and 6 (the tutorial's), with their true y.
  const std::vector<Index> shown = {0, 4, 6};
  const Matrix grid =
      Eigen::VectorXd::LinSpaced(600, y_test.minCoeff() - 1.5, y_test.maxCoeff() + 1.5);
  Matrix densities(grid.rows(), 1 + shown.size());
  Matrix truth(shown.size(), 3);
  densities.col(0) = grid;
  for (std::size_t s = 0; s < shown.size(); ++s) {
    const Index i = std::min(shown[s], X_test.rows() - 1);
    densities.col(1 + s) = mixture_density(grid, w, mu, sigma, i);
    truth.row(s) << double(i), X_test(i, 0), y_test(i, 0);
  }
  ed::write_csv(out_dir + "/densities.csv", densities, {"y", "p_0", "p_4", "p_6"});
  ed::write_csv(out_dir + "/density_points.csv", truth, {"index", "x", "y"});

  // The 2-D density of the data and of the samples, on one grid.
  const double x0 = X_test.minCoeff(), x1 = X_test.maxCoeff();
  const double y0 = std::min(y_test.minCoeff(), draws.minCoeff()),
               y1 = std::max(y_test.maxCoeff(), draws.maxCoeff());
  const Index nx = 60, ny = 60;
  const Matrix h_data = histogram2d(X_test, y_test, x0, x1, y0, y1, nx, ny);
  const Matrix h_samples = histogram2d(X_test, draws, x0, x1, y0, y1, nx, ny);
  Matrix heat(nx * ny, 4);
  for (Index a = 0; a < nx; ++a) {
    for (Index b = 0; b < ny; ++b) {
      heat.row(a * ny + b) << x0 + (a + 0.5) * (x1 - x0) / nx, y0 + (b + 0.5) * (y1 - y0) / ny,
          h_data(a, b), h_samples(a, b);
    }
  }
  ed::write_csv(out_dir + "/heatmap.csv", heat, {"x", "y", "data", "samples"});

  bool plotted = true;
  for (const char* script :
       {"mdn_data.gp", "mdn_losses.gp", "mdn_densities.gp", "mdn_samples.gp"}) {
    plotted = ed::examples::run_gnuplot(script, out_dir) && plotted;
  }
  std::printf("wrote %s/{losses,predictions,samples,train,test}.csv%s\n", out_dir.c_str(),
              plotted ? " and the figures data.png, losses.png, densities.png, samples.png" : "");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Mixture Density Network: Edward's tutorial in C++ (MAP with Adam, full batch)",
               "mdn"};
  app.add_option("--epochs", o.epochs, "full-batch training steps")->check(CLI::PositiveNumber);
  app.add_option("--components", o.components, "mixture components K")->check(CLI::PositiveNumber);
  app.add_option("--hidden", o.hidden, "hidden layer sizes")->check(CLI::PositiveNumber);
  app.add_option("--lr", o.lr, "Adam learning rate")->check(CLI::PositiveNumber);
  app.add_option("--points", o.n, "toy data size (75% train, 25% test)")
      ->check(CLI::Range(2, 100000000));
  auto* train = app.add_option("--train", o.train_file, "training data: CSV with header x,y")
                    ->check(CLI::ExistingFile);
  auto* test = app.add_option("--test", o.test_file, "test data: CSV with header x,y")
                   ->check(CLI::ExistingFile);
  train->needs(test);
  test->needs(train);
  return ed::examples::run(app, o.flags, argc, argv, [&] { fit(o); });
}
