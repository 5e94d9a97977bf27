// First-order linear recurrences as one op: a bidiagonal solve in O(T).
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed {

/// e with e_0 = r_0 and e_t = r_t + a·e_{t−1} down each column of r (T×C), for a 1×1 a: the
/// solution of the bidiagonal system (I − aS) e = r, S the sub-diagonal shift, in O(T) rather
/// than a dense triangular solve's O(T²). An ARMA model's one-step errors are one (arma11:
/// a = −θ); the gradient in r and a comes from the adjoint recurrence run backwards,
/// ḡ_t = dout_t + a·ḡ_{t+1}, ∂/∂r_t = ḡ_t, ∂/∂a = Σ_t ḡ_t e_{t−1}.
/// @throws ed::invalid_argument when a is not 1×1.
Tensor linear_recurrence(const Tensor& r, const Tensor& a);

}  // namespace ed
