// The RBF kernel as a composition of whole-matrix ops.
#include "core/ops/kernels.hpp"

#include "core/errors.hpp"
#include "core/ops/arithmetic.hpp"
#include "core/ops/matmul.hpp"
#include "core/ops/reduce.hpp"
#include "core/ops/select.hpp"
#include "core/ops/unary.hpp"

namespace ed {

Tensor rbf(const Tensor& X, const Tensor& X2, const Tensor& lengthscale, const Tensor& variance) {
  const Shape a = X.shape(), b = X2.shape();
  if (a.cols != Dynamic && b.cols != Dynamic && a.cols != b.cols) {
    throw ed::invalid_argument("rbf: the inputs have " + std::to_string(a.cols) + " and " +
                               std::to_string(b.cols) + " columns (shapes " + to_string(a) +
                               " and " + to_string(b) + ")");
  }
  const Tensor u = X / lengthscale, v = X2 / lengthscale;
  // ‖u_i − v_j‖² = ‖u_i‖² + ‖v_j‖² − 2 u_i·v_j: an n × 1 plus a 1 × m minus a product.
  const Tensor squared =
      sum(square(u), 1) + transpose(sum(square(v), 1)) - 2.0 * matmul(u, transpose(v));
  return variance * exp(-0.5 * maximum(squared, 0.0));
}

Tensor rbf(const Tensor& X) { return rbf(X, X); }

}  // namespace ed
