# Golden values for src/engine/stats/validate.ts (rms::validate, method = "boot").
# Run from the repository root:  Rscript test/golden/validate.R   -> writes test/golden/validate.json
# R 4.2, rms 6.5, Hmisc, survival. Data: a seeded simulation (n = 200, 4 predictors) with a binary outcome
# (lrm) and a right-censored time (cph), written into the JSON.
#
# 1. exact part: validate(fit, B = 40) after set.seed(1). predab.resample draws resample i as
#    sample(n, replace = TRUE) and uses no other random numbers, so the same set.seed + sample loop gives R's own
#    resample indices ("idx", 1-based); the test feeds them to our implementation and compares every cell.
#    The original Cox model is fitted with eps = 1e-9 (coxph's default, the project's Cox fit; cph's default 1e-4
#    would change the apparent coefficients in the 5th digit); the bootstrap refits are rms's own (eps 1e-4,
#    iter.max 10), as in validate.cph.
# 2. statistical part: validate(fit, B = 200) after set.seed(2), whose resamples our seeded RNG does not
#    reproduce; the test compares optimism with a tolerance from the bootstrap SE (see the test file).
suppressMessages({ library(rms); library(jsonlite) })
out <- list()

set.seed(20261205)
n <- 200
d <- data.frame(marker = rnorm(n), age = round(rnorm(n, 62, 9)), male = rbinom(n, 1, 0.55), size = round(runif(n, 1, 9), 1))
lp <- -0.4 + 0.9 * d$marker + 0.03 * (d$age - 62) + 0.5 * d$male - 0.15 * (d$size - 5)
d$y <- rbinom(n, 1, plogis(lp))
tt <- rexp(n, 0.05 * exp(0.6 * d$marker + 0.02 * (d$age - 62) + 0.4 * d$male))
cens <- runif(n, 2, 40)
d$time <- round(pmin(tt, cens), 2)
d$status <- as.integer(tt <= cens)

resample_idx <- function(seed, B) { set.seed(seed); lapply(seq_len(B), function(i) sample(n, replace = TRUE)) }
tab <- function(v) {
  rows <- rownames(v)
  lapply(setNames(seq_along(rows), rows), function(i) list(indexOrig = v[i, "index.orig"], training = v[i, "training"],
    test = v[i, "test"], optimism = v[i, "optimism"], indexCorrected = v[i, "index.corrected"], n = v[i, "n"]))
}

flr <- lrm(y ~ marker + age + male + size, data = d, x = TRUE, y = TRUE)
fcx <- cph(Surv(time, status) ~ marker + age + male + size, data = d, x = TRUE, y = TRUE, surv = TRUE, eps = 1e-9, tol = 1e-11)
X <- unname(flr$x)
out$data <- list(names = colnames(flr$x), X = lapply(seq_len(n), function(i) X[i, ]), y = d$y, time = d$time, status = d$status)
out$logistic <- list(coef = unname(coef(flr)))
out$cox <- list(coef = unname(coef(fcx)), ties = fcx$method)

set.seed(1); v <- rms::validate(flr, B = 40)
out$logistic$exact <- list(B = 40, idx = resample_idx(1, 40), table = tab(v))
set.seed(1); v <- rms::validate(fcx, B = 40)
out$cox$exact <- list(B = 40, idx = resample_idx(1, 40), table = tab(v))

set.seed(2); v <- rms::validate(flr, B = 200)
out$logistic$boot200 <- list(B = 200, table = tab(v))
set.seed(2); v <- rms::validate(fcx, B = 200)
out$cox$boot200 <- list(B = 200, table = tab(v))

writeLines(toJSON(out, digits = NA, auto_unbox = TRUE), "test/golden/validate.json")
