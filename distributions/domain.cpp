// InDomain and Between indicator ops.
#include "edpp/distributions/domain.hpp"

#include <cmath>
#include <limits>

#include "edpp/core/op.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/ops/broadcast.hpp"

namespace ed {
namespace ops {

class InDomain final : public Op {
 public:
  explicit InDomain(Support support) : support_(std::move(support)) {}
  std::string_view name() const override { return "in_domain"; }
  bool is_row_local(Shapes, std::span<const bool>) const override {
    return support_.set().is_row_local();
  }
  Shape shape(Shapes in) const override {
    return support_.set().per_row() ? Shape{in[0].rows, 1} : in[0];
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    support_.set().indicate(in[0], out);
  }
  void backward(Inputs, const Matrix&, const Matrix&, Grads, OpContext&) const override {}

 private:
  Support support_;
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
      return m.data()[detail::broadcast_index(m, i, j)];
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
Tensor in_domain(const Tensor& x, const Support& support) {
  return make_op(std::make_shared<ops::InDomain>(support), {x});
}
Tensor between(const Tensor& x, const Tensor& low, const Tensor& high) {
  return make_op(std::make_shared<ops::Between>(), {x, low, high});
}
Tensor restrict_to(const Tensor& log_density, const Tensor& inside) {
  return where(inside, log_density, -std::numeric_limits<double>::infinity());
}
}  // namespace detail

}  // namespace ed
