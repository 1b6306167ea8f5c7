/** The R functions every exported script defines once, after reading the dataset (see index.ts). */
export const R_HELPERS = String.raw`
.out <- list()
# put(): one number (or interval) of the report, under "<analysis> :: <report.json path>"
# (a missing or infinite bound is written as null, as in report.json)
put <- function(analysis, path, value) {
  v <- unname(as.numeric(value)); v[!is.finite(v)] <- NA
  .out[[paste(analysis, path, sep = " :: ")]] <<- v
}
rows_of <- function(cohort) d[d[[paste0("cohort:", cohort)]] == 1, , drop = FALSE]
# The complete rows of the columns an analysis uses, unused factor levels dropped (the reference level is the first present)
complete_rows <- function(cohort, cols) droplevels(na.omit(rows_of(cohort)[, cols, drop = FALSE]))
# A binary outcome as 0/1 (a factor: its second level is the event)
as01 <- function(v) if (is.factor(v)) as.integer(v == levels(v)[2]) else as.numeric(v)
# Profile-likelihood CI of each Cox coefficient: where 2 (logLik max - logLik with b[j] fixed) = qchisq(conf, 1)
profile_ci_cox <- function(fit, conf = 0.95) {
  X <- fit$x; y <- fit$y; b <- coef(fit); se <- sqrt(diag(fit$var)); crit <- qchisq(conf, 1)
  ll_fixed <- function(j, bj) {
    off <- X[, j] * bj
    f <- if (ncol(X) > 1) coxph(y ~ X[, -j, drop = FALSE] + offset(off), ties = fit$method) else coxph(y ~ offset(off), ties = fit$method)
    tail(f$loglik, 1)
  }
  t(sapply(seq_along(b), function(j) {
    g <- function(bj) 2 * (fit$loglik[2] - ll_fixed(j, bj)) - crit
    side <- function(dir) {
      k <- 2
      while (g(b[j] + dir * k * se[j]) < 0) k <- k * 2
      uniroot(g, sort(c(b[j], b[j] + dir * k * se[j])), tol = 1e-11)$root
    }
    c(side(-1), side(1))
  }))
}
`;
