# Stratified Cox models (strata() terms) as coxph: coefficients, SE, log-likelihoods, LR/Wald/score tests and the
# concordance (pairs within strata) with its standard error; Efron and Breslow.
# Run from the repository root: Rscript test/golden/cox-strata.R  → test/golden/cox-strata.json
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
one <- function(name, formula, data, strata, ties = "efron") {
  fit <- coxph(formula, data = data, ties = ties, x = TRUE)
  s <- summary(fit)
  list(name = name, ties = ties, time = unname(fit$y[, 1]), status = unname(fit$y[, 2]), strata = as.character(strata),
       X = lapply(seq_len(nrow(fit$x)), function(i) unname(fit$x[i, ])), coef = unname(coef(fit)), se = unname(sqrt(diag(vcov(fit)))),
       loglik = fit$loglik, lrt = 2 * diff(fit$loglik), wald = unname(fit$wald.test), score = unname(fit$score),
       concordance = unname(fit$concordance["concordance"]), concordanceSe = unname(fit$concordance["std"]))
}
l <- na.omit(lung[, c("time", "status", "age", "sex", "ph.ecog", "inst")])
v <- veteran; v$celltype <- as.character(v$celltype)
out <- list(
  one("lung age + ph.ecog + strata(sex)", Surv(time, status) ~ age + ph.ecog + strata(sex), l, l$sex),
  one("lung age + strata(ph.ecog) breslow", Surv(time, status) ~ age + strata(ph.ecog), l, l$ph.ecog, "breslow"),
  one("veteran karno + age + strata(celltype)", Surv(time, status) ~ karno + age + strata(celltype), v, v$celltype))
write_json(list(r = R.version.string, survival = as.character(packageVersion("survival")), cases = out), "test/golden/cox-strata.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
