// MonteCarlo: algorithms that produce draws of the latent variables (Edward's ed.MonteCarlo):
// the base of NUTS, HMC, Metropolis–Hastings and SGLD.
#pragma once

#include <Eigen/Core>

#include <memory>
#include <string>
#include <vector>

#include "inference/inference.hpp"

namespace ed {

/// Draws of the latent variables from the posterior. A subclass says only how one draw is made
/// (`draw`), moving the state — every latent on its unconstrained scale, stacked column-major
/// into one vector — with the help of the target's log density and gradient:
///   log p(z(u), x) + Σ log |det ∂z/∂u|,
/// the model's log joint at the constrained values plus the log Jacobian of each latent's
/// bijector (so the draws of u, mapped by the bijectors, are draws of z).
/// The base records each draw on the constrained scale and the acceptance rates, and writes
/// the draws into each latent's `Empirical` when one is given (`{{z, qz}}`, Edward's form):
/// row t of its params is draw t, as soon as the params have that many rows, and all of them,
/// the variable resized, at finalize().
class MonteCarlo : public Inference {
 public:
  /// The draws of `z` so far on its constrained scale: row t is draw t, flattened column-major.
  /// @throws ed::invalid_argument when z is not a latent variable of this inference.
  Matrix draws(const RandomVariable& z) const;
  /// The mean acceptance probability of the draws so far (NaN before the first).
  double acceptance_rate() const;
  /// The dimension of the unconstrained state.
  Index dimension() const;
  /// Writes every draw so far into the latents' Empirical approximations (their params
  /// variable resized to draws × size); run() calls it at the end.
  void finalize(const Feed& feed = {}) override;

 protected:
  MonteCarlo(std::string name, std::vector<LatentPair> latent, Data data);
  ~MonteCarlo() override;

  /// Checks the bindings, compiles the target and sets the starting state: `init` entries, else
  /// uniform on (−2, 2) on the unconstrained scale (Stan's default).
  void initialize_monte_carlo(const CommonOptions& common);

  /// Moves the state to the next draw and returns the acceptance probability of the move.
  virtual double draw(const Feed& feed, Rng& rng) = 0;

  /// The current state (unconstrained, stacked).
  Eigen::VectorXd& position();
  /// The target's log density at `u`. @throws ed::invalid_argument on a missing feed.
  double log_density(const Eigen::VectorXd& u, const Feed& feed);
  /// The same, with its gradient in `gradient` (sized by the call).
  double log_density_and_gradient(const Eigen::VectorXd& u, Eigen::VectorXd& gradient,
                                  const Feed& feed);

  Info do_update(const Feed& feed) override;
  double do_loss(const Feed& feed) override;
  std::vector<Tensor> state_variables() override;
  void after_load() override;

 private:
  struct State;
  void set_state(const Eigen::VectorXd& u);
  std::unique_ptr<State> state_;
};

}  // namespace ed
