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
seed <- as.integer(args[1])
names <- args[-1]
here <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))))
root <- normalizePath(file.path(here, "..", ".."))
dirs <- c(file.path(root, "..", "shared", "posteriordb"), file.path(root, "data", "posteriordb"))
programs <- c("arma-arma11" = "arma11",
              "hmm_example-hmm_example" = "hmm_gaussian",
              "bball_drive_event_0-hmm_drive_0" = "hmm_drive_exponential",
              "bball_drive_event_1-hmm_drive_1" = "hmm_drive_normal",
              "gp_pois_regr-gp_regr" = "gp_regr",
              "gp_pois_regr-gp_pois_regr" = "gp_pois_regr",
              "hudson_lynx_hare-lotka_volterra" = "lotka_volterra",
              "one_comp_mm_elim_abs-one_comp_mm_elim_abs" = "one_comp")
rstan_options(auto_write = TRUE)
for (name in names) {
  dir <- Filter(function(d) file.exists(file.path(d, name, "data.json")), dirs)[1]
  data <- fromJSON(file.path(dir, name, "data.json"))
  if (name == "arma-arma11") data <- list(T = length(data$y), y = data$y)
  if (grepl("hmm_drive", name)) data$alpha <- as.matrix(data$alpha)
  reference <- read.csv(file.path(dir, name, "reference.csv"))
  model <- stan_model(file.path(here, "stan", paste0(programs[[name]], ".stan")))
  fit <- sampling(model, data = data, chains = 4, iter = 2000, warmup = 1000, seed = seed,
                  cores = 1, refresh = 0)
  seconds <- sum(get_elapsed_time(fit))
  draws <- as_draws_array(fit)
  ess <- sapply(reference$param, function(p) ess_bulk(extract_variable_matrix(draws, p)))
  means <- sapply(reference$param, function(p) mean(extract_variable_matrix(draws, p)))
  z <- (means - reference$mean) / reference$mcse_mean
  cat(sprintf("%s seed %d: %.2f s, min bulk ESS %.0f, ESS per second %.0f, max |mean z| %.1f\n",
              name, seed, seconds, min(ess), min(ess) / seconds, max(abs(z))))
}
