// A program that knows edpp only as an installed package and uses the contract API of
// DESIGN.md §1 and §5 as outside test programs do: the tutorial, a conjugate model, gradients.
#include <edpp/edpp.hpp>

#include <cmath>
#include <iostream>

int main() {
  using ed::Matrix;
  bool ok = true;
  auto expect = [&](bool condition, const char* what) {
    if (!condition) std::cout << "consumer: failed: " << what << "\n";
    ok = ok && condition;
  };

  // The tutorial, line for line (a short run).
  const int K = 5;
  auto [X_train, X_test, y_train, y_test] = ed::datasets::toy_mdn(400, /*seed=*/42);
  auto X_ph = ed::placeholder({ed::Dynamic, 1}, "X");
  auto y_ph = ed::placeholder({ed::Dynamic, 1}, "y");
  auto h = ed::dense(X_ph, 15, ed::relu);
  h = ed::dense(h, 15, ed::relu);
  auto locs = ed::dense(h, K);
  auto scales = ed::dense(h, K, ed::exp);
  auto logits = ed::dense(h, K);
  auto cat = ed::Categorical(logits);
  auto y = ed::Mixture(cat, ed::Normal(locs, scales));
  auto y_list = ed::Mixture(cat, {ed::Normal(ed::col(locs, 0), ed::col(scales, 0)),
                                  ed::Normal(ed::col(locs, 1), ed::col(scales, 1)),
                                  ed::Normal(ed::col(locs, 2), ed::col(scales, 2)),
                                  ed::Normal(ed::col(locs, 3), ed::col(scales, 3)),
                                  ed::Normal(ed::col(locs, 4), ed::col(scales, 4))});
  ed::MAP inference({}, {{y, y_ph}});
  inference.initialize({.optimizer = ed::Adam(5e-3)});
  double first = 0, last = 0;
  for (int i = 0; i < 30; ++i) {
    auto info = inference.update({{X_ph, X_train}, {y_ph, y_train}});
    if (i == 0) first = info.loss;
    last = inference.loss({{X_ph, X_test}, {y_ph, y_test}});
    expect(info.t == i + 1, "info.t counts updates");
  }
  expect(std::isfinite(last) && last < first, "the MDN loss decreases");
  ed::Session& sess = inference.session();
  auto out = sess.run({ed::softmax(logits), locs, scales}, {{X_ph, X_test}});
  expect(out.size() == 3 && out[0].cols() == K && std::abs(out[0].row(0).sum() - 1.0) < 1e-12,
         "session.run returns the heads");
  const Matrix both =
      ed::eval(y.log_prob(y_ph) - y_list.log_prob(y_ph), {{X_ph, X_test}, {y_ph, y_test}});
  expect(both.cwiseAbs().maxCoeff() < 1e-10, "both Mixture forms agree");

  // A conjugate model: normal-normal, mode Σx / (n + 1).
  const Matrix x_data = Eigen::VectorXd::LinSpaced(20, -1.0, 3.0);
  ed::Normal mu(0.0, 1.0);
  ed::Normal x(mu * Matrix::Ones(20, 1), 1.0);
  ed::MAP map({mu}, {{x, x_data}});
  map.initialize({.optimizer = ed::LBFGS(), .n_iter = 30, .n_print = 30, .seed = 1});
  for (int i = 0; i < 30; ++i) map.update();
  expect(std::abs(map.value(mu)(0, 0) - x_data.sum() / 21.0) < 1e-6, "normal-normal mode");

  // Gradients.
  const ed::Tensor v = ed::variable(Matrix::Constant(2, 1, 3.0), "v");
  const auto g = ed::grad(ed::sum(ed::square(v) * 2.0 + 1.0 / v), {v});
  expect(std::abs(g[0](0, 0) - (12.0 - 1.0 / 9.0)) < 1e-12, "grad");
  expect(std::abs(ed::eval(ed::Bernoulli::from_probs(0.25).log_prob(1.0))(0, 0) - std::log(0.25)) <
             1e-12,
         "Bernoulli::from_probs");
  std::cout << (ok ? "consumer: ok" : "consumer: FAILED") << "\n";
  return ok ? 0 : 1;
}
