# Cox nomogram and Cox calibration at a time point (rms 6.x):
#  - rms::nomogram(cph(..., surv = TRUE), fun = list(Survival(f) at each time, Quantile(f) median)): points per
#    term, lp.at, total-points axis, each fun axis (ticks and their points), sc and the LP at 0 points;
#  - rms::calibrate(cph(..., x = TRUE, y = TRUE, surv = TRUE, time.inc = u), u, cmethod = "KM", m, B): the apparent
#    part (cuts, mean predicted, KM, its std.err, n per group, index.orig) and, with R's own bootstrap indices
#    exported (the same set.seed before drawing them and before calibrate), each resample's training/test columns;
#    and a B = 200 run's optimism for the statistical comparison of the engine's own (seeded Rng) bootstrap.
# The cph fits use eps = 1e-9, iter.max = 20, tol = .Machine$double.eps^0.75 (coxph's defaults, which the engine's `cox` line uses) for the
# original model; calibrate's bootstrap refits are cph's own defaults (eps = 1e-4, iter.max = 10).
# Run from the repository root: Rscript test/golden/cox-nomogram.R  → test/golden/cox-nomogram.json
suppressPackageStartupMessages({ library(rms); library(jsonlite) })
options(datadist = NULL)

nomo <- function(f, times, median) {
  surv <- Survival(f); quan <- Quantile(f)
  funs <- lapply(times, function(t) { force(t); function(lp) surv(t, lp) })
  if (median) funs <- c(funs, list(function(lp) quan(0.5, lp)))
  nm <- nomogram(f, fun = funs, funlabel = c(paste("S", times), if (median) "median"))
  info <- attr(nm, "info")
  terms <- names(f$Design$name)
  axes <- lapply(f$Design$name, function(v) list(term = v, values = nm[[v]][[v]], points = nm[[v]]$points))
  nf <- length(funs)
  fa <- lapply(seq_len(nf), function(i) { s <- nm[[length(nm) - nf + i]]; list(values = s$x.real, points = s$x) })
  list(sc = info$sc, intercept = unname(info$Intercept), lpAt = info$lp.at, totalPoints = nm$total.points$x,
    axes = axes, funs = fa, center = unname(f$center), coef = unname(coef(f)), baseTime = f$time, baseSurv = f$surv,
    lp = unname(f$linear.predictors))
}

calib <- function(f, u, m, B, seed) {
  set.seed(seed); idx <- lapply(seq_len(B), function(i) sample(nrow(f$x), replace = TRUE))
  set.seed(seed); cal <- calibrate(f, u = u, cmethod = "KM", m = m, B = B)
  g <- max(1, floor(nrow(f$x) / m))
  surv <- attr(cal, "predicted")
  cuts <- unique(quantile(c(0, 1, surv), seq(0, 1, length = g + 1), na.rm = TRUE))
  gk <- groupkm(surv, f$y, u = u, cuts = cuts)
  col <- function(k) unname(cal[, k])
  set.seed(seed + 1000); big <- calibrate(f, u = u, cmethod = "KM", m = m, B = 200)
  list(u = u, m = m, B = B, predicted = surv, cuts = unname(cuts), groupN = unname(gk[, "n"]), events = unname(gk[, "events"]),
    meanPredicted = col("mean.predicted"), KM = col("KM"), stdErr = col("std.err"), indexOrig = col("index.orig"),
    training = col("training"), test = col("test"), optimism = col("mean.optimism"), KMcorrected = col("KM.corrected"),
    nResamples = col("n"), resamples = idx,
    optimism200 = unname(big[, "mean.optimism"]), nResamples200 = unname(big[, "n"]))
}

out <- list(r = R.version.string, rms = as.character(packageVersion("rms")), survival = as.character(packageVersion("survival")))

# 1. lung: age (continuous) + female (0/1), Efron ties, times in days
l <- lung[, c("time", "status", "age", "sex")]
l$status <- l$status - 1; l$female <- as.numeric(l$sex == 2)
dd <- datadist(l); options(datadist = "dd")
f1 <- cph(Surv(time, status) ~ age + female, data = l, x = TRUE, y = TRUE, surv = TRUE, time.inc = 365, eps = 1e-9, iter.max = 20, tol = .Machine$double.eps^0.75)
out$lung <- list(time = l$time, status = l$status, X = unname(as.matrix(l[, c("age", "female")])), names = c("age", "female"),
  ties = "efron", ranges = list(list(term = "age", min = min(l$age), max = max(l$age)), list(term = "female", discrete = c(0, 1))),
  times = c(365, 730), median = TRUE, nomogram = nomo(f1, c(365, 730), TRUE), calibrate = calib(f1, 365, 57, 20, 11))

# 2. seeded simulation, Breslow ties (times rounded to whole months), three terms
set.seed(2024)
n <- 150
s <- data.frame(x1 = round(rnorm(n, 50, 10), 1), x2 = rbinom(n, 1, 0.4), x3 = round(rnorm(n, 0, 1), 2))
lh <- 0.03 * (s$x1 - 50) + 0.7 * s$x2 + 0.4 * s$x3
et <- rexp(n, 0.02 * exp(lh)); ct <- runif(n, 10, 90)
s$time <- pmax(1, round(pmin(et, ct))); s$status <- as.numeric(et <= ct)
dd <- datadist(s); options(datadist = "dd")
f2 <- cph(Surv(time, status) ~ x1 + x2 + x3, data = s, x = TRUE, y = TRUE, surv = TRUE, time.inc = 36, eps = 1e-9, iter.max = 20, tol = .Machine$double.eps^0.75, method = "breslow")
out$sim <- list(time = s$time, status = s$status, X = unname(as.matrix(s[, c("x1", "x2", "x3")])), names = c("x1", "x2", "x3"),
  ties = "breslow", ranges = list(list(term = "x1", min = min(s$x1), max = max(s$x1)), list(term = "x2", discrete = c(0, 1)),
  list(term = "x3", min = min(s$x3), max = max(s$x3))),
  times = c(12, 36, 60), median = TRUE, nomogram = nomo(f2, c(12, 36, 60), TRUE), calibrate = calib(f2, 36, 50, 20, 7))

write_json(out, "test/golden/cox-nomogram.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
