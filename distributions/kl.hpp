// Closed-form KL divergences between families, as a registry keyed by the two families' names
// (NumPyro's distributions/kl.py): KLqp's analytic-KL estimator looks them up, and a family
// added through ed::extend registers its own.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// KL(q ‖ p) elementwise (the broadcast shape of the two families' parameters; one value per
/// row for multivariate families), in closed form when a rule is registered for the pair of
/// families, nothing otherwise. Registered here: Normal–Normal, Gamma–Gamma.
std::optional<Tensor> kl_divergence(const RandomVariable& q, const RandomVariable& p);

namespace extend {

/// KL(q ‖ p) from the two distributions' parameters, each in its constructor order
/// (Distribution::params()).
using KlRule =
    std::function<Tensor(const std::vector<Tensor>& q_params, const std::vector<Tensor>& p_params)>;

/// Registers the closed form of KL(q ‖ p) for q of family `q_family` and p of `p_family` (their
/// Distribution::name()), replacing any rule for that pair. Safe from any thread.
void register_kl(const std::string& q_family, const std::string& p_family, KlRule rule);

}  // namespace extend

}  // namespace ed
