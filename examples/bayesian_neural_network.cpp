// Edward's Bayesian neural network tutorial: a 1-10-10-1 tanh network with N(0, 1) priors on
// every weight, fitted by KLqp to data with a gap, criticised by posterior predictive bands.
#include <edpp/edpp.hpp>

#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "examples/common.hpp"

namespace {

// The tutorial's build_toy_dataset: 20 points on [0, 2] and 20 on [6, 8], y = cos(x) + noise,
// inputs rescaled to (x − 4) / 4.
struct Data {
  ed::Matrix x, y;
};
Data toy_data(ed::Index n, double noise, ed::Rng& rng) {
  boost::random::normal_distribution<double> normal;
  Data d{ed::Matrix(n, 1), ed::Matrix(n, 1)};
  const ed::Index half = n / 2;
  d.x.topRows(half) = Eigen::VectorXd::LinSpaced(half, 0.0, 2.0);
  d.x.bottomRows(n - half) = Eigen::VectorXd::LinSpaced(n - half, 6.0, 8.0);
  for (ed::Index i = 0; i < n; ++i) d.y(i, 0) = std::cos(d.x(i, 0)) + noise * normal(rng.engine());
  d.x = (d.x.array() - 4.0) / 4.0;
  return d;
}

// A layer's weights: N(0, 1) prior and a mean-field Normal q (standard-normal initial locations,
// softplus scales from standard-normal initial values, as the tutorial).
struct Layer {
  ed::Normal W, b, qW, qb;
};
Layer layer(ed::Index in, ed::Index out, const std::string& name, ed::Rng& rng) {
  boost::random::normal_distribution<double> normal;
  auto draws = [&](ed::Index r, ed::Index c) {
    ed::Matrix m(r, c);
    for (ed::Index k = 0; k < m.size(); ++k) m.data()[k] = normal(rng.engine());
    return m;
  };
  auto q = [&](ed::Index r, ed::Index c, const std::string& var) {
    return ed::Normal(
        ed::variable(draws(r, c), var + "/loc"),
        ed::softplus(ed::variable((-3.0 + 0.1 * draws(r, c).array()).matrix(), var + "/scale")));
  };
  return {ed::Normal(ed::Matrix::Zero(in, out), 1.0), ed::Normal(ed::Matrix::Zero(1, out), 1.0),
          q(in, out, "q" + name + "/W"), q(1, out, "q" + name + "/b")};
}

ed::Tensor network(const ed::Tensor& x, const std::vector<Layer>& layers) {
  ed::Tensor h = x;
  for (std::size_t k = 0; k < layers.size(); ++k) {
    h = ed::matmul(h, layers[k].W) + layers[k].b;
    if (k + 1 < layers.size()) h = ed::tanh(h);
  }
  return h;
}

// Draws × grid points: `draws` runs of `f` (a function of the grid placeholder).
ed::Matrix function_draws(ed::Session& session, const ed::Tensor& f, const ed::Feed& feed,
                          int draws) {
  const auto program = session.compile({f});
  const ed::Matrix first = session.run(*program, feed)[0];
  ed::Matrix out(draws, first.rows());
  out.row(0) = first.col(0).transpose();
  for (int k = 1; k < draws; ++k) out.row(k) = session.run(*program, feed)[0].col(0).transpose();
  return out;
}

// The p-quantile of each column.
Eigen::RowVectorXd column_quantile(const ed::Matrix& draws, double p) {
  Eigen::RowVectorXd out(draws.cols());
  for (ed::Index j = 0; j < draws.cols(); ++j) out(j) = ed::quantile(draws.col(j), p);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Bayesian neural network (Edward's tutorial): KLqp and posterior predictive bands",
               "bayesian_neural_network"};
  ed::examples::Flags flags{.seed = 1, .out = "out/bayesian_neural_network"};
  long n_iter = 2000;
  int n_samples = 5, draws = 500;
  double learning_rate = 0.1;
  app.add_option("--iterations", n_iter, "KLqp iterations")->check(CLI::Range(1, 10000000));
  app.add_option("--samples", n_samples, "draws of q per iteration")->check(CLI::Range(1, 1000));
  app.add_option("--learning-rate", learning_rate, "Adam's learning rate")
      ->check(CLI::PositiveNumber);
  app.add_option("--draws", draws, "posterior predictive draws for the bands")
      ->check(CLI::Range(10, 1000000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    ed::Rng rng(flags.seed);
    const ed::Index N = 40;
    const double noise = 0.1;
    const Data train = toy_data(N, noise, rng);

    // The model: y ~ N(NN(x; W), 0.1) with N(0, 1) priors, and a mean-field q for every weight.
    const auto x = ed::placeholder({ed::Dynamic, 1}, "x");
    const std::vector<Layer> layers = {layer(1, 10, "0", rng), layer(10, 10, "1", rng),
                                       layer(10, 1, "2", rng)};
    const ed::Tensor f = network(x, layers);
    const ed::Normal y(f, noise);
    std::vector<ed::LatentPair> latent;
    ed::Swap to_q;
    for (const Layer& l : layers) {
      latent.push_back({l.W, l.qW});
      latent.push_back({l.b, l.qb});
      to_q.push_back({l.W, l.qW});
      to_q.push_back({l.b, l.qb});
    }
    ed::KLqp inference(latent, {{y, train.y}});
    inference.initialize({.optimizer = ed::Adam(learning_rate),
                          .n_iter = n_iter,
                          .n_samples = n_samples,
                          .seed = flags.seed});
    inference.run({{x, train.x}});

    // Criticism: functions and new data from the posterior predictive on a grid that extends
    // past the data on both sides (rescaled x from −2 to 2), against the same from the prior.
    const ed::Matrix grid = Eigen::VectorXd::LinSpaced(400, -2.0, 2.0);
    ed::Session& session = inference.session();
    const ed::Tensor f_post = ed::copy(f, to_q);
    const ed::Tensor y_post = ed::copy(y, to_q);
    const ed::Matrix f_draws = function_draws(session, f_post, {{x, grid}}, draws);
    const ed::Matrix y_draws = function_draws(session, y_post, {{x, grid}}, draws);
    ed::Session prior_session(flags.seed);
    const ed::Matrix prior_draws = function_draws(prior_session, f, {{x, grid}}, 10);

    const Eigen::RowVectorXd f_mean = f_draws.colwise().mean();
    const Eigen::RowVectorXd f_lo = column_quantile(f_draws, 0.05),
                             f_hi = column_quantile(f_draws, 0.95);
    const Eigen::RowVectorXd y_lo = column_quantile(y_draws, 0.05),
                             y_hi = column_quantile(y_draws, 0.95);

    // Numbers: the fit on the training inputs, and how the band widens where there is no data.
    const ed::Matrix train_f = function_draws(session, f_post, {{x, train.x}}, draws);
    const Eigen::RowVectorXd train_mean = train_f.colwise().mean();
    const ed::Matrix train_y = function_draws(session, y_post, {{x, train.x}}, draws);
    const Eigen::RowVectorXd train_lo = column_quantile(train_y, 0.05);
    const Eigen::RowVectorXd train_hi = column_quantile(train_y, 0.95);
    long covered = 0;
    for (ed::Index i = 0; i < N; ++i) {
      covered += train.y(i, 0) >= train_lo(i) && train.y(i, 0) <= train_hi(i) ? 1 : 0;
    }
    double width_data = 0.0, width_gap = 0.0;
    long n_data = 0, n_gap = 0;
    for (ed::Index j = 0; j < grid.rows(); ++j) {
      const double u = grid(j, 0) * 4.0 + 4.0, width = f_hi(j) - f_lo(j);
      if ((u >= 0.0 && u <= 2.0) || (u >= 6.0 && u <= 8.0)) {
        width_data += width;
        ++n_data;
      } else if (u > 3.0 && u < 5.0) {
        width_gap += width;
        ++n_gap;
      }
    }
    const double rmse =
        std::sqrt((train_mean.transpose() - train.y).squaredNorm() / static_cast<double>(N));
    std::printf(
        "Bayesian neural network (1-10-10-1, tanh): N = %ld, KLqp with %d samples, %ld "
        "iterations\n",
        static_cast<long>(N), n_samples, n_iter);
    std::printf("  final loss (negative ELBO): %.2f\n", inference.loss({{x, train.x}}));
    std::printf("  RMSE of the posterior mean function on the training data: %.4f (noise %.2f)\n",
                rmse, noise);
    std::printf("  training points inside the 90%% predictive band: %ld of %ld\n", covered,
                static_cast<long>(N));
    std::printf(
        "  mean width of the 90%% band of f: %.3f over the data, %.3f in the gap (3 < x < 5)\n",
        width_data / static_cast<double>(n_data), width_gap / static_cast<double>(n_gap));

    ed::Matrix data(N, 2), bands(grid.rows(), 6 + 10), prior(grid.rows(), 11);
    data << train.x, train.y;
    bands.col(0) = grid;
    bands.col(1) = f_mean.transpose();
    bands.col(2) = f_lo.transpose();
    bands.col(3) = f_hi.transpose();
    bands.col(4) = y_lo.transpose();
    bands.col(5) = y_hi.transpose();
    bands.rightCols(10) = f_draws.topRows(10).transpose();
    prior.col(0) = grid;
    prior.rightCols(10) = prior_draws.transpose();
    ed::write_csv(flags.out + "/data.csv", data, {"x", "y"});
    ed::write_csv(flags.out + "/posterior.csv", bands);
    ed::write_csv(flags.out + "/prior.csv", prior);
    ed::examples::run_gnuplot("bayesian_neural_network.gp", flags.out);
  });
}
