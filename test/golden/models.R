# Golden values for src/engine/stats/{logistic,roc,hosmer,lowess,calibrate,dca,nomogram,pretty}.ts
# Run from the repository root:  Rscript test/golden/models.R   -> writes test/golden/models.json
# R 4.2.2, MASS, pROC 1.18, rms 6.5. ResourceSelection::hoslem.test and dcurves::dca are restated below
# (neither is installed); the restatements follow their R sources (see docs/stats-reference.md §1.8, §1.11).
suppressMessages({ library(MASS); library(pROC); library(rms); library(jsonlite) })
out <- list()

## ---------- logistic regression: MASS::birthwt ----------
bw <- birthwt
bw$race <- factor(bw$race, labels = c("white", "black", "other"))
fit_model <- function(formula, data) {
  # default glm.control (epsilon 1e-8): summary.glm SEs use the working weights of the last IRLS iteration, so
  # a tighter epsilon moves SEs by ~1e-5 relative; users compare against the default, and so do we.
  f <- glm(formula, family = binomial, data = data)
  X <- model.matrix(f)
  s <- summary(f)$coefficients
  ciw <- confint.default(f)
  cip <- suppressMessages(confint(f))          # MASS profile likelihood (R 4.2: MASS:::confint.glm)
  n <- nrow(X)
  r2n <- (1 - exp((f$deviance - f$null.deviance) / n)) / (1 - exp(-f$null.deviance / n))
  r <- roc(f$y, fitted(f), direction = "<", quiet = TRUE)
  list(names = colnames(X), X = unname(lapply(seq_len(nrow(X)), function(i) unname(X[i, ]))), y = unname(f$y),
       coef = unname(coef(f)), se = unname(s[, 2]), wald = unname((s[, 1] / s[, 2])^2), p = unname(s[, 4]),
       or = unname(exp(coef(f))), ciWald = unname(lapply(1:nrow(ciw), function(i) unname(exp(ciw[i, ])))),
       ciProfile = unname(lapply(1:nrow(cip), function(i) unname(exp(cip[i, ])))),
       vcov = unname(lapply(1:ncol(X), function(i) unname(vcov(f)[i, ]))),
       fitted = unname(fitted(f)), lp = unname(f$linear.predictors),
       deviance = f$deviance, nullDeviance = f$null.deviance, logLik = as.numeric(logLik(f)), aic = AIC(f),
       r2Nagelkerke = r2n, n = n, events = sum(f$y),
       auc = as.numeric(auc(r)), aucVar = var(r, method = "delong"), aucCi = as.numeric(ci.auc(r, method = "delong"))[c(1, 3)])
}
out$birthwtFull <- fit_model(low ~ age + lwt + race + smoke + ptl + ht + ui, bw)
out$birthwt4 <- fit_model(low ~ age + lwt + smoke + ht, bw)
f4g <- glm(low ~ age + lwt + smoke + ht, binomial, bw)
out$birthwt4Level90 <- list(ciWald = unname(lapply(1:5, function(i) unname(exp(confint.default(f4g, level = 0.9)[i, ])))),
  ciProfile = unname(lapply(1:5, function(i) unname(exp(suppressMessages(confint(f4g, level = 0.9))[i, ])))))

## small n (10 rows), still estimable
sm <- data.frame(x = c(0.5, 1.2, 1.9, 2.4, 3.1, 3.3, 4.0, 4.8, 5.5, 6.1), y = c(0, 0, 1, 0, 0, 1, 1, 0, 1, 1))
out$smallN <- fit_model(y ~ x, sm)

## a strong predictor with fitted probabilities near 0/1 (6e-13) but NO separation: must fit normally
out$extremeNoSeparation <- fit_model(y ~ x, data.frame(x = c(-30, -2, -1, -0.5, 0, 0.5, 1, 2, 30), y = c(0, 0, 1, 0, 1, 0, 1, 1, 1)))

