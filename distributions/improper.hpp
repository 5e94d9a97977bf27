// Improper flat priors, as Stan's unbounded parameters without a prior statement.
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// Flat(rows, cols): the improper uniform prior on its support (ℝ by default; any continuous
/// support, e.g. Support::ordered() for cutpoints): log density 0 inside, −inf outside. It has
/// no draws, so it is usable only as a latent variable of an inference (MAP over a Flat latent
/// is maximum likelihood); running its value outside one throws, naming it.
class Flat : public RandomVariable {
 public:
  Flat(Index rows, Index cols, Support support = Support::real());
};

/// HalfFlat(rows, cols): the improper uniform prior on (0, ∞), as Flat.
class HalfFlat : public RandomVariable {
 public:
  HalfFlat(Index rows, Index cols);
};

}  // namespace ed
