# Restricted cubic splines as rms: rcspline.eval's default knots (k = 3..7, n < 100 and n >= 100, tied ends),
# the basis rcs() builds, and lrm fits with rms::anova's Wald tests of nonlinearity (per term and overall).
# Run from the repository root: Rscript test/golden/splines.R  → test/golden/splines.json
suppressPackageStartupMessages({ library(rms); library(jsonlite) })
set.seed(5)
knotcases <- list()
addk <- function(name, x) for (k in 3:7) knotcases[[length(knotcases) + 1]] <<- list(name = name, k = k, x = x, knots = rcspline.eval(x, nk = k, knots.only = TRUE))
addk("normal 60", round(rnorm(60, 50, 10), 2))
addk("lognormal 300", rlnorm(300))
addk("tied low end", c(rep(0, 30), round(runif(170, 0, 100), 1)))
x <- seq(1, 40, by = 0.7); basis <- rcspline.eval(x, knots = c(5, 12, 20, 31), inclx = TRUE)
# logistic model with two spline terms and a linear one
n <- 300
d <- data.frame(age = round(rnorm(n, 60, 10)), bmi = round(rnorm(n, 26, 4), 1), mir = rnorm(n))
lp <- -0.5 + 0.04 * (d$age - 60) + 0.002 * (d$age - 60)^2 + 0.1 * (d$bmi - 26) + 0.8 * d$mir
d$y <- rbinom(n, 1, plogis(lp))
dd <- datadist(d); options(datadist = "dd")
f <- lrm(y ~ rcs(age, 4) + rcs(bmi, 3) + mir, data = d, x = TRUE)
a <- anova(f)
ka <- f$Design$parms
out <- list(
  knots = knotcases,
  basis = list(x = x, knots = c(5, 12, 20, 31), values = lapply(seq_len(nrow(basis)), function(i) unname(basis[i, ]))),
  lrm = list(age = d$age, bmi = d$bmi, mir = d$mir, y = d$y, knotsAge = unname(ka$age), knotsBmi = unname(ka$bmi),
             coef = unname(coef(f)), names = names(coef(f)),
             anova = lapply(seq_len(nrow(a)), function(i) list(row = rownames(a)[i], chisq = unname(a[i, "Chi-Square"]), df = unname(a[i, "d.f."]), p = unname(a[i, "P"])))))
write_json(list(r = R.version.string, rms = as.character(packageVersion("rms")), splines = out), "test/golden/splines.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
