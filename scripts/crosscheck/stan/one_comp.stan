// One compartment, first-order absorption of dose D into volume V, Michaelis–Menten
// elimination: dC/dt = exp(-k_a t) D k_a / V - (V_m / V) C / (K_m + C), C(t0) = 0; stiff, so
// the BDF solver; lognormal measurement errors. Tolerances 1e-6 (relative and absolute) and
// 10^6 steps, edpp's defaults and those of Stan's newer ode_bdf (one_comp_stan_tolerances.stan
// keeps integrate_ode_bdf's own defaults, 1e-10 and 10^8, as posteriordb's program does).
functions {
  real[] concentration_rate(real t, real[] c, real[] theta, real[] x_r, int[] x_i) {
    real dc[1];
    dc[1] = exp(-theta[1] * t) * x_r[1] * theta[1] / x_r[2]
            - (theta[3] / x_r[2]) * c[1] / (theta[2] + c[1]);
    return dc;
  }
}
data {
  real t0;
  real D;
  real V;
  int<lower=1> N_t;
  real times[N_t];
  real C_hat[N_t];
}
transformed data {
  real x_r[2] = {D, V};
  int x_i[0];
  real c0[1] = {0.0};
}
parameters {
  real<lower=0> k_a;
  real<lower=0> K_m;
  real<lower=0> V_m;
  real<lower=0> sigma;
}
model {
  real c[N_t, 1] = integrate_ode_bdf(concentration_rate, c0, t0, times, {k_a, K_m, V_m}, x_r, x_i,
                                   1e-6, 1e-6, 1000000);
  k_a ~ cauchy(0, 1);
  K_m ~ cauchy(0, 1);
  V_m ~ cauchy(0, 1);
  sigma ~ cauchy(0, 1);
  C_hat ~ lognormal(log(c[, 1]), sigma);
}
