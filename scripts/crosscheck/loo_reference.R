# The reference numbers of tests/criticism/model_comparison_test.cpp, from the R package loo
# (Debian: r-cran-loo; not a dependency of edpp): Rscript scripts/crosscheck/loo_reference.R
suppressMessages(library(loo))
options(digits = 17)
gen <- function(S, y, m, sdm, lsig_mean, lsig_sd, dist = "normal", fixed_sigma = NA) {
  u <- (seq_len(S) - 0.5) / S
  mu <- m + sdm * qnorm(u)
  perm <- ((seq_len(S) - 1) * 37) %% S + 1
  sigma <- exp(lsig_mean + lsig_sd * qnorm(u[perm]))
  if (!is.na(fixed_sigma)) sigma <- rep(fixed_sigma, S)
  ll <- matrix(0, S, length(y))
  for (i in seq_along(y)) {
    z <- (y[i] - mu) / sigma
    ll[, i] <- if (dist == "normal") dnorm(z, log = TRUE) - log(sigma) else dt(z, df = 3, log = TRUE) - log(sigma)
  }
  ll
}
show <- function(name, ll) {
  l <- suppressWarnings(loo(ll))
  w <- suppressWarnings(waic(ll))
  cat(name, "loo", l$estimates["elpd_loo", ], l$estimates["p_loo", ], "\n")
  cat(name, "k", l$diagnostics$pareto_k, "\n")
  cat(name, "waic", w$estimates["elpd_waic", ], w$estimates["p_waic", ], "\n")
  l
}
yA <- c(-1.2, -0.4, 0.1, 0.3, 0.5, 0.9, 1.3, 1.8, -2.1, 0.0)
A <- show("A", gen(1000, yA, 0.2, 0.3, 0, 0.2))
A2 <- show("A2", gen(1000, yA, 0.2, 0.3, 0, 0.2, fixed_sigma = 0.5))
B <- show("B", gen(400, c(0.1, -0.2, 0.3, 0.0, 4, -3), 0, 0.15, -1, 0.3))
C <- show("C", gen(2000, c(0.5, -1, 2, 8, 0, 0.2, -0.3, 1), 0.3, 0.4, -0.5, 0.3, dist = "t"))
cmp <- loo_compare(list(A = A, A2 = A2))
print(cmp, simplify = FALSE)
cat("cmp", cmp[, "elpd_diff"], cmp[, "se_diff"], "\n")
cat(packageDescription("loo")$Version, "\n")
