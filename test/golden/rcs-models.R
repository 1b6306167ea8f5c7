# Models with restricted cubic spline terms as rms fits them: lrm and cph with rcs() terms on a fixed seeded data set
# (knots, coefficients, SEs, rms::anova's Wald rows, rms::Predict's partial effect of each spline term with the other
# predictors at datadist's adjust-to values), and glm's SEs on the same basis (the engine's coefficient table).
# The data set is written as clinical.csv-like rows so the tests run it through the study language.
# Run from the repository root: Rscript test/golden/rcs-models.R  → test/golden/rcs-models.json
suppressPackageStartupMessages({ library(rms); library(survival); library(jsonlite) })
set.seed(20240513)
n <- 240
d <- data.frame(
  id = sprintf("S%03d", seq_len(n)),
  age = round(rnorm(n, 62, 9)),
  cea = round(rlnorm(n, 1.5, 0.8), 2),
  bmi = round(rnorm(n, 25, 3.5), 1),
  sex = sample(c("F", "M"), n, TRUE, prob = c(0.4, 0.6)),
  stage = sample(c("I", "II", "III"), n, TRUE, prob = c(0.3, 0.45, 0.25)),
  stringsAsFactors = FALSE)
lp <- -0.8 + 0.05 * (d$age - 62) + 0.004 * (d$age - 62)^2 + 0.5 * log(d$cea) - 0.3 * (d$sex == "M") + 0.4 * (d$stage == "III")
d$y <- rbinom(n, 1, plogis(lp))
h <- 0.02 * exp(0.03 * (d$age - 62) + 0.002 * (d$age - 62)^2 + 0.3 * log(d$cea) + 0.5 * (d$stage == "III"))
tt <- rexp(n, h); cens <- runif(n, 10, 90)
d$time <- round(pmin(tt, cens), 2); d$event <- as.integer(tt <= cens)
d$sex <- factor(d$sex); d$stage <- factor(d$stage)
dd <- datadist(d); options(datadist = "dd")

rows <- function(a) lapply(seq_len(nrow(a)), function(i) list(row = rownames(a)[i], chisq = unname(a[i, "Chi-Square"]), df = unname(a[i, "d.f."]), p = unname(a[i, "P"])))
pred <- function(f, v) { p <- as.data.frame(Predict(f, name = v)); list(variable = v, x = p[[v]], y = p$yhat, lo = p$lower, hi = p$upper) }
knots <- function(f) lapply(f$Design$parms, unname)

# logistic: two spline terms (4 and 3 knots), a factor and a 3-level factor
fl <- lrm(y ~ rcs(age, 4) + rcs(cea, 3) + sex + stage, data = d, x = TRUE)
gl <- glm(y ~ rcs(age, 4) + rcs(cea, 3) + sex + stage, data = d, family = binomial)
logistic <- list(formula = "y ~ rcs(age, 4) + rcs(cea, 3) + sex + stage", names = names(coef(fl)), coef = unname(coef(fl)),
                 se = unname(sqrt(diag(vcov(fl)))), glmCoef = unname(coef(gl)), glmSe = unname(sqrt(diag(vcov(gl)))),
                 knots = knots(fl), anova = rows(anova(fl)), predict = list(pred(fl, "age"), pred(fl, "cea")))
# rms::nomogram of the logistic model: spline axes at pretty values over the data range, non-monotone points
nom <- nomogram(fl, fun = plogis)
info <- attr(nom, "info")
nomAxis <- function(v) list(term = v, values = nom[[v]][[v]], points = unname(nom[[v]]$points))
logistic$nomogram <- list(sc = info$sc, axes = lapply(c("age", "cea", "sex", "stage"), nomAxis), totalPoints = nom$total.points$x,
  funAt = unname(as.numeric(nom[["Predicted Value"]]$x.real)), funPoints = unname(nom[["Predicted Value"]]$x))
# the model evaluated in another cohort keeps its knots: the AUC of its predictions among age > 60 (Mann-Whitney form)
older <- d$age > 60; po <- predict(fl, type = "fitted")[older]; yo <- d$y[older]
logistic$aucOlder <- mean(outer(po[yo == 1], po[yo == 0], function(a, b) (a > b) + 0.5 * (a == b)))
pt1 <- data.frame(age = 47, cea = 12.5, sex = "F", stage = "III")
logistic$nomogram$patient <- list(age = 47, cea = 12.5, sex = "F", stage = "III", lp = unname(predict(fl, pt1)))
# cox: rcs(age) with rms's default number of knots (5), one 3-knot spline, a factor. cph's default convergence
# criterion (eps = 1e-4 on the log likelihood) stops ~1e-7 short of the maximum: fitted at coxph's (1e-9) instead.
fc <- cph(Surv(time, event) ~ rcs(age) + rcs(cea, 3) + stage, data = d, x = TRUE, y = TRUE, eps = 1e-9, tol = 1e-11, iter.max = 30)
cc <- coxph(Surv(time, event) ~ rcs(age) + rcs(cea, 3) + stage, data = d)
stopifnot(max(abs(coef(cc) - coef(fc))) < 1e-8)
cox <- list(formula = "rcs(age) + rcs(cea, 3) + stage", names = names(coef(fc)), coef = unname(coef(fc)), se = unname(sqrt(diag(vcov(fc)))),
            knots = knots(fc), anova = rows(anova(fc)), predict = list(pred(fc, "age"), pred(fc, "cea")))
# a single spline term (anova: the term, its Nonlinear line and TOTAL, no TOTAL NONLINEAR)
f1 <- lrm(y ~ rcs(bmi, 3), data = d)
single <- list(coef = unname(coef(f1)), anova = rows(anova(f1)))
write_json(list(r = R.version.string, rms = as.character(packageVersion("rms")), survival = as.character(packageVersion("survival")),
                data = d, logistic = logistic, cox = cox, single = single),
           "test/golden/rcs-models.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
