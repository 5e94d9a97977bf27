// Squared distances and the RBF kernel as compositions of whole-matrix ops; Stan's
// gp_exp_quad_cov as one op.
#include "edpp/core/ops/kernels.hpp"

#include <cmath>
#include <sstream>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops/arithmetic.hpp"
#include "edpp/core/ops/matmul.hpp"
#include "edpp/core/ops/reduce.hpp"
#include "edpp/core/ops/select.hpp"
#include "edpp/core/ops/unary.hpp"
#include "edpp/core/shape.hpp"
#include "edpp/core/simd/kernels.hpp"

namespace ed {

namespace {
// Rows of X and X2 are points of one space: their column counts must agree.
void check_same_columns(const char* who, const Tensor& X, const Tensor& X2) {
  const Shape a = X.shape(), b = X2.shape();
  if (a.cols != Dynamic && b.cols != Dynamic && a.cols != b.cols) {
    throw ed::invalid_argument(std::string(who) + ": the inputs have " + std::to_string(a.cols) +
                               " and " + std::to_string(b.cols) + " columns (shapes " +
                               to_string(a) + " and " + to_string(b) + ")");
  }
}
}  // namespace

namespace ops {

/// Inputs α and ρ (1 × 1); the data's squared distances D are kept by the op. Scratch 0 holds
/// E = exp(−D / (2ρ²)), so that K = α² E.
class GpExpQuadCov final : public Op {
 public:
  explicit GpExpQuadCov(Matrix squared_distances) : d2_(std::move(squared_distances)) {}
  std::string_view name() const override { return "gp_exp_quad_cov"; }
  Shape shape(Shapes in) const override {
    for (int k = 0; k < 2; ++k) {
      if (in[k] != Shape{1, 1}) {
        detail::fail(name(), std::string(k == 0 ? "alpha" : "rho") + " must be 1×1, got " +
                                 to_string(in[k]));
      }
    }
    return {d2_.rows(), d2_.cols()};
  }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    const double alpha = in[0](0, 0), rho = in[1](0, 0);
    if (!(rho > 0.0) || !std::isfinite(rho)) {
      std::ostringstream what;
      what << "rho must be positive and finite, got " << rho;
      detail::fail(name(), what.str());
    }
    ctx.scratch.resize(1);
    Matrix& e = ctx.scratch[0];
    e = d2_ * (-0.5 / (rho * rho));
    simd::kernels().exp(e.size(), e.data(), e.data());  // Eigen's own exp is not vectorised here
    out = (alpha * alpha) * e;
  }
  // ∂K/∂α = 2α E, ∂K/∂ρ = K ⊙ D / ρ³.
  void backward(Inputs in, const Matrix& out, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const double alpha = in[0](0, 0), rho = in[1](0, 0);
    if (din[0]) (*din[0])(0, 0) += 2.0 * alpha * (dout.array() * ctx.scratch[0].array()).sum();
    if (din[1]) {
      (*din[1])(0, 0) += (dout.array() * out.array() * d2_.array()).sum() / (rho * rho * rho);
    }
  }

 private:
  Matrix d2_;
};

}  // namespace ops

Tensor squared_distances(const Tensor& X, const Tensor& X2) {
  check_same_columns("squared_distances", X, X2);
  // ‖x_i − x2_j‖² = ‖x_i‖² + ‖x2_j‖² − 2 x_i·x2_j: an n × 1 plus a 1 × m minus a product.
  const Tensor squared =
      sum(square(X), 1) + transpose(sum(square(X2), 1)) - 2.0 * matmul(X, transpose(X2));
  return maximum(squared, 0.0);
}

Tensor rbf(const Tensor& X, const Tensor& X2, const Tensor& lengthscale, const Tensor& variance) {
  check_same_columns("rbf", X, X2);
  return variance * exp(-0.5 * squared_distances(X / lengthscale, X2 / lengthscale));
}

Tensor rbf(const Tensor& X) { return rbf(X, X); }

Tensor gp_exp_quad_cov(const Matrix& x, const Tensor& alpha, const Tensor& rho) {
  if (!x.allFinite()) {
    throw ed::invalid_argument("gp_exp_quad_cov: the inputs x must be finite");
  }
  const Index n = x.rows();
  Matrix d2(n, n);
  for (Index j = 0; j < n; ++j) {
    for (Index i = 0; i < n; ++i) d2(i, j) = (x.row(i) - x.row(j)).squaredNorm();
  }
  return make_op(std::make_shared<ops::GpExpQuadCov>(std::move(d2)), {alpha, rho});
}

}  // namespace ed
