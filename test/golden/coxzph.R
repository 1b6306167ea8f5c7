# cox.zph(fit, transform = "km") (survival 3.x score test) for Efron and Breslow fits, numeric and factor terms.
# The design matrix and coefficients are exported so the engine tests the same fit.
# Run from the repository root: Rscript test/golden/coxzph.R  → test/golden/coxzph.json
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
one <- function(name, formula, data, ties = "efron", strata = NULL) {
  fit <- coxph(formula, data = data, ties = ties, x = TRUE)
  z <- cox.zph(fit)
  X <- fit$x
  y <- fit$y
  asgn <- fit$assign
  list(name = name, ties = ties, time = unname(y[, 1]), status = unname(y[, 2]), X = lapply(seq_len(nrow(X)), function(i) unname(X[i, ])),
       beta = unname(coef(fit)), terms = lapply(names(asgn), function(t) list(name = t, columns = asgn[[t]] - 1)),
       chisq = unname(z$table[, "chisq"]), df = unname(z$table[, "df"]), p = unname(z$table[, "p"]),
       resx = unname(z$x), restime = unname(z$time), resy = lapply(seq_len(nrow(z$y)), function(i) unname(z$y[i, ])),
       var = lapply(seq_len(nrow(z$var)), function(i) unname(z$var[i, ])), smooth = smooth(z), strata = if (is.null(strata)) NULL else as.character(strata))
}
# plot.cox.zph's smooth and band per term (df = 4, nsmo = 40, the code of survival's plot.cox.zph without the plot)
smooth <- function(z, df = 4, nsmo = 40) {
  xx <- z$x
  pred.x <- seq(from = min(xx), to = max(xx), length = nsmo)
  lmat <- splines::ns(c(pred.x, xx), df = df, intercept = TRUE)
  pmat <- lmat[1:nsmo, ]; xmat <- lmat[-(1:nsmo), ]
  qmat <- qr(xmat)
  bk <- backsolve(qmat$qr[1:df, 1:df], diag(df)); xtx <- bk %*% t(bk)
  seval <- ((pmat %*% xtx) * pmat) %*% rep(1, df)
  lapply(seq_len(ncol(z$y)), function(i) {
    yhat <- pmat %*% qr.coef(qmat, z$y[, i]); half <- 2 * sqrt(z$var[i, i] * seval)
    list(x = pred.x, fit = as.vector(yhat), lower = as.vector(yhat - half), upper = as.vector(yhat + half))
  })
}
l <- na.omit(lung[, c("time", "status", "age", "sex", "ph.ecog", "wt.loss")])
v <- veteran; v$celltype <- factor(as.character(v$celltype))
out <- list(
  one("lung age + sex + ph.ecog (efron)", Surv(time, status) ~ age + sex + ph.ecog, l),
  one("lung age + sex + wt.loss (breslow)", Surv(time, status) ~ age + sex + wt.loss, l, "breslow"),
  one("veteran karno + celltype factor (efron)", Surv(time, status) ~ karno + celltype, v),
  one("ovarian age + rx (efron)", Surv(futime, fustat) ~ age + rx, ovarian),
  one("lung age + ph.ecog + strata(sex) (efron)", Surv(time, status) ~ age + ph.ecog + strata(sex), l, strata = l$sex),
  one("veteran karno + age + strata(celltype) (breslow)", Surv(time, status) ~ karno + age + strata(celltype), v, "breslow", v$celltype))
write_json(list(r = R.version.string, survival = as.character(packageVersion("survival")), cases = out), "test/golden/coxzph.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
