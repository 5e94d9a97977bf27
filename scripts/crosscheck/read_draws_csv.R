# Reads the CmdStan CSVs that examples/eight_schools writes (ed::write_draws_csv) with rstan's
# CmdStan reader and summarises them with posterior, as a user of R would:
#   build/release/examples/eight_schools --out out/eight_schools
#   Rscript scripts/crosscheck/read_draws_csv.R out/eight_schools
# (Debian: apt-get install r-cran-rstan r-cran-posterior; for cross-checking only, edpp does
# not depend on R.) The numbers match edpp's own summary() of the same fit.
suppressMessages({
  library(rstan)
  library(posterior)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "out/eight_schools"
for (form in c("centred", "noncentred")) {
  files <- Sys.glob(file.path(dir, paste0(form, "_*.csv")))
  stopifnot(length(files) == 4)
  fit <- read_stan_csv(files)
  cat("\n==", form, "==\n")
  print(summarise_draws(subset_draws(as_draws_df(fit), variable = c("mu", "tau"))))
  print(colnames(get_sampler_params(fit)[[1]]))
  check_hmc_diagnostics(fit)
}
