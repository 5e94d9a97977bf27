#!/usr/bin/env Rscript
# Stan's side of the speed comparison for posteriordb posteriors (issue #24 item 6): 4 chains ×
# 1000 draws after 1000 warm-up, one after another on one core, as ../shared/posteriordb's
# README measured; prints the minimum bulk ESS over the reference's parameters per second of
# warm-up plus sampling. The Stan programs in stan/ are written from the models' mathematics.
#   Rscript scripts/crosscheck/stan_side_by_side.R SEED NAME...
# Needs r-cran-rstan, r-cran-posterior and r-cran-jsonlite (cross-checks only, never a
# dependency of edpp). bench_nuts --posterior NAME... gives edpp's side.
suppressMessages({
  library(rstan)
  library(posterior)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
# --init-at-reference-mean: every chain starts at the reference's posterior means (for
# posteriors where Stan does not find the posterior from random starts; bench_nuts has the
# same flag).
at_reference <- length(args) > 0 && args[1] == "--init-at-reference-mean"
if (at_reference) args <- args[-1]
seed <- as.integer(args[1])
names <- args[-1]
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))))
root <- normalizePath(file.path(here, "..", ".."))
dirs <- c(file.path(root, "..", "shared", "posteriordb"), file.path(root, "data", "posteriordb"))
programs <- c("eight_schools-eight_schools_noncentered" = "eight_schools_noncentered",
              "arK-arK" = "ar_k",
              "arma-arma11" = "arma11",
              "low_dim_gauss_mix-low_dim_gauss_mix" = "low_dim_gauss_mix",
              "hmm_example-hmm_example" = "hmm_gaussian",
              "bball_drive_event_0-hmm_drive_0" = "hmm_drive_exponential",
              "bball_drive_event_1-hmm_drive_1" = "hmm_drive_normal",
              "gp_pois_regr-gp_regr" = "gp_regr",
              "gp_pois_regr-gp_pois_regr" = "gp_pois_regr",
              "hudson_lynx_hare-lotka_volterra" = "lotka_volterra",
              "one_comp_mm_elim_abs-one_comp_mm_elim_abs" = "one_comp",
              "one_comp_mm_elim_abs-one_comp_mm_elim_abs@stan_tolerances" =
                "one_comp_stan_tolerances")

# The twenty linear regressions share regression.stan: the design matrix of each as its
# folder's model.md builds it (models/posteriordb.cpp does the same for edpp), and its priors:
# beta flat or normal(0, 10), sigma flat, half-normal(0, 10) or half-Cauchy(0, 2.5).
regression_data <- function(name, d) {
  one <- function(x) rep(1, length(x))
  is <- function(x, k) as.numeric(x == k)
  centred <- function(x) x - mean(x)
  two_sd <- function(x) (x - mean(x)) / (2 * sd(x))
  beta_prior <- 0
  sigma_prior <- 0
  if (name == "sblri-blr") {
    X <- d$X; y <- d$y; beta_prior <- 1; sigma_prior <- 1
  } else if (name %in% c("kidiq-kidscore_momiq", "kidiq-kidscore_momhs")) {
    x <- if (name == "kidiq-kidscore_momiq") d$mom_iq else d$mom_hs
    X <- cbind(one(x), x); y <- d$kid_score; sigma_prior <- 2
  } else if (name == "kidiq_with_mom_work-kidscore_mom_work") {
    w <- d$mom_work
    X <- cbind(one(w), is(w, 2), is(w, 3), is(w, 4)); y <- d$kid_score
  } else if (grepl("^kidiq_with_mom_work-kidscore_interaction_", name)) {
    f <- if (grepl("_z$", name)) two_sd else centred
    a <- f(d$mom_hs); b <- f(d$mom_iq)
    X <- cbind(one(a), a, b, a * b); y <- d$kid_score
  } else if (grepl("^earnings-", name)) {
    h <- d$height; m <- d$male; y <- log(d$earn)
    X <- switch(sub("^earnings-", "", name),
                logearn_interaction_z = { z <- (h - mean(h)) / sd(h); cbind(one(z), z, m, z * m) },
                log10earn_height = { y <- log10(d$earn); cbind(one(h), h) },
                logearn_height = cbind(one(h), h),
                logearn_height_male = cbind(one(h), h, m),
                logearn_interaction = cbind(one(h), h, m, h * m))
  } else if (grepl("^mesquite-", name)) {
    y <- log(d$weight)
    volume <- log(d$diam1 * d$diam2 * d$canopy_height)
    X <- switch(sub("^mesquite-", "", name),
                logmesquite_logvolume = cbind(one(y), volume),
                logmesquite = cbind(one(y), log(d$diam1), log(d$diam2), log(d$canopy_height),
                                    log(d$total_height), log(d$density), d$group),
                logmesquite_logvas = cbind(one(y), volume, log(d$diam1 * d$diam2),
                                           log(d$diam1 / d$diam2), log(d$total_height),
                                           log(d$density), d$group))
  } else if (grepl("^nes19[0-9][0-9]-nes$", name)) {
    a <- d$age_discrete
    X <- cbind(one(a), d$real_ideo, d$race_adj, is(a, 2), is(a, 3), is(a, 4), d$educ1, d$gender,
               d$income)
    y <- d$partyid7
  } else {
    return(NULL)
  }
  X <- unname(as.matrix(X))
  list(N = nrow(X), K = ncol(X), X = X, y = as.vector(y), beta_prior = beta_prior,
       sigma_prior = sigma_prior)
}

