// lgamma and digamma ops; derivatives digamma and trigamma, all from Boost.Math.
#include "core/ops/special.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include <limits>

#include "core/op.hpp"

namespace ed {

namespace detail {
namespace {
// A pole or domain error yields inf/NaN as in <cmath>; the graph's finiteness checks report it.
using namespace boost::math::policies;
using Quiet = policy<domain_error<ignore_error>, pole_error<ignore_error>,
                     overflow_error<ignore_error>, evaluation_error<ignore_error>>;
}  // namespace

double lgamma(double x) {
  if (x <= 0.0 && x == std::floor(x)) return std::numeric_limits<double>::infinity();
  return boost::math::lgamma(x, Quiet());
}
double digamma(double x) {
  if (x <= 0.0 && x == std::floor(x)) return std::numeric_limits<double>::quiet_NaN();
  return boost::math::digamma(x, Quiet());
}
double trigamma(double x) {
  if (x <= 0.0 && x == std::floor(x)) return std::numeric_limits<double>::infinity();
  return boost::math::trigamma(x, Quiet());
}
}  // namespace detail

namespace ops {

class Lgamma final : public Op {
 public:
  std::string_view name() const override { return "lgamma"; }
  Shape shape(Shapes in) const override { return in[0]; }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out = in[0].unaryExpr([](double x) { return detail::lgamma(x); });
  }
  // d log Γ(x) = ψ(x).
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() +=
        dout.array() * in[0].array().unaryExpr([](double x) { return detail::digamma(x); });
  }
};

class Digamma final : public Op {
 public:
  std::string_view name() const override { return "digamma"; }
  Shape shape(Shapes in) const override { return in[0]; }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out = in[0].unaryExpr([](double x) { return detail::digamma(x); });
  }
  // d ψ(x) = ψ₁(x), the trigamma function.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() +=
        dout.array() * in[0].array().unaryExpr([](double x) { return detail::trigamma(x); });
  }
};

}  // namespace ops

Tensor lgamma(const Tensor& x) { return make_op(std::make_shared<ops::Lgamma>(), {x}); }
Tensor digamma(const Tensor& x) { return make_op(std::make_shared<ops::Digamma>(), {x}); }

}  // namespace ed
