# Exports lme4's InstEval ratings (73,421 rows) to CSV for examples/linear_mixed_effects:
#   apt-get install r-cran-lme4   (for the data only; edpp does not depend on R)
#   Rscript scripts/data/export_insteval.R out/insteval.csv
# Columns: students, instructors and departments as 0-based codes, service (1 if the lecture
# was given as a service to another department), and the rating y (1–5).
suppressMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) > 0) args[1] else "insteval.csv"
data(InstEval)
table <- data.frame(
  s = as.integer(InstEval$s) - 1L,
  d = as.integer(InstEval$d) - 1L,
  dept = as.integer(InstEval$dept) - 1L,
  service = as.integer(InstEval$service) - 1L,
  y = InstEval$y)
dir.create(dirname(path), showWarnings = FALSE, recursive = TRUE)
tmp <- paste0(path, ".tmp")
write.csv(table, tmp, row.names = FALSE, quote = FALSE)
invisible(file.rename(tmp, path))
cat("wrote", nrow(table), "rows to", path, "\n")
