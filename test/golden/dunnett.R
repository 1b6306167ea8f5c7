# Dunnett's many-to-one comparisons as multcomp::glht(aov(y ~ g), linfct = mcp(g = "Dunnett")), single-step:
# estimates, SE, t, adjusted p (summary) and simultaneous CIs (confint). mvtnorm's Genz-Bretz integration is
# randomised: it is run here at abseps 1e-7 (maxpts 1e6, seeded), so R's own error is ~1e-7 on p; the quantile comes
# from qmvt's stochastic root search, which stops at ptol 1e-3 (confint's lwr/upr, kept as qmvtCritical), and again by
# uniroot on pmvt (critical). The engine integrates deterministically (stats/dunnett.ts); the test compares p at 1e-5
# absolute, the critical value at 1e-5 and glht's CI bounds at 1e-3 absolute.
# Run from the repository root: Rscript test/golden/dunnett.R  → test/golden/dunnett.json
suppressPackageStartupMessages({ library(jsonlite); library(multcomp) })
set.seed(23)
sets <- list(
  PlantGrowth = list(y = PlantGrowth$weight, g = PlantGrowth$group, control = "ctrl"),
  warpbreaks = list(y = warpbreaks$breaks, g = warpbreaks$tension, control = "L"),
  InsectSprays = list(y = InsectSprays$count, g = InsectSprays$spray, control = "C"),
  unbalanced = list(y = round(c(rnorm(4, 10), rnorm(7, 11, 2), rnorm(5, 9.5, 0.5), rnorm(9, 12, 3)), 3),
                    g = factor(rep(c("untreated", "low", "mid", "high"), c(4, 7, 5, 9)), levels = c("untreated", "low", "mid", "high")),
                    control = "untreated"),
  strong = list(y = round(c(rnorm(3, 1, 0.1), rnorm(3, 1.2, 0.1), rnorm(3, 2, 0.1), rnorm(3, 4, 0.1)), 4),
                g = factor(rep(c("a", "b", "c", "d"), each = 3)), control = "b")
)
alg <- GenzBretz(maxpts = 1e6, abseps = 1e-7, releps = 0)
algq <- GenzBretz(maxpts = 2e5, abseps = 1e-6, releps = 0)
res <- list()
for (nm in names(sets)) {
  s <- sets[[nm]]
  g <- relevel(droplevels(factor(s$g)), ref = s$control)
  d <- data.frame(y = s$y, g = g)
  fit <- glht(aov(y ~ g, data = d), linfct = mcp(g = "Dunnett"))
  sm <- summary(fit, test = adjusted("single-step", algorithm = alg))
  ci <- confint(fit, level = 0.95, calpha = adjusted_calpha(algorithm = algq))
  # qmvt's root search stops at ptol 1e-3: the critical value again, by uniroot on pmvt at abseps 1e-7
  cr <- cov2cor(vcov(fit)); k <- ncol(cr)
  crit <- uniroot(function(c) 1 - pmvt(lower = rep(-c, k), upper = rep(c, k), df = fit$df, corr = cr, algorithm = alg) - 0.05,
                  c(1.5, 6), tol = 1e-9)$root
  res[[nm]] <- list(
    y = s$y, g = as.character(s$g), levels = levels(droplevels(factor(s$g))), control = s$control,
    names = names(sm$test$coefficients), estimate = unname(sm$test$coefficients), se = unname(sm$test$sigma),
    t = unname(sm$test$tstat), p = unname(as.numeric(sm$test$pvalues)), perror = attr(sm$test$pvalues, "error"),
    lwr = unname(ci$confint[, "lwr"]), upr = unname(ci$confint[, "upr"]), qmvtCritical = attr(ci$confint, "calpha"),
    critical = crit, df = fit$df)
}
write_json(list(r = R.version.string, multcomp = as.character(packageVersion("multcomp")), mvtnorm = as.character(packageVersion("mvtnorm")), sets = res),
  "test/golden/dunnett.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
