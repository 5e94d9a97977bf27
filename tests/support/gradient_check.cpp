// check_gradient and friends.
#include "tests/support/gradient_check.hpp"

#include <doctest/doctest.h>
#include <boost/random/uniform_real_distribution.hpp>

#include <cmath>
#include <sstream>

namespace ed::test {

std::vector<Matrix> random_inputs(const std::vector<Shape>& shapes, std::uint64_t seed, double low,
                                  double high) {
  Rng rng(seed);
  boost::random::uniform_real_distribution<double> uniform(low, high);
  std::vector<Matrix> out;
  for (const Shape& s : shapes) {
    Matrix m(s.rows, s.cols);
    for (Index i = 0; i < m.size(); ++i) m.data()[i] = uniform(rng.engine());
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<Shape> broadcast_variants(Index rows, Index cols) {
  return {{1, 1}, {1, cols}, {rows, 1}, {rows, cols}};
}

bool check_gradient(const GraphFn& f, const std::vector<Matrix>& inputs, Tolerance tol,
                    const std::string& label) {
  std::vector<Tensor> vars;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    vars.push_back(variable(inputs[i], "x" + std::to_string(i)));
  }
  const Tensor y = f(vars);
  const Matrix y0 = eval(y);
  const Matrix weights = random_inputs({shape_of(y0)}, 12345, -1.0, 1.0)[0];
  const Tensor loss = sum(y * weights);

  Program program({loss}, vars);
  Rng rng;
  program.forward({}, rng);
  program.backward();
  auto loss_at = [&]() {
    program.forward({}, rng);
    return program.output(0)(0, 0);
  };

  int failures = 0;
  for (std::size_t i = 0; i < vars.size(); ++i) {
    const Matrix analytic = program.gradient(i);
    Matrix x = inputs[i];
    for (Index e = 0; e < x.size(); ++e) {
      const double x0 = x.data()[e];
      const double h = tol.step > 0.0 ? tol.step : 1e-3 * std::max(1.0, std::abs(x0));
      auto central = [&](double step) {
        x.data()[e] = x0 + step;
        vars[i].assign(x);
        const double up = loss_at();
        x.data()[e] = x0 - step;
        vars[i].assign(x);
        const double down = loss_at();
        return (up - down) / (2.0 * step);
      };
      // Richardson extrapolation cancels the h² error term of the central difference.
      const double numeric = (4.0 * central(h / 2.0) - central(h)) / 3.0;
      x.data()[e] = x0;
      vars[i].assign(x);
      const double a = analytic.data()[e];
      const bool ok =
          std::abs(a - numeric) <= tol.abs + tol.rel * std::max(std::abs(a), std::abs(numeric));
      if (!ok && failures++ < 5) {
        std::ostringstream msg;
        msg.precision(12);
        msg << (label.empty() ? "gradient" : label) << ": input " << i << " "
            << to_string(shape_of(x)) << " element (" << e % x.rows() << ", " << e / x.rows()
            << ") at x = " << x0 << ": analytic " << a << ", numeric " << numeric;
        FAIL_CHECK(msg.str());
      }
    }
  }
  return failures == 0;
}

bool all_close(const Matrix& actual, const Matrix& expected, double rel, double abs) {
  bool ok = actual.rows() == expected.rows() && actual.cols() == expected.cols();
  for (Index k = 0; ok && k < actual.size(); ++k) {
    const double a = actual.data()[k], b = expected.data()[k];
    if (std::isnan(a) || std::isnan(b)) {
      ok = std::isnan(a) && std::isnan(b);
    } else if (std::isinf(a) || std::isinf(b)) {
      ok = a == b;
    } else {
      ok = std::abs(a - b) <= abs + rel * std::abs(b);
    }
  }
  if (!ok) {
    std::ostringstream msg;
    msg.precision(17);
    msg << "actual " << to_string(shape_of(actual)) << ":\n"
        << actual << "\nexpected " << to_string(shape_of(expected)) << ":\n"
        << expected;
    FAIL_CHECK(msg.str());
  }
  return ok;
}

Matrix reverse_jacobian(const Tensor& out, const Tensor& wrt) {
  const Shape so = out.shape(), sw = wrt.shape();
  const Tensor weights = variable(Matrix::Zero(so.rows, so.cols), "weights");
  Program program({sum(weights * out)}, {wrt});
  Matrix& w = detail::mutable_value(weights);
  Rng rng;
  Matrix jacobian(so.rows * so.cols, sw.rows * sw.cols);
  for (Index e = 0; e < jacobian.rows(); ++e) {
    w.setZero();
    w.data()[e] = 1.0;
    program.forward({}, rng);
    program.backward();
    jacobian.row(e) =
        Eigen::Map<const Eigen::RowVectorXd>(program.gradient(0).data(), jacobian.cols());
  }
  return jacobian;
}

}  // namespace ed::test
