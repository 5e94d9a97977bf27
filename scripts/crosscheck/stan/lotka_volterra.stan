// Predator and prey: du/dt = (a - b v) u, dv/dt = (-c + d u) v, lognormal measurement errors.
functions {
  real[] rates(real t, real[] z, real[] theta, real[] x_r, int[] x_i) {
    real dz[2];
    dz[1] = (theta[1] - theta[2] * z[2]) * z[1];
    dz[2] = (-theta[3] + theta[4] * z[1]) * z[2];
    return dz;
  }
}
data {
  int<lower=0> N;
  real ts[N];
  real y_init[2];
  real<lower=0> y[N, 2];
}
transformed data {
  real x_r[0];
  int x_i[0];
}
parameters {
  real<lower=0> theta[4];
  real<lower=0> z_init[2];
  real<lower=0> sigma[2];
}
model {
  real z[N, 2] = integrate_ode_rk45(rates, z_init, 0, ts, theta, x_r, x_i, 1e-5, 1e-3, 5e2);
  theta[{1, 3}] ~ normal(1, 0.5);
  theta[{2, 4}] ~ normal(0.05, 0.05);
  sigma ~ lognormal(-1, 1);
  z_init ~ lognormal(log(10), 1);
  for (k in 1:2) {
    y_init[k] ~ lognormal(log(z_init[k]), sigma[k]);
    y[, k] ~ lognormal(log(z[, k]), sigma[k]);
  }
}
