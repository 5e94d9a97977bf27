// The numeric side of complete_conditional: the natural parameters of a latent's conditional,
// read off the gradient of its children's log density at a few probe points.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "edpp/core/program.hpp"
#include "edpp/core/rng.hpp"

namespace ed::detail {

/// The conditional family that a prior and its conjugate children give, with how its
/// parameters are packed into one matrix (rows stacked, so slice_rows takes each out).
enum class ConditionalForm {
  normal,         ///< loc; scale — elementwise, z's shape each
  normal_full,    ///< loc (1×d); covariance (d×d) — z flattened column-major
  gamma,          ///< concentration; rate
  inverse_gamma,  ///< concentration; scale
  beta,           ///< concentration1; concentration0
  dirichlet,      ///< concentration, one row per row of z
  categorical,    ///< logits, one row per row of z (K columns)
  bernoulli,      ///< logits, z's shape
};

/// Note [Conjugacy by probing]: when a latent z's prior is in an exponential family with
/// sufficient statistics T(z) and its children are conjugate, the children's log density is
/// linear in T: L(z) = Σ_e ⟨η_e, T(z_e)⟩ + const, so its gradient ∂L/∂z_e = ⟨η_e, T′(z_e)⟩.
/// Reverse mode gives that gradient for every element at once: two probe points determine η
/// (one per sufficient statistic), and a third, random per element, verifies the form —
/// catching a child that is not conjugate or elements that interact (Edward finds η
/// symbolically, as the gradient with respect to sufficient-statistic placeholders; this is the
/// same number, found without rewriting the graph). The conditional's natural parameters are
/// the prior's plus η. For a Normal prior whose elements interact (regression coefficients)
/// the Hessian is read column by column instead, giving a multivariate normal. Discrete latents
/// (Categorical, Bernoulli) enumerate their values: L is evaluated row by row at every label.
class ConjugateUpdate {
 public:
  struct Setup {
    ConditionalForm form;
    std::string latent;            ///< "Normal 'mu' [1, 1]", for errors
    Shape shape;                   ///< z's shape
    Index categories = 0;          ///< K for categorical
    std::vector<Tensor> children;  ///< each child's elementwise log density at its value
    std::vector<std::string> child_names;
    Tensor prior_term;  ///< discrete latents: the prior's log mass at z (row-wise), else empty
    Tensor z;           ///< the latent's value node
    std::vector<Tensor> inputs;  ///< conditioning nodes, fed as op inputs after the prior's
    std::size_t prior_params = 0;
  };

  explicit ConjugateUpdate(Setup setup);
  ~ConjugateUpdate();

  /// The packed parameters of the conditional, given the prior's parameters and the inputs'
  /// values (in Setup order). @throws ed::invalid_argument naming the child that is not
  /// conjugate, or when the conditional is improper.
  void compute(const std::vector<const Matrix*>& prior, const std::vector<const Matrix*>& inputs,
               Matrix& out, Rng& rng);
  /// The packed shape of compute()'s output.
  Shape packed_shape() const;
  const Setup& setup() const { return setup_; }

 private:
  struct Probe;
  void compute_locked(const std::vector<const Matrix*>& prior,
                      const std::vector<const Matrix*>& inputs, Matrix& out, Rng& rng);
  [[noreturn]] void not_conjugate(const std::string& form, const std::vector<const Matrix*>& in,
                                  Rng& rng);

  Setup setup_;
  std::unique_ptr<Probe> probe_;  // the children's log density and its gradient in z
  std::mutex mutex_;              // one op may be shared by programs on several threads
};

}  // namespace ed::detail
