// Basketball drives as a two-state HMM with Dirichlet(alpha) transition rows and
// exponential emissions (rates phi, lambda, positive and ordered); the emission parameters get N(0, 1) and N(3, 1) priors.
data {
  int<lower=1> N;
  real u[N];
  real v[N];
  matrix<lower=0>[2, 2] alpha;
}
parameters {
  simplex[2] theta1;
  simplex[2] theta2;
  positive_ordered[2] phi;
  positive_ordered[2] lambda;
}
model {
  matrix[2, 2] log_gamma;
  vector[2] forward;
  vector[2] next_forward;
  vector[2] emission;
  log_gamma[1] = log(theta1)';
  log_gamma[2] = log(theta2)';
  target += dirichlet_lpdf(theta1 | alpha[1]') + dirichlet_lpdf(theta2 | alpha[2]');
  target += normal_lpdf(phi[1] | 0, 1) + normal_lpdf(phi[2] | 3, 1);
  target += normal_lpdf(lambda[1] | 0, 1) + normal_lpdf(lambda[2] | 3, 1);
  for (t in 1:N) {
    for (k in 1:2) emission[k] = exponential_lpdf(u[t] | phi[k]) + exponential_lpdf(v[t] | lambda[k]);
    if (t == 1) {
      forward = emission;
    } else {
      for (k in 1:2) next_forward[k] = log_sum_exp(forward + col(log_gamma, k)) + emission[k];
      forward = next_forward;
    }
  }
  target += log_sum_exp(forward);
}
