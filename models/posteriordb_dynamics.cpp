// The posteriordb posteriors built on the modelling blocks of #24 item 5: hidden Markov models
// (the forward algorithm, hmm_marginal), Gaussian processes with parameter-dependent covariance
// (through cholesky) and ODE models (ode_rk45, and ode_rosenbrock for the stiff one). Their
// data and reference summaries are in data/posteriordb/, imported from posteriordb by
// scripts/data/import_posteriordb.py; each model is written from its Stan program's
// mathematics.
#include <cmath>
#include <string>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/distributions.hpp"
#include "edpp/models/posteriordb.hpp"

namespace ed::models::detail {

namespace {

// The names "theta[1]", …, "theta[n]".
std::vector<std::string> indexed(const std::string& name, Index n) {
  std::vector<std::string> out;
  for (Index i = 1; i <= n; ++i) out.push_back(name + "[" + std::to_string(i) + "]");
  return out;
}

// Every element (column-major) of each latent, in order, as iterations × chains draws.
std::function<std::vector<Matrix>(const MonteCarlo&)> elements_of(
    std::vector<RandomVariable> latents) {
  return [latents](const MonteCarlo& mc) {
    std::vector<Matrix> out;
    for (const RandomVariable& z : latents) {
      const Shape s = z.value().shape();
      for (Index k = 0; k < s.rows * s.cols; ++k) out.push_back(mc.draws_by_chain(z, k));
    }
    return out;
  };
}

// A K-state HMM's transition matrix from its rows (each a 1×K simplex).
Tensor transition_matrix(const std::vector<RandomVariable>& rows) {
  std::vector<Tensor> r(rows.begin(), rows.end());
  return concat(r, 0);
}

// log p(y) with the states summed out; Stan's programs start the forward recursion without an
// initial distribution, which is the uniform one up to a constant.
Tensor hmm_log_likelihood(const Tensor& log_emissions_nk, const Tensor& gamma, Index k) {
  return hmm_marginal(transpose(log_emissions_nk), gamma,
                      constant(Matrix::Constant(k, 1, 1.0 / static_cast<double>(k))));
}

Posterior hmm_example(const JsonData& data) {
  const Matrix& y = field(data, "y");
  const Index k = 2;
  const Dirichlet theta1(Matrix::Ones(1, k)), theta2(Matrix::Ones(1, k));
  const Flat mu(1, k, Support::positive_ordered());
  // mu[1] ~ N(3, 1), mu[2] ~ N(10, 1), added to the density as Stan's target +=.
  ed::factor(sum(Normal(constant((Matrix(1, 2) << 3.0, 10.0).finished()), 1.0).log_prob(mu)));
  ed::factor(hmm_log_likelihood(Normal(mu, 1.0).log_prob(constant(y)),
                                transition_matrix({theta1, theta2}), k));
  Posterior p;
  p.latents = {theta1, theta2, mu};
  p.names = {"theta1[1]", "theta1[2]", "theta2[1]", "theta2[2]", "mu[1]", "mu[2]"};
  p.parameters = elements_of({theta1, theta2, mu});
  return p;
}

// Drive events as a two-state HMM: transition rows with Dirichlet(alpha) priors, ordered
// emission parameters with N(0, 1) and N(3, 1) priors. Event 0's emissions are exponential
// (positive_ordered rates); event 1's normal (ordered means, standard deviations tau and rho).
Posterior hmm_drive(const JsonData& data, bool normal_emissions) {
  const Matrix &u = field(data, "u"), &v = field(data, "v"), &alpha = field(data, "alpha");
  const Index k = 2;
  if (alpha.rows() != k || alpha.cols() != k) {
    throw ed::invalid_argument("posteriordb hmm_drive: alpha must be 2×2");
  }
  const Dirichlet theta1(Matrix(alpha.row(0))), theta2(Matrix(alpha.row(1)));
  const Support order = normal_emissions ? Support::ordered() : Support::positive_ordered();
  const Flat phi(1, k, order), lambda(1, k, order);
  const Tensor prior_means = constant((Matrix(1, 2) << 0.0, 3.0).finished());
  ed::factor(sum(Normal(prior_means, 1.0).log_prob(phi)) +
             sum(Normal(prior_means, 1.0).log_prob(lambda)));
  const Tensor emissions =
      normal_emissions
          ? Normal(phi, field(data, "tau")(0, 0)).log_prob(constant(u)) +
                Normal(lambda, field(data, "rho")(0, 0)).log_prob(constant(v))
          : Exponential(phi).log_prob(constant(u)) + Exponential(lambda).log_prob(constant(v));
  ed::factor(hmm_log_likelihood(emissions, transition_matrix({theta1, theta2}), k));
  Posterior p;
  p.latents = {theta1, theta2, phi, lambda};
  p.names = {"theta1[1]", "theta1[2]", "theta2[1]", "theta2[2]",
             "phi[1]",    "phi[2]",    "lambda[1]", "lambda[2]"};
  p.parameters = elements_of({theta1, theta2, phi, lambda});
  return p;
}

Posterior gp_regr(const JsonData& data) {
  const Matrix &x = field(data, "x"), &y = field(data, "y");
  const Index n = x.rows();
  const Gamma rho(25.0, 4.0);
  const HalfNormal alpha(2.0), sigma(1.0);
  // Stan's program adds σ (not σ²) to the diagonal.
  const Tensor cov = add_diag(gp_exp_quad_cov(x, alpha, rho), sigma);
  const MultivariateNormalFullCovariance obs(constant(Matrix::Zero(1, n)), cov);
  Posterior p;
  p.latents = {rho, alpha, sigma};
  p.data = {{obs, Matrix(y.transpose())}};
  p.names = {"rho", "alpha", "sigma"};
  p.parameters = elements_of({rho, alpha, sigma});
  return p;
}

Posterior gp_pois_regr(const JsonData& data) {
  const Matrix &x = field(data, "x"), &counts = field(data, "k");
  const Index n = x.rows();
  const Gamma rho(25.0, 4.0);
  const HalfNormal alpha(2.0);
  const Normal f_tilde(Matrix::Zero(n, 1), 1.0);
  const Tensor l = cholesky(add_diag(gp_exp_quad_cov(x, alpha, rho), 1e-10));
  const Tensor f = ed::deterministic("f", matmul(l, f_tilde));
  const PoissonLog obs(f);  // Stan's poisson_log(f)
  Posterior p;
  p.latents = {rho, alpha, f_tilde};
  p.data = {{obs, counts}};
  p.names = {"rho", "alpha"};
  for (const std::string& name : indexed("f", n)) p.names.push_back(name);
  p.parameters = [rho, alpha, n](const MonteCarlo& mc) {
    std::vector<Matrix> out = {mc.draws_by_chain(rho, 0), mc.draws_by_chain(alpha, 0)};
    const int chains = mc.num_chains();
    for (Index i = 0; i < n; ++i) {
      Matrix by_chain;
      for (int c = 0; c < chains; ++c) {
        const Matrix d = mc.draws("f", c);
        if (by_chain.size() == 0) by_chain.resize(d.rows(), chains);
        by_chain.col(c) = d.col(i);
      }
      out.push_back(by_chain);
    }
    return out;
  };
  return p;
}

// du/dt = (α − βv)u, dv/dt = (−γ + δu)v.
Tensor lotka_volterra_rhs(const Tensor&, const Tensor& z, const Tensor& theta) {
  const Tensor u = col(z, 0), v = col(z, 1);
  return concat({(col(theta, 0) - col(theta, 1) * v) * u, (col(theta, 3) * u - col(theta, 2)) * v},
                1);
}

Posterior lotka_volterra(const JsonData& data) {
  const Matrix &ts = field(data, "ts"), &y_init = field(data, "y_init"), &y = field(data, "y");
  const HalfFlat theta(1, 4);
  // θ₁, θ₃ ~ N(1, 0.5) and θ₂, θ₄ ~ N(0.05, 0.05), on θ > 0.
  ed::factor(sum(Normal(constant((Matrix(1, 4) << 1.0, 0.05, 1.0, 0.05).finished()),
                        constant((Matrix(1, 4) << 0.5, 0.05, 0.5, 0.05).finished()))
                     .log_prob(theta)));
  const LogNormal z_init(Matrix::Constant(1, 2, std::log(10.0)), 1.0);
  const LogNormal sigma(Matrix::Constant(1, 2, -1.0), 1.0);
  const std::vector<double> times(ts.data(), ts.data() + ts.size());
  // Stan's tolerances for this posterior: relative 1e-5, absolute 1e-3.
  const Tensor z =
      ode_rk45(lotka_volterra_rhs, z_init, 0.0, times, theta,
               {.relative_tolerance = 1e-5, .absolute_tolerance = 1e-3, .max_num_steps = 100000});
  const LogNormal obs_init(log(z_init), sigma), obs(log(z), sigma);
  Posterior p;
  p.latents = {theta, z_init, sigma};
  p.data = {{obs_init, Matrix(y_init.transpose())}, {obs, y}};
  p.names = {"theta[1]",  "theta[2]",  "theta[3]", "theta[4]",
             "z_init[1]", "z_init[2]", "sigma[1]", "sigma[2]"};
  p.parameters = elements_of({theta, z_init, sigma});
  return p;
}

Posterior one_comp_mm_elim_abs(const JsonData& data) {
  const double t0 = field(data, "t0")(0, 0), dose = field(data, "D")(0, 0),
               volume = field(data, "V")(0, 0);
  const Matrix &times_m = field(data, "times"), &c_hat = field(data, "C_hat");
  const HalfCauchy k_a(1.0), k_m(1.0), v_m(1.0), sigma(1.0);
  // dC/dt = e^(−k_a t) D k_a / V − (V_m/V) C/(K_m + C): absorption, then Michaelis–Menten
  // elimination. Stiff (Stan's program uses its BDF solver): the Rosenbrock method here.
  auto rhs = [dose, volume](const Tensor& t, const Tensor& c, const Tensor& theta) {
    const Tensor ka = col(theta, 0), km = col(theta, 1), vm = col(theta, 2);
    return exp(-ka * t) * ka * (dose / volume) - (vm / volume) * c / (km + c);
  };
  const std::vector<double> times(times_m.data(), times_m.data() + times_m.size());
  const Tensor c =
      ode_rosenbrock(rhs, constant(Matrix::Zero(1, 1)), t0, times, concat({k_a, k_m, v_m}, 1));
  const LogNormal obs(log(c), sigma);
  Posterior p;
  p.latents = {k_a, k_m, v_m, sigma};
  p.data = {{obs, c_hat}};
  p.names = {"k_a", "K_m", "V_m", "sigma"};
  p.parameters = elements_of({k_a, k_m, v_m, sigma});
  return p;
}

}  // namespace

std::optional<Posterior> dynamics_model(const std::string& name, const JsonData& data) {
  if (name == "hmm_example-hmm_example") return hmm_example(data);
  if (name == "bball_drive_event_0-hmm_drive_0") return hmm_drive(data, false);
  if (name == "bball_drive_event_1-hmm_drive_1") return hmm_drive(data, true);
  if (name == "gp_pois_regr-gp_regr") return gp_regr(data);
  if (name == "gp_pois_regr-gp_pois_regr") return gp_pois_regr(data);
  if (name == "hudson_lynx_hare-lotka_volterra") return lotka_volterra(data);
  if (name == "one_comp_mm_elim_abs-one_comp_mm_elim_abs") return one_comp_mm_elim_abs(data);
  return std::nullopt;
}

std::vector<std::string> dynamics_models() {
  return {"hmm_example-hmm_example",
          "bball_drive_event_0-hmm_drive_0",
          "bball_drive_event_1-hmm_drive_1",
          "gp_pois_regr-gp_regr",
          "gp_pois_regr-gp_pois_regr",
          "hudson_lynx_hare-lotka_volterra",
          "one_comp_mm_elim_abs-one_comp_mm_elim_abs"};
}

}  // namespace ed::models::detail
