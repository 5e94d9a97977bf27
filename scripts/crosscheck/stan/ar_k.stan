// An autoregression of order K: y_t ~ normal(alpha + sum_k beta_k y_{t-k}, sigma) for t > K,
// through the lag matrix built in stan_side_by_side.R.
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] lags;
  vector[N] y;
}
parameters {
  real alpha;
  vector[K] beta;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  sigma ~ cauchy(0, 2.5);
  y ~ normal(alpha + lags * beta, sigma);
}
