// Edward's batch training tutorial: Bayesian linear regression by KLqp on minibatches, the
// log-likelihood scaled by N/M so each step estimates the whole data set's ELBO.
#include <edpp/edpp.hpp>

#include <boost/random/normal_distribution.hpp>

#include "examples/common.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Batch training (Edward's tutorial): KLqp on minibatches with scale = N/M",
               "batch_training"};
  ed::examples::Flags flags{.seed = 1, .out = "out/batch_training"};
  long epochs = 5;
  app.add_option("--epochs", epochs, "passes over the training data")->check(CLI::Range(1, 1000));
  return ed::examples::run(app, flags, argc, argv, [&] {
    ed::set_seed(flags.seed);
    ed::Rng rng(flags.seed);
    const ed::Index N = 10000, M = 128, D = 10;
    const ed::Matrix w_true = ed::Matrix::Constant(D, 1, 5.0);
    const auto train = ed::examples::toy_regression(N, w_true, 0.1, rng);
    const auto test = ed::examples::toy_regression(235, w_true, 0.1, rng);
    const ed::Matrix &X_train = train.X, &y_train = train.y, &X_test = test.X, &y_test = test.y;

    const auto X = ed::placeholder({ed::Dynamic, D}, "X");
    const auto y_ph = ed::placeholder({ed::Dynamic, 1}, "y");
    const ed::Normal w(ed::Matrix::Zero(D, 1), 1.0);
    const ed::Normal b(0.0, 1.0);
    const ed::Normal y(ed::matmul(X, w) + b, 1.0);
    boost::random::normal_distribution<double> normal;
    auto random_normal = [&](ed::Index rows) {
      ed::Matrix m(rows, 1);
      for (ed::Index k = 0; k < rows; ++k) m(k, 0) = normal(rng.engine());
      return m;
    };
    const ed::Normal qw(ed::variable(random_normal(D), "qw/loc"),
                        ed::softplus(ed::variable(random_normal(D), "qw/scale")));
    const ed::Normal qb(ed::variable(random_normal(1), "qb/loc"),
                        ed::softplus(ed::variable(random_normal(1), "qb/scale")));

    const long n_batch = N / M;
    ed::KLqp inference({{w, qw}, {b, qb}}, {{y, y_ph}});
    inference.initialize({.n_iter = n_batch * epochs,
                          .n_samples = 5,
                          .seed = flags.seed,
                          .scale = {{y, static_cast<double>(N) / static_cast<double>(M)}}});
    ed::Minibatches batches({X_train, y_train}, M, flags.seed);
    ed::Matrix losses(n_batch * epochs, 2);
    for (long t = 0; t < n_batch * epochs; ++t) {
      // Full batches only: scale N/M is right for M rows (each epoch's short remainder of
      // N mod M rows is skipped, as the tutorial's generator never yields one).
      const std::vector<ed::Matrix>* next = &batches.next();
      while ((*next)[0].rows() < M) next = &batches.next();
      const auto& batch = *next;
      const ed::Info info = inference.update({{X, batch[0]}, {y_ph, batch[1]}});
      inference.print_progress(info);
      losses(t, 0) = static_cast<double>(info.t);
      losses(t, 1) = info.loss;
    }

    // Criticism on the test set through the posterior predictive.
    const ed::RandomVariable y_post = ed::copy(y, {{w, qw}, {b, qb}});
    const std::vector<double> errors =
        ed::evaluate({"mean_squared_error", "mean_absolute_error"}, {{y_post, y_test}},
                     {.seed = flags.seed, .feed = {{X, X_test}}});
    std::printf("Batch training: N = %ld, M = %ld, D = %ld, %ld epochs (%ld updates)\n",
                static_cast<long>(N), static_cast<long>(M), static_cast<long>(D), epochs,
                n_batch * epochs);
    const ed::Matrix w_mean = ed::eval(qw.mean()), w_sd = ed::eval(qw.stddev());
    for (ed::Index k = 0; k < D; ++k) {
      std::printf("  w[%ld]   truth %6.3f   posterior %8.4f ± %.4f\n", static_cast<long>(k),
                  w_true(k, 0), w_mean(k, 0), w_sd(k, 0));
    }
    std::printf("  b       truth %6.3f   posterior %8.4f ± %.4f\n", 0.0, ed::eval(qb.mean())(0, 0),
                ed::eval(qb.stddev())(0, 0));
    std::printf("Mean squared error on test data: %.6f\n", errors[0]);
    std::printf("Mean absolute error on test data: %.6f\n", errors[1]);
    ed::write_csv(flags.out + "/losses.csv", losses, {"t", "loss"});
    ed::examples::run_gnuplot("batch_training.gp", flags.out);
  });
}
