# R side of `npm run bench:stats` (never a runtime dependency). Usage: Rscript bench/stats.R <dir> [validate B]
# Reads the CSVs the Node script wrote, times the same fits, prints one JSON object per line.
suppressPackageStartupMessages({ library(survival); library(rms); library(pROC); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
valB <- if (length(args) > 1) as.integer(args[2]) else 200L
emit <- function(...) cat(toJSON(list(...), auto_unbox = TRUE, digits = NA), "\n", sep = "")
tm <- function(expr) { t <- system.time(v <- force(expr))[["elapsed"]] * 1000; list(ms = t, v = v) }

surv <- read.csv(file.path(dir, "surv.csv"))
xs <- paste0("x", 1:10)
f <- as.formula(paste("Surv(time, status) ~", paste(xs, collapse = " + ")))
r <- tm(coxph(f, data = surv, ties = "efron"))
emit(fit = "cox", ms = r$ms, coef = unname(coef(r$v)), se = unname(sqrt(diag(r$v$var))), loglik = r$v$loglik, iter = r$v$iter)

r <- tm(survfit(Surv(time, status) ~ 1, data = surv))
emit(fit = "km", ms = r$ms, median = unname(summary(r$v)$table[["median"]]), nTimes = length(r$v$time))
r <- tm(survdiff(Surv(time, status) ~ group, data = surv))
emit(fit = "logrank", ms = r$ms, chisq = r$v$chisq)

lg <- read.csv(file.path(dir, "logit.csv"))
fl <- as.formula(paste("y ~", paste(xs, collapse = " + ")))
r <- tm({ g <- glm(fl, data = lg, family = binomial); s <- summary(g); g })
emit(fit = "logistic", ms = r$ms, coef = unname(coef(r$v)), deviance = r$v$deviance, iter = r$v$iter)

r <- tm({ ro <- roc(lg$y, lg$score, quiet = TRUE); list(ro = ro, ci = ci.auc(ro, method = "delong")) })
emit(fit = "roc", ms = r$ms, auc = as.numeric(r$v$ro$auc), ci = as.numeric(r$v$ci)[c(1, 3)])

cal <- read.csv(file.path(dir, "cal.csv"))
r <- tm({ fit <- lrm(y ~ x1 + x2 + x3 + x4, data = cal, x = TRUE, y = TRUE); set.seed(1); calibrate(fit, B = 1000) })
emit(fit = "calibrate", ms = r$ms, mae = mean(abs(r$v[, "calibrated.corrected"] - r$v[, "predy"]), na.rm = TRUE))

va <- read.csv(file.path(dir, "val.csv"))
r <- tm({ fit <- lrm(y ~ x1 + x2 + x3 + x4 + x5 + x6, data = va, x = TRUE, y = TRUE); set.seed(1); rms::validate(fit, B = valB) })
emit(fit = "validate", ms = r$ms, dxyOrig = r$v["Dxy", "index.orig"], dxyCorrected = r$v["Dxy", "index.corrected"])
# Cox nomogram: cph(surv = TRUE) + Survival/Quantile + nomogram (same data as the Cox fit above)
r <- tm({
  dd <- datadist(surv[, xs]); options(datadist = "dd")
  fc <- cph(f, data = surv, surv = TRUE, eps = 1e-9, iter.max = 20, tol = .Machine$double.eps^0.75)  # coxph's tolerance, as the engine
  su <- Survival(fc); qu <- Quantile(fc)
  nomogram(fc, fun = list(function(lp) su(5, lp), function(lp) su(10, lp), function(lp) qu(0.5, lp)), funlabel = c("s5", "s10", "med"))
})
emit(fit = "coxNomogram", ms = r$ms, sc = attr(r$v, "info")$sc, funs = list(r$v$s5$x, r$v$s10$x, r$v$med$x))

# Rank tests with the Hodges-Lehmann estimate and CI (wilcox.test's normal branch: uniroot over the shift)
# (in millionths, as the Node side: whole numbers, so that a parse an ulp off moves no tie)
mic <- function(v) round(v * 1e6)
r <- tm(wilcox.test(mic(lg$score[lg$y == 1]), mic(lg$score[lg$y == 0]), conf.int = TRUE))
emit(fit = "mannWhitney", ms = r$ms, estimate = unname(r$v$estimate), ci = as.numeric(r$v$conf.int), statistic = unname(r$v$statistic))
r <- tm(wilcox.test(mic(lg$x1), mic(lg$x2), paired = TRUE, conf.int = TRUE))
emit(fit = "signedRank", ms = r$ms, estimate = unname(r$v$estimate), ci = as.numeric(r$v$conf.int), statistic = unname(r$v$statistic))
