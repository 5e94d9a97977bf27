// DirichletProcess (Edward's ed.DirichletProcess): draws from a random discrete distribution
// G ~ DP(α, H), by stick-breaking truncated at T atoms.
#pragma once

#include "edpp/distributions/bounded.hpp"
#include "edpp/distributions/categorical.hpp"
#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// The stick-breaking weights π (1×T) of sticks β (T−1 × 1, each in (0, 1)): π_t = β_t
/// Π_{s<t} (1 − β_s), the last weight taking what is left, so that π sums to 1.
Tensor stick_breaking_weights(const Tensor& sticks);

/// n draws from G ~ DP(concentration, base) (Sethuraman's construction, truncated at
/// `truncation` atoms): sticks β_t ~ Beta(1, α), atoms θ_t ~ base (T draws, one per row),
/// assignments z_i ~ Categorical(π), and the value row i = θ_{z_i}. Draws share atoms: two
/// draws are equal with probability 1/(1 + α), and each is marginally a draw of the base. The
/// truncation leaves (α/(1+α))^(T−1) of the mass to the last atom.
///
/// The draws are a deterministic function of atoms and assignments and have no density: for
/// inference, model data with a mixture over the atoms (a ParamMixture with weights()) and fit
/// the sticks, atoms and assignments (Gibbs draws each from its conditional).
class DirichletProcess : public RandomVariable {
 public:
  /// @param base  the base distribution, one draw per row of its value (1×D)
  DirichletProcess(const Tensor& concentration, const RandomVariable& base, Index n = 1,
                   Index truncation = 100);

  const Beta& sticks() const { return sticks_; }
  /// π from the sticks, 1×T.
  const Tensor& weights() const { return weights_; }
  /// The atoms, T×D: a random variable of the base family, one draw per row.
  const RandomVariable& atoms() const { return atoms_; }
  /// n×1 labels of the atoms.
  const Categorical& assignments() const { return assignments_; }

 private:
  struct Parts;
  explicit DirichletProcess(Parts parts);
  Beta sticks_;
  Tensor weights_;
  RandomVariable atoms_;
  Categorical assignments_;
};

}  // namespace ed
