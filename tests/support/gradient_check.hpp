// Test helpers: gradients against central differences, and seeded random inputs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <edpp/edpp.hpp>

namespace ed::test {

/// An element passes when |analytic − numeric| ≤ abs + rel · max(|analytic|, |numeric|).
/// `step` is the finite-difference step; 0 means 1e-3 · max(1, |x|), which suits inputs whose
/// scale grows with their size (scales, rates). Shift-invariant functions at large inputs
/// (logits of 1e3) want a fixed step.
struct Tolerance {
  double rel = 1e-6;
  double abs = 1e-7;
  double step = 0.0;
};

using GraphFn = std::function<Tensor(const std::vector<Tensor>&)>;

/// Checks d/dx of L = Σ w ⊙ f(x) (w fixed random weights, so every output element counts)
/// against Richardson-extrapolated central differences, for every element of every input.
/// Each input becomes a variable; a failure reports `label`, the input, the element and both
/// values. Returns true when every element passed.
bool check_gradient(const GraphFn& f, const std::vector<Matrix>& inputs, Tolerance tol = {},
                    const std::string& label = "");

/// Matrices of the given shapes, uniform on [low, high], from a fixed seed.
std::vector<Matrix> random_inputs(const std::vector<Shape>& shapes, std::uint64_t seed,
                                  double low = -2.0, double high = 2.0);

/// The four broadcast shapes of an R×C value: 1×1, 1×C, R×1 and R×C.
std::vector<Shape> broadcast_variants(Index rows, Index cols);

/// The Jacobian of `out` (every element, column-major) in `wrt` (every element), by reverse
/// mode: one backward pass per output element, through sum(w ⊙ out) with w its indicator.
Matrix reverse_jacobian(const Tensor& out, const Tensor& wrt);

/// Matrices are equal to within abs + rel·|expected| elementwise (NaN matches NaN, inf matches
/// the same inf); on failure the message shows both.
bool all_close(const Matrix& actual, const Matrix& expected, double rel = 1e-12, double abs = 0.0);

}  // namespace ed::test