rstan_options(auto_write = TRUE)
for (program_name in names) {
  # NAME@VARIANT runs another program for the same posterior.
  name <- sub("@.*$", "", program_name)
  dir <- Filter(function(d) file.exists(file.path(d, name, "data.json")), dirs)[1]
  data <- fromJSON(file.path(dir, name, "data.json"))
  program <- programs[program_name]
  if (name == "arma-arma11") data <- list(T = length(data$y), y = data$y)
  if (name == "arK-arK") {
    K <- data$K
    n <- length(data$y)
    lags <- sapply(1:K, function(k) data$y[(K + 1 - k):(n - k)])
    data <- list(N = n - K, K = K, lags = lags, y = data$y[(K + 1):n])
  }
  if (is.na(program)) {
    data <- regression_data(name, data)
    if (is.null(data)) stop("no Stan program for ", program_name)
    program <- "regression"
  }
  if (grepl("hmm_drive", name)) data$alpha <- as.matrix(data$alpha)
  reference <- read.csv(file.path(dir, name, "reference.csv"))
  model <- stan_model(file.path(here, "stan", paste0(program, ".stan")))
  init <- "random"
  if (at_reference) {
    # "theta[3]" is element 3 of theta: one vector per parameter name, in index order.
    base <- sub("\\[.*$", "", reference$param)
    # A simplex's means sum to 1 only to the CSV's eight digits: renormalised.
    simplex <- function(v) if (abs(sum(v) - 1) < 1e-6) v / sum(v) else v
    start <- lapply(split(reference$mean, factor(base, levels = unique(base))),
                    function(v) as.array(simplex(v)))
    init <- rep(list(start), 4)
  }
  fit <- sampling(model, data = data, chains = 4, iter = 2000, warmup = 1000, seed = seed,
                  cores = 1, refresh = 0, init = init)
  seconds <- sum(get_elapsed_time(fit))
  leapfrogs <- sum(sapply(get_sampler_params(fit, inc_warmup = TRUE),
                          function(s) sum(s[, "n_leapfrog__"])))
  draws <- as_draws_array(fit)
  ess <- sapply(reference$param, function(p) ess_bulk(extract_variable_matrix(draws, p)))
  means <- sapply(reference$param, function(p) mean(extract_variable_matrix(draws, p)))
  z <- (means - reference$mean) / reference$mcse_mean
  cat(sprintf(paste("%s seed %d: %.2f s, min bulk ESS %.0f, ESS per second %.0f,",
                    "max |mean z| %.1f, %.1f µs per leapfrog step\n"),
              program_name, seed, seconds, min(ess), min(ess) / seconds, max(abs(z)),
              1e6 * seconds / leapfrogs))
}
