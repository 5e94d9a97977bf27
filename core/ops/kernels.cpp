// Squared distances and the RBF kernel as compositions of whole-matrix ops.
#include "edpp/core/ops/kernels.hpp"

#include "edpp/core/errors.hpp"
#include "edpp/core/ops/arithmetic.hpp"
#include "edpp/core/ops/matmul.hpp"
#include "edpp/core/ops/reduce.hpp"
#include "edpp/core/ops/select.hpp"
#include "edpp/core/ops/unary.hpp"

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

}  // namespace ed
