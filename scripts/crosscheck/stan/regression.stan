// y ~ normal(X beta, sigma): the twenty linear regressions of the set, each design matrix built
// in stan_side_by_side.R from its folder's model.md, the priors chosen by two flags.
data {
  int<lower=1> N;
  int<lower=1> K;
  matrix[N, K] X;
  vector[N] y;
  int<lower=0, upper=1> beta_prior;   // 0: flat; 1: normal(0, 10)
  int<lower=0, upper=2> sigma_prior;  // 0: flat; 1: half-normal(0, 10); 2: half-Cauchy(0, 2.5)
}
parameters {
  vector[K] beta;
  real<lower=0> sigma;
}
model {
  if (beta_prior == 1) beta ~ normal(0, 10);
  if (sigma_prior == 1) sigma ~ normal(0, 10);
  if (sigma_prior == 2) sigma ~ cauchy(0, 2.5);
  y ~ normal(X * beta, sigma);
}
