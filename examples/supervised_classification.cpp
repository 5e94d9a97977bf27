// Edward's supervised classification tutorial: Gaussian process classification. A latent
// function f ~ GP(0, rbf) at the training inputs, y ~ Bernoulli(logits f), fitted by KLqp in
// the whitened form f = L v, v ~ N(0, I) with a mean-field Normal q on v; predictions at new
// inputs through the GP's conditional mean.
#include <edpp/edpp.hpp>

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <cmath>
#include <string>

#include "examples/common.hpp"

namespace {

// Two classes in the plane: P(y = 1 | x) = σ(4 (sin(1.5 x₁) + 0.5 x₂)), x uniform on [−2, 2]².
struct Labelled {
  ed::Matrix x, y;
  Eigen::VectorXd p;  // P(y = 1 | x) when simulated: what the best classifier would know
};
Labelled simulate(ed::Index n, ed::Rng& rng) {
  boost::random::uniform_real_distribution<double> uniform(-2.0, 2.0);
  boost::random::uniform_01<double> u01;
  Labelled d{ed::Matrix(n, 2), ed::Matrix(n, 1), Eigen::VectorXd(n)};
  for (ed::Index i = 0; i < n; ++i) {
    d.x(i, 0) = uniform(rng.engine());
    d.x(i, 1) = uniform(rng.engine());
    const double f = 4.0 * (std::sin(1.5 * d.x(i, 0)) + 0.5 * d.x(i, 1));
    d.p(i) = 1.0 / (1.0 + std::exp(-f));
    d.y(i, 0) = u01(rng.engine()) < d.p(i) ? 1.0 : 0.0;
  }
  return d;
}

// A CSV whose last column is the 0/1 label and whose other columns are the inputs, its rows
// shuffled (files are often sorted by class) and split 3/4 for training, 1/4 for testing;
// inputs standardised by the training set's mean and sd.
std::pair<Labelled, Labelled> read_labelled(const std::string& path, ed::Rng& rng) {
  ed::CsvTable table = ed::read_csv(path);
  for (ed::Index i = table.data.rows() - 1; i > 0; --i) {
    boost::random::uniform_int_distribution<ed::Index> pick(0, i);
    table.data.row(i).swap(table.data.row(pick(rng.engine())));
  }
  const ed::Index n = table.data.rows(), d = table.data.cols() - 1;
  if (d < 1 || n < 8) {
    throw ed::invalid_argument("'" + path +
                               "' needs at least 8 rows and an input column before the label");
  }
  for (ed::Index i = 0; i < n; ++i) {
    const double v = table.data(i, d);
    if (v != 0.0 && v != 1.0) {
      throw ed::invalid_argument("'" + path + "': data row " + std::to_string(i + 1) +
                                 ", the label column is " + std::to_string(v) +
                                 ", but must be 0 or 1");
    }
  }
  const ed::Index n_train = 3 * n / 4;
  ed::Matrix x = table.data.leftCols(d);
  const Eigen::RowVectorXd mean = x.topRows(n_train).colwise().mean();
  const Eigen::RowVectorXd sd =
      ((x.topRows(n_train).rowwise() - mean).array().square().colwise().sum() /
       static_cast<double>(n_train - 1))
          .sqrt();
  x = ((x.rowwise() - mean).array().rowwise() / sd.array()).matrix();
  return {{x.topRows(n_train), table.data.col(d).head(n_train), {}},
          {x.bottomRows(n - n_train), table.data.col(d).tail(n - n_train), {}}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Supervised classification (Edward's tutorial): Gaussian process classification by KLqp",
      "supervised_classification"};
  ed::examples::Flags flags{.seed = 1, .out = "out/supervised_classification"};
  long n_iter = 2000;
  double lengthscale = 1.0;
  std::string data_file;
  app.add_option("--iterations", n_iter, "KLqp iterations")->check(CLI::Range(1, 10000000));
  app.add_option("--lengthscale", lengthscale, "the RBF kernel's lengthscale")
      ->check(CLI::PositiveNumber);
  app.add_option("--data", data_file,
                 "a CSV of inputs with a 0/1 label in the last column, instead of simulated data "
                 "(the first 3/4 train, the rest test)");
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    ed::Rng rng(flags.seed);
    Labelled train, test;
    if (data_file.empty()) {
      train = simulate(150, rng);
      test = simulate(500, rng);
    } else {
      std::tie(train, test) = read_labelled(data_file, rng);
    }
    const ed::Index N = train.x.rows();

    // The model: f ~ MVN(0, K) with K = rbf(X) (plus 1e-6 on the diagonal for a stable Cholesky
    // factor), y ~ Bernoulli(logits = f), written as f = L v with v ~ N(0, I) and K = L Lᵀ: the
    // same prior, but one a mean-field q can match (Note in the page). K depends on the inputs
    // only, so its factor is computed once rather than at every step.
    ed::Matrix K = ed::eval(ed::rbf(train.x, train.x, lengthscale));
    K.diagonal().array() += 1e-6;
    const ed::Matrix L = ed::eval(ed::cholesky(K));
    const ed::Normal v(ed::Matrix::Zero(N, 1), 1.0);
    const ed::Tensor f = ed::matmul(ed::constant(L), v);
    const ed::Bernoulli y(f);

    const ed::Normal qv(ed::variable(ed::Matrix::Zero(N, 1), "qv/loc"),
                        ed::softplus(ed::variable(ed::Matrix::Zero(N, 1), "qv/scale")));
    ed::KLqp inference({{v, qv}}, {{y, train.y}});
    inference.initialize({.n_iter = n_iter, .n_samples = 5, .seed = flags.seed});
    inference.run();

    // Predictions at new inputs X*: the GP's conditional mean K*ᵀ K⁻¹ f = (L⁻¹ K*)ᵀ v, with v
    // drawn from q.
    auto logits_at = [&](const ed::Matrix& x_new) {
      const ed::Matrix A =
          ed::eval(ed::triangular_solve(ed::constant(L), ed::rbf(train.x, x_new, lengthscale)));
      return ed::matmul(ed::constant(ed::Matrix(A.transpose())), v);
    };
    const ed::Bernoulli y_test(logits_at(test.x));
    const ed::RandomVariable y_post = ed::copy(y_test, {{v, qv}});
    const std::vector<double> scores = ed::evaluate({"binary_accuracy", "binary_crossentropy"},
                                                    {{y_post, test.y}}, {.seed = flags.seed});
    const ed::RandomVariable y_fit = ed::copy(y, {{v, qv}});
    const double train_accuracy =
        ed::evaluate("binary_accuracy", {{y_fit, train.y}}, {.seed = flags.seed});
    const double base_rate = test.y.mean();

    std::printf(
        "Gaussian process classification: %ld training and %ld test points, %ld inputs, "
        "rbf lengthscale %.2f, KLqp %ld iterations\n",
        static_cast<long>(N), static_cast<long>(test.x.rows()), static_cast<long>(train.x.cols()),
        lengthscale, n_iter);
    std::printf("  training accuracy %.3f\n", train_accuracy);
    std::printf("  test accuracy %.3f (the larger class alone: %.3f), test crossentropy %.3f\n",
                scores[0], std::max(base_rate, 1.0 - base_rate), scores[1]);
    if (test.p.size() > 0) {
      std::printf("  the true probabilities' expected accuracy on the test inputs: %.3f\n",
                  test.p.array().max(1.0 - test.p.array()).mean());
    }

    if (train.x.cols() == 2) {
      // The predictive probability over a grid of the plane, with the training points.
      const ed::Index g = 60;
      ed::Matrix grid(g * g, 2);
      for (ed::Index i = 0; i < g; ++i) {
        for (ed::Index j = 0; j < g; ++j) {
          grid(i * g + j, 0) = -2.0 + 4.0 * static_cast<double>(j) / static_cast<double>(g - 1);
          grid(i * g + j, 1) = -2.0 + 4.0 * static_cast<double>(i) / static_cast<double>(g - 1);
        }
      }
      const ed::Tensor p_grid = ed::copy(ed::sigmoid(logits_at(grid)), {{v, qv}});
      ed::Session& session = inference.session();
      const auto program = session.compile({p_grid});
      ed::Matrix p = ed::Matrix::Zero(g * g, 1);
      for (int s = 0; s < 200; ++s) p += session.run(*program)[0];
      p /= 200.0;
      ed::Matrix surface(g * g, 3), points(N, 3);
      surface << grid, p;
      points << train.x, train.y;
      ed::write_csv(flags.out + "/surface.csv", surface, {"x1", "x2", "p"});
      ed::write_csv(flags.out + "/points.csv", points, {"x1", "x2", "y"});
      ed::examples::run_gnuplot("supervised_classification.gp", flags.out);
    }
  });
}
