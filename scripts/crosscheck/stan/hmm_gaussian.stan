// A two-state HMM with unit-variance normal emissions, the states summed out by the forward
// recursion in log space; rows of the transition matrix uniform on the simplex.
data {
  int<lower=1> N;
  real y[N];
}
parameters {
  simplex[2] theta1;
  simplex[2] theta2;
  positive_ordered[2] mu;
}
model {
  matrix[2, 2] log_gamma;
  vector[2] alpha;
  vector[2] next_alpha;
  log_gamma[1] = log(theta1)';
  log_gamma[2] = log(theta2)';
  target += normal_lpdf(mu[1] | 3, 1) + normal_lpdf(mu[2] | 10, 1);
  for (k in 1:2) alpha[k] = normal_lpdf(y[1] | mu[k], 1);
  for (t in 2:N) {
    for (k in 1:2)
      next_alpha[k] = log_sum_exp(alpha + col(log_gamma, k)) + normal_lpdf(y[t] | mu[k], 1);
    alpha = next_alpha;
  }
  target += log_sum_exp(alpha);
}
