// InDomain and Between indicator ops.
#include "distributions/domain.hpp"

#include <cmath>
#include <limits>

#include "core/op.hpp"
#include "core/ops.hpp"
#include "core/ops/broadcast.hpp"

namespace ed {
namespace ops {

class InDomain final : public Op {
 public:
  explicit InDomain(detail::Domain domain) : domain_(domain) {}
  std::string_view name() const override { return "in_domain"; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return true; }
  Shape shape(Shapes in) const override {
    return domain_ == detail::Domain::simplex ? Shape{in[0].rows, 1} : in[0];
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    using detail::Domain;
    const auto x = in[0].array();
    switch (domain_) {
      case Domain::real:
        out = (x == x).cast<double>();
        break;
      case Domain::positive:
        out = (x > 0.0).cast<double>();
        break;
      case Domain::nonnegative:
        out = (x >= 0.0).cast<double>();
        break;
      case Domain::unit:
        out = (x >= 0.0 && x <= 1.0).cast<double>();
        break;
      case Domain::count:
        out = (x >= 0.0 && x == x.floor() && x.isFinite()).cast<double>();
        break;
      case Domain::binary:
        out = (x == 0.0 || x == 1.0).cast<double>();
        break;
      case Domain::simplex: {
        // Sums are compared with a tolerance of a few ulps per entry.
        const double tolerance = 1e-12 * std::max<Index>(1, in[0].cols());
        for (Index i = 0; i < in[0].rows(); ++i) {
          const auto row = in[0].row(i).array();
          out(i, 0) = ((row >= 0.0).all() && std::abs(row.sum() - 1.0) <= tolerance) ? 1.0 : 0.0;
        }
        break;
      }
    }
  }
  void backward(Inputs, const Matrix&, const Matrix&, Grads, OpContext&) const override {}

 private:
  detail::Domain domain_;
};

class Between final : public Op {
 public:
  std::string_view name() const override { return "between"; }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }
  Shape shape(Shapes in) const override {
    return detail::broadcast_shapes(name(), detail::broadcast_shapes(name(), in[0], in[1]), in[2]);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    auto at = [](const Matrix& m, Index i, Index j) {
      return m(m.rows() == 1 ? 0 : i, m.cols() == 1 ? 0 : j);
    };
    for (Index j = 0; j < out.cols(); ++j) {
      for (Index i = 0; i < out.rows(); ++i) {
        const double x = at(in[0], i, j);
        out(i, j) = (x >= at(in[1], i, j) && x <= at(in[2], i, j)) ? 1.0 : 0.0;
      }
    }
  }
  void backward(Inputs, const Matrix&, const Matrix&, Grads, OpContext&) const override {}
};

}  // namespace ops

namespace detail {
Tensor in_domain(const Tensor& x, Domain domain) {
  return make_op(std::make_shared<ops::InDomain>(domain), {x});
}
Tensor between(const Tensor& x, const Tensor& low, const Tensor& high) {
  return make_op(std::make_shared<ops::Between>(), {x, low, high});
}
Tensor restrict_to(const Tensor& log_density, const Tensor& inside) {
  return where(inside, log_density, -std::numeric_limits<double>::infinity());
}
}  // namespace detail

}  // namespace ed
