// Hidden Markov models with the hidden states summed out: Stan's hmm_marginal.
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed {

/// log p(y) of a hidden Markov model with K states over N steps, the states marginalised by
/// the forward algorithm (Stan's hmm_marginal, same argument order and shapes):
///  - `log_omega` K×N: log p(y_n | z_n = k), the emission log densities;
///  - `Gamma` K×K: the transition matrix, Gamma(i, j) = p(z_{n+1} = j | z_n = i) (rows sum to 1);
///  - `rho` K×1: the initial distribution p(z_1 = k).
/// Returns 1×1. Computed in log space (no underflow over long sequences); the gradient comes
/// from the backward pass (posterior marginals and expected transitions), O(N K²) both ways.
/// @throws ed::invalid_argument when the shapes do not fit.
Tensor hmm_marginal(const Tensor& log_omega, const Tensor& Gamma, const Tensor& rho);

}  // namespace ed
