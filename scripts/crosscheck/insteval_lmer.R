# lme4's REML fit of Edward's linear mixed-effects tutorial model on InstEval, the reference of
# docs/tutorials/linear_mixed_effects.md (Debian: r-cran-lme4; for cross-checking only):
#   Rscript scripts/crosscheck/insteval_lmer.R
suppressMessages(library(lme4))
data(InstEval)
fit <- lmer(y ~ service + (1 | s) + (1 | d) + (1 | dept), data = InstEval, REML = TRUE)
print(summary(fit)$coefficients)
print(as.data.frame(VarCorr(fit))[, c("grp", "sdcor")])
