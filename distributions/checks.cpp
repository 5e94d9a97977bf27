// The Check op and the shared error messages of parameter and data validation.
#include "edpp/distributions/checks.hpp"

#include <Eigen/Core>

#include <cmath>
#include <sstream>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/shape.hpp"

namespace ed::detail {

namespace {

class Check final : public Op {
 public:
  Check(Support support, std::string family, std::string param)
      : support_(std::move(support)), family_(std::move(family)), param_(std::move(param)) {}
  std::string_view name() const override { return "check"; }
  // Elementwise and row sets are row-local; a whole-matrix set (a Cholesky factor) is not.
  bool is_row_local(Shapes, std::span<const bool>) const override {
    return support_.set().is_row_local();
  }
  Shape shape(Shapes in) const override { return in[0]; }
  std::optional<Matrix> inverse(const Matrix& out) const override { return out; }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Matrix& x = in[0];
    if (!support_.set().contains_all(x)) {
      std::optional<std::pair<Index, Index>> bad;
      try {
        bad = support_.set().first_violation(x);
      } catch (const ed::invalid_argument& e) {  // a matrix of the wrong shape for the set
        throw ed::invalid_argument(family_ + ": " + param_ + " " + e.what());
      }
      if (bad) {
        const auto [i, j] = *bad;
        fail_constraint(family_, param_, i, j, x(i, j), support_.set().requirement(i, j));
      }
    }
    out = x;
  }
  // The identity: the gradient passes straight through.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    *din[0] += dout;
  }

 private:
  Support support_;
  std::string family_, param_;
};

}  // namespace

Tensor check(const Tensor& x, const Support& support, std::string_view family,
             std::string_view param) {
  return make_op(std::make_shared<Check>(support, std::string(family), std::string(param)), {x});
}

void fail_constraint(std::string_view family, std::string_view param, Index row, Index col,
                     double value, std::string_view requirement) {
  std::ostringstream msg;
  msg << family << ": " << param << "[" << row << ", " << col << "] is " << value
      << ", but must be " << requirement;
  throw ed::invalid_argument(msg.str());
}

Shape broadcast_params(std::string_view family, std::string_view name_a, const Tensor& a,
                       std::string_view name_b, const Tensor& b) {
  if (!a || !b) {
    throw ed::invalid_argument(std::string(family) + ": a parameter Tensor is empty");
  }
  const auto shape = try_broadcast(a.shape(), b.shape());
  if (!shape) {
    throw ed::invalid_argument(std::string(family) + ": " + std::string(name_a) + " " +
                               to_string(a.shape()) + " and " + std::string(name_b) + " " +
                               to_string(b.shape()) + " do not broadcast");
  }
  return *shape;
}

}  // namespace ed::detail
