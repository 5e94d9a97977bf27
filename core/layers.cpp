// dense() and the Glorot-uniform initialiser.
#include "edpp/core/layers.hpp"

#include <boost/random/uniform_real_distribution.hpp>

#include <atomic>
#include <cmath>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops/arithmetic.hpp"
#include "edpp/core/ops/matmul.hpp"
#include "edpp/core/rng.hpp"

namespace ed {

namespace {
// Default layer names count up from dense_0 (names only: randomness comes from core/seed.hpp).
std::atomic<int> layer_counter{0};
}  // namespace

Matrix glorot_uniform(Index fan_in, Index fan_out) {
  Rng rng(detail::next_seed());
  return glorot_uniform(fan_in, fan_out, rng);
}

Matrix glorot_uniform(Index fan_in, Index fan_out, Rng& rng) {
  const double limit = std::sqrt(6.0 / static_cast<double>(fan_in + fan_out));
  boost::random::uniform_real_distribution<double> uniform(-limit, limit);
  Matrix w(fan_in, fan_out);
  // Filled row by row (TensorFlow's row-major order), so a seed gives the same layout as a
  // row-major draw would.
  for (Index i = 0; i < fan_in; ++i) {
    for (Index j = 0; j < fan_out; ++j) w(i, j) = uniform(rng.engine());
  }
  return w;
}

Tensor dense(const Tensor& x, Index units, Activation activation, const std::string& name) {
  const std::string layer = name.empty() ? "dense_" + std::to_string(layer_counter++) : name;
  if (units < 1) {
    throw ed::invalid_argument("dense '" + layer + "': units must be at least 1, got " +
                               std::to_string(units));
  }
  const Index in = x.shape().cols;
  if (in == Dynamic) {
    throw ed::invalid_argument("dense '" + layer +
                               "': the input's column count must be known when the layer is built");
  }
  const Tensor kernel = variable(glorot_uniform(in, units), layer + "/kernel");
  const Tensor bias = variable(Matrix::Zero(1, units), layer + "/bias");
  const Tensor pre = named(affine(x, kernel, bias), layer);
  if (!activation) return pre;
  const Tensor out = activation(pre);
  return out == pre ? out : named(out, layer);
}

}  // namespace ed