## edge cases (R's behaviour, recorded for the record; the engine must throw StatsError)
sep <- data.frame(x = 1:8, y = c(0, 0, 0, 0, 1, 1, 1, 1))
w <- NULL; invisible(withCallingHandlers(glm(y ~ x, binomial, sep), warning = function(e) { w <<- c(w, conditionMessage(e)); invokeRestart("muffleWarning") }))
out$separation <- list(x = sep$x, y = sep$y, rWarnings = w)
qsep <- data.frame(x = c(1, 2, 3, 4, 4, 5, 6, 7), y = c(0, 0, 0, 0, 1, 1, 1, 1))
w <- NULL; invisible(withCallingHandlers(glm(y ~ x, binomial, qsep), warning = function(e) { w <<- c(w, conditionMessage(e)); invokeRestart("muffleWarning") }))
out$quasiSeparation <- list(x = qsep$x, y = qsep$y, rWarnings = w)
cst <- data.frame(x = c(1, 2, 3, 4, 5, 6), z = 1, y = c(0, 1, 0, 1, 1, 0))
out$constantColumn <- list(x = cst$x, z = cst$z, y = cst$y, rCoef = unname(coef(glm(y ~ x + z, binomial, cst))))

## ---------- ROC: pROC::aSAH ----------
data(aSAH)
y <- as.integer(aSAH$outcome == "Poor")
roc_json <- function(r) {
  b <- coords(r, "best", ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
  list(auc = as.numeric(auc(r)), variance = var(r, method = "delong"),
       ci = as.numeric(ci.auc(r, method = "delong"))[c(1, 3)], direction = r$direction,
       thresholds = r$thresholds, sensitivities = r$sensitivities, specificities = r$specificities,
       best = list(threshold = b$threshold, sensitivity = b$sensitivity, specificity = b$specificity),
       cases = length(r$cases), controls = length(r$controls))
}
rs <- roc(y, aSAH$s100b, quiet = TRUE); rn <- roc(y, aSAH$ndka, quiet = TRUE); rw <- roc(y, as.numeric(aSAH$wfns), quiet = TRUE)
tt <- roc.test(rs, rn, method = "delong")
out$asah <- list(y = y, s100b = aSAH$s100b, ndka = aSAH$ndka, wfns = as.numeric(aSAH$wfns),
                 rocS100b = roc_json(rs), rocNdka = roc_json(rn), rocWfns = roc_json(rw),
                 rocS100bReversed = roc_json(roc(y, -aSAH$s100b, quiet = TRUE)),
                 delongTest = list(z = unname(tt$statistic), p = tt$p.value),
                 coordsS100b_0.3 = as.list(coords(rs, 0.3, input = "threshold", ret = c("sensitivity", "specificity"), transpose = FALSE)))
ties <- roc(c(0, 0, 0, 1, 1), c(2, 2, 2, 2, 2), quiet = TRUE)
## single-class response: pROC refuses (the engine throws StatsError)
out$rocSingleClass <- list(y = c(1, 1, 1, 1), x = c(0.1, 0.4, 0.35, 0.8),
  rError = tryCatch({ roc(c(1, 1, 1, 1), c(0.1, 0.4, 0.35, 0.8), quiet = TRUE); "no error" }, error = function(e) conditionMessage(e)))
out$rocAllTies <- list(y = c(0, 0, 0, 1, 1), x = c(2, 2, 2, 2, 2), auc = as.numeric(auc(ties)), variance = var(ties, method = "delong"),
                       direction = ties$direction, thresholds = ties$thresholds, sensitivities = ties$sensitivities, specificities = ties$specificities)

## ---------- Hosmer-Lemeshow, restated from ResourceSelection::hoslem.test ----------
hoslem <- function(x, yhat, g = 10) {
  qq <- unique(quantile(yhat, probs = seq(0, 1, 1 / g)))
  cutyhat <- cut(yhat, breaks = qq, include.lowest = TRUE)
  observed <- xtabs(cbind(y0 = 1 - x, y1 = x) ~ cutyhat)
  expected <- xtabs(cbind(yhat0 = 1 - yhat, yhat1 = yhat) ~ cutyhat)
  chisq <- sum((observed - expected)^2 / expected)
  PVAL <- 1 - pchisq(chisq, g - 2)   # ResourceSelection uses g - 2 ...
  G <- length(unique(cutyhat))       # ... the brief/engine uses groups formed - 2 (identical when G == g)
  list(chisq = chisq, df = G - 2, p = 1 - pchisq(chisq, G - 2), groups = G, group = levels(cutyhat),
       n = unname(as.numeric(table(cutyhat))), obs1 = unname(observed[, 2]), exp1 = unname(expected[, 2]), pResourceSelection = PVAL)
}
out$hoslemFull <- hoslem(out$birthwtFull$y, out$birthwtFull$fitted)
out$hoslem4 <- hoslem(out$birthwt4$y, out$birthwt4$fitted)
tp <- c(rep(0.1, 30), rep(0.2, 30), rep(0.5, 20), seq(0.6, 0.9, length = 20)); set.seed(3); ty <- rbinom(100, 1, tp)
out$hoslemTies <- c(list(yy = ty, pp = tp), hoslem(ty, tp))      # type-7 interpolation leaves empty intervals -> R's chisq is NaN
tp2 <- c(rep(0.1, 55), seq(0.3, 0.9, length = 45)); set.seed(4); ty2 <- rbinom(100, 1, tp2)
out$hoslemTies2 <- c(list(yy = ty2, pp = tp2), hoslem(ty2, tp2))  # a tie block swallows 5 deciles: 5 non-empty groups, df 3

## ---------- lowess ----------
lw <- function(x, y, f = 2/3, iter = 3, delta = 0.01 * diff(range(x))) {
  r <- lowess(x, y, f = f, iter = iter, delta = delta)
  list(x = x, y = y, f = f, iter = iter, delta = delta, outX = r$x, outY = r$y)
}
set.seed(7); xr <- round(runif(60) * 20) / 2; yr <- sin(xr / 2) + rnorm(60, sd = 0.3); yr[c(5, 17)] <- yr[c(5, 17)] + 4
out$lowess <- list(
  lw(cars$speed, cars$dist), lw(cars$speed, cars$dist, iter = 0), lw(cars$speed, cars$dist, f = 0.2, iter = 3),
  lw(xr, yr), lw(xr, yr, iter = 0), lw(xr, yr, f = 0.3, delta = 0), lw(xr, yr, f = 0.1, iter = 5),
  lw(c(3, 1, 2, 5, 4), c(1, 3, 2, 6, 5)), lw(c(1, 2, 3, 4, 5, 6, 7), c(2, 2, 2, 2, 2, 2, 2)),
  lw(out$birthwt4$fitted, out$birthwt4$y, iter = 0), lw(1:100, sqrt(1:100) + sin(1:100), f = 0.5, delta = 5))

## ---------- rms: nomogram and calibrate for lrm(low ~ age + lwt + smoke + ht) ----------
dd <- datadist(bw); options(datadist = "dd")
f4 <- lrm(low ~ age + lwt + smoke + ht, data = bw, x = TRUE, y = TRUE)
nom <- nomogram(f4, fun = plogis)
info <- attr(nom, "info")
axis <- function(v) list(term = v, values = unname(as.numeric(nom[[v]][[v]])), points = unname(nom[[v]]$points))
out$nomogram <- list(coef = unname(coef(f4)), names = names(coef(f4)),
  ranges = lapply(c("age", "lwt", "smoke", "ht"), function(v) list(term = v, min = min(bw[[v]]), max = max(bw[[v]]))),
  lpRange = range(f4$linear.predictors), lpAt = info$lp.at, sc = info$sc, interceptAdj = info$Intercept,
  axes = lapply(c("age", "lwt", "smoke", "ht"), axis), totalPoints = nom$total.points$x,
  funAt = unname(as.numeric(nom[["Predicted Value"]]$x.real)), funPoints = unname(nom[["Predicted Value"]]$x))
## points of one patient: age 30, lwt 120, smoke 1, ht 0
pt1 <- data.frame(age = 30, lwt = 120, smoke = 1, ht = 0)
out$nomogram$patient <- list(values = c(30, 120, 1, 0), lp = unname(predict(f4, pt1)), prob = unname(predict(f4, pt1, type = "fitted")))

p4 <- f4$linear.predictors; p4 <- plogis(p4)
set.seed(1); cal <- calibrate(f4, B = 200)
predicted <- attr(cal, "predicted")
err_of <- function(col) predicted - approx(cal[, "predy"], cal[, col], xout = predicted, ties = mean)$y
e0 <- err_of("calibrated.orig"); e0 <- e0[!is.na(e0)]
e1 <- err_of("calibrated.corrected"); e1 <- e1[!is.na(e1)]
out$calibrate <- list(y = f4$y, p = unname(p4), predy = unname(cal[, "predy"]), apparent = unname(cal[, "calibrated.orig"]),
  corrected = unname(cal[, "calibrated.corrected"]), optimism = unname(cal[, "optimism"]), B = 200,
  apparentMae = mean(abs(e0)), apparentMse = mean(e0^2), apparentQ9 = unname(quantile(abs(e0), 0.9)),
  correctedMae = mean(abs(e1)))
## one bootstrap resample done by hand with rms' own pieces (lrm.fit, lowess(iter = 0), approx ties = first):
## train error (resample model on the resample) and test error (resample model on the original data)
set.seed(11); idx <- sample(nrow(bw), replace = TRUE)
fb <- lrm.fit(f4$x[idx, ], f4$y[idx], tol = 1e-13)
predy <- cal[, "predy"]
cal_err <- function(lp, yy) { smo <- lowess(plogis(lp), yy, iter = 0); approx(smo, xout = predy, ties = function(x) x[1])$y - predy }
out$calibrate$resample <- list(idx = idx, coef = unname(coef(fb)),
  train = cal_err(fb$linear.predictors, f4$y[idx]), test = cal_err(drop(cbind(1, f4$x) %*% coef(fb)), f4$y))

## ---------- pretty() ----------
rng <- list(c(0, 1), c(80, 250), c(14, 45), c(0, 100), c(-3.2, 7.9), c(0.001, 0.0123), c(1e5, 3.3e5), c(-1, 1),
  c(0.05, 0.95), c(17, 17.5), c(0, 0), c(5, 5), c(-0.2, 0), c(1, 1000), c(123.456, 123.789), c(-1e-3, 2e-3),
  c(0.0003, 0.0007), c(2.5, 97.5), c(-55, -12), c(0, 183.1), c(1e-10, 3e-10), c(3, 4), c(0, 7), c(10, 11),
  c(0.999, 1.001), c(-4.7, -4.6), c(1, 2), c(0, 0.3), c(6, 9), c(1.0e6, 1.0e6 + 1), c(0, 37.5), c(-2.3, 2.9))
ns <- c(5, 10, 3, 7)
pr <- list()
for (r in rng) for (n in ns) pr[[length(pr) + 1]] <- list(lo = r[1], hi = r[2], n = n, out = pretty(r, n = n))
out$pretty <- pr

## ---------- decision curve (dcurves restated: positive = risk >= pt) ----------
nb <- function(y, p, pt) { prev <- mean(y); tp <- mean(p[y == 1] >= pt) * prev; fp <- mean(p[y == 0] >= pt) * (1 - prev); tp - pt / (1 - pt) * fp }
ths <- seq(0.01, 0.99, by = 0.01)
yy <- out$birthwtFull$y; pp <- out$birthwtFull$fitted; prev <- mean(yy)
out$dca <- list(y = yy, p = pp, thresholds = ths, model = sapply(ths, function(t) nb(yy, pp, t)),
  all = prev - (1 - prev) * ths / (1 - ths), none = rep(0, length(ths)))

write_json(out, "test/golden/models.json", digits = NA, auto_unbox = TRUE)
cat("wrote test/golden/models.json\n")
