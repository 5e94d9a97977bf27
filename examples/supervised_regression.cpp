// Edward's supervised regression tutorial: Bayesian linear regression by KLqp, criticised by
// the posterior predictive's errors on test data, with prior and posterior lines plotted.
#include <edpp/edpp.hpp>

#include <boost/random/normal_distribution.hpp>

#include <cmath>

#include "examples/common.hpp"

namespace {

// n lines y = w₀x + b over x ∈ [−8, 8] from draws of (w₀, b): columns x, line 1, …, line n.
ed::Matrix lines(const ed::Tensor& w0, const ed::Tensor& b, int n, ed::Session& session) {
  ed::Matrix out(400, n + 1);
  out.col(0) = Eigen::VectorXd::LinSpaced(400, -8.0, 8.0);
  for (int k = 0; k < n; ++k) {
    const auto v = session.run({w0, b});
    out.col(k + 1) = (out.col(0).array() * v[0](0, 0) + v[1](0, 0)).matrix();
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Supervised regression (Edward's tutorial): Bayesian linear regression by KLqp",
               "supervised_regression"};
  ed::examples::Flags flags{.seed = 1, .out = "out/supervised_regression"};
  long n_iter = 250;
  int n_samples = 5;
  ed::Index features = 1;
  app.add_option("--iterations", n_iter, "KLqp iterations")->check(CLI::Range(1, 10000000));
  app.add_option("--samples", n_samples, "draws of q per iteration")->check(CLI::Range(1, 1000));
  app.add_option("--features", features, "D, the number of features")->check(CLI::Range(1, 1000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    ed::Rng rng(flags.seed);
    const ed::Index N = 40, D = features;
    boost::random::normal_distribution<double> normal;
    ed::Matrix w_true(D, 1);
    for (ed::Index k = 0; k < D; ++k) w_true(k, 0) = normal(rng.engine());
    const auto train = ed::examples::toy_regression(N, w_true, 0.1, rng);
    const auto test = ed::examples::toy_regression(N, w_true, 0.1, rng);

    // The model, as the tutorial writes it.
    const auto X = ed::placeholder({ed::Dynamic, D}, "X");
    const auto y_ph = ed::placeholder({ed::Dynamic, 1}, "y");
    const ed::Normal w(ed::Matrix::Zero(D, 1), 1.0);
    const ed::Normal b(0.0, 1.0);
    const ed::Normal y(ed::matmul(X, w) + b, 1.0);

    // Mean-field Normal approximations with free locations and softplus scales.
    const ed::Normal qw(ed::variable(ed::glorot_uniform(D, 1), "qw/loc"),
                        ed::softplus(ed::variable(ed::glorot_uniform(D, 1), "qw/scale")));
    const ed::Normal qb(ed::variable(ed::glorot_uniform(1, 1), "qb/loc"),
                        ed::softplus(ed::variable(ed::glorot_uniform(1, 1), "qb/scale")));

    ed::KLqp inference({{w, qw}, {b, qb}}, {{y, y_ph}});
    inference.initialize({.n_iter = n_iter, .n_samples = n_samples, .seed = flags.seed});
    inference.run({{X, train.X}, {y_ph, train.y}});

    // Criticism: the posterior predictive y_post = copy(y, {w: qw, b: qb}) on the test inputs,
    // its mean over 500 draws scored against the test outputs.
    const ed::RandomVariable y_post = ed::copy(y, {{w, qw}, {b, qb}});
    ed::Session& session = inference.session();
    const std::vector<double> errors =
        ed::evaluate({"mean_squared_error", "mean_absolute_error"}, {{y_post, test.y}},
                     {.seed = flags.seed, .feed = {{X, test.X}}});
    const double mse = errors[0], mae = errors[1];

    std::printf("Supervised regression: N = %ld, D = %ld, KLqp with %d samples, %ld iterations\n",
                static_cast<long>(N), static_cast<long>(D), n_samples, n_iter);
    const ed::Matrix w_mean = ed::eval(qw.mean()), w_sd = ed::eval(qw.stddev());
    for (ed::Index k = 0; k < D; ++k) {
      std::printf("  w[%ld]   truth %8.4f   posterior %8.4f ± %.4f\n", static_cast<long>(k),
                  w_true(k, 0), w_mean(k, 0), w_sd(k, 0));
    }
    std::printf("  b       truth %8.4f   posterior %8.4f ± %.4f\n", 0.0, ed::eval(qb.mean())(0, 0),
                ed::eval(qb.stddev())(0, 0));
    std::printf("Mean squared error on test data: %.6f\n", mse);
    std::printf("Mean absolute error on test data: %.6f\n", mae);

    // The tutorial's figures: ten lines from the prior and ten from the posterior (first
    // feature), over the training data.
    ed::Session prior_session(flags.seed);
    const ed::Tensor w0 = ed::slice_rows(w, 0, 1), qw0 = ed::slice_rows(qw, 0, 1);
    ed::Matrix data(N, 2);
    data << train.X.col(0), train.y;
    ed::write_csv(flags.out + "/data.csv", data, {"x", "y"});
    ed::write_csv(flags.out + "/prior_lines.csv", lines(w0, b, 10, prior_session));
    ed::write_csv(flags.out + "/posterior_lines.csv", lines(qw0, qb, 10, session));
    ed::examples::run_gnuplot("supervised_regression.gp", flags.out);
  });
}
