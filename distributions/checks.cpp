// The Check op and the shared error messages of parameter validation.
#include "distributions/checks.hpp"

#include <Eigen/Core>

#include <cmath>
#include <sstream>

#include "core/errors.hpp"
#include "core/op.hpp"
#include "core/shape.hpp"

namespace ed::detail {

namespace {

// What element (i, j) must be; only lower_cholesky depends on the position.
std::string_view requirement(Constraint c, Index i, Index j) {
  switch (c) {
    case Constraint::positive:
      return "positive";
    case Constraint::nonnegative:
      return "non-negative";
    case Constraint::probability:
      return "in [0, 1]";
    case Constraint::finite:
      return "finite";
    case Constraint::count:
      return "a non-negative integer";
    case Constraint::lower_cholesky:
      return j > i ? "0 (the matrix must be lower-triangular)" : (i == j ? "positive" : "finite");
  }
  return "";
}

bool satisfies(Constraint c, double x, Index i, Index j) {
  switch (c) {
    case Constraint::positive:
      return x > 0.0;
    case Constraint::nonnegative:
      return x >= 0.0;
    case Constraint::probability:
      return x >= 0.0 && x <= 1.0;
    case Constraint::finite:
      return std::isfinite(x);
    case Constraint::count:
      return x >= 0.0 && std::isfinite(x) && x == std::floor(x);
    case Constraint::lower_cholesky:
      return j > i ? x == 0.0 : (i == j ? x > 0.0 : std::isfinite(x));
  }
  return false;
}

// True when every element satisfies the constraint (NaN never does), in one vectorised pass.
bool all_satisfy(Constraint c, const Matrix& x) {
  const auto a = x.array();
  switch (c) {
    case Constraint::positive:
      return (a > 0.0).all();
    case Constraint::nonnegative:
      return (a >= 0.0).all();
    case Constraint::probability:
      return (a >= 0.0 && a <= 1.0).all();
    case Constraint::finite:
      return a.isFinite().all();
    case Constraint::count:
      return (a >= 0.0 && a.isFinite() && a == a.floor()).all();
    case Constraint::lower_cholesky:
      return x.rows() == x.cols() &&
             x.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().isZero(0.0) &&
             (x.diagonal().array() > 0.0).all() && a.isFinite().all();
  }
  return false;
}

class Check final : public Op {
 public:
  Check(Constraint constraint, std::string family, std::string param)
      : constraint_(constraint), family_(std::move(family)), param_(std::move(param)) {}
  std::string_view name() const override { return "check"; }
  // Elementwise, except the Cholesky check, which reads a whole matrix.
  bool is_row_local(Shapes, std::span<const bool>) const override {
    return constraint_ != Constraint::lower_cholesky;
  }
  Shape shape(Shapes in) const override { return in[0]; }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Matrix& x = in[0];
    if (!all_satisfy(constraint_, x)) {
      if (constraint_ == Constraint::lower_cholesky && x.rows() != x.cols()) {
        throw ed::invalid_argument(family_ + ": " + param_ + " must be square, got shape " +
                                   to_string(shape_of(x)));
      }
      for (Index j = 0; j < x.cols(); ++j) {
        for (Index i = 0; i < x.rows(); ++i) {
          if (!satisfies(constraint_, x(i, j), i, j)) {
            fail_constraint(family_, param_, i, j, x(i, j), requirement(constraint_, i, j));
          }
        }
      }
    }
    out = x;
  }
  // The identity: the gradient passes straight through.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    *din[0] += dout;
  }

 private:
  Constraint constraint_;
  std::string family_, param_;
};

}  // namespace

Tensor check(const Tensor& x, Constraint constraint, std::string_view family,
             std::string_view param) {
  return make_op(std::make_shared<Check>(constraint, std::string(family), std::string(param)), {x});
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
