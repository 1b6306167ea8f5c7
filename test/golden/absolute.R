# Golden numbers for test/unit/expression/absolute.test.ts: absolute quantification of unknowns from a standard curve.
# Run from the repository root: Rscript test/golden/absolute.R  ->  test/golden/absolute.json
#
# R 4.2, base + jsonlite only (investr::calibrate is not installed here). Classical inverse regression (Draper & Smith
# 1998, sec. 3.2; ISO 11095): fit <- lm(cq ~ log10(q)) on the standards; an unknown with mean Cq y0 of m replicates has
# x0 = (y0 - a) / b, quantity 10^x0, se(x0) = (s / |b|) * sqrt(1/m + 1/n + (y0 - ybar)^2 / (b^2 * Sxx)), and the 95 %
# prediction interval of x0 is x0 -/+ qt(0.975, n - 2) * se(x0), back-transformed to 10^ (asymmetric in quantity).
library(jsonlite)
set.seed(20261205)
lvl <- 10^(6:2)                       # five tenfold dilutions, 1e6 .. 1e2 copies
q <- rep(lvl, each = 3)               # triplicates
cq <- round(38.1 - 3.35 * log10(q) + rnorm(length(q), 0, 0.15), 3)
fit <- lm(cq ~ log10(q))
a <- unname(coef(fit)[1]); b <- unname(coef(fit)[2])
n <- length(q); s <- summary(fit)$sigma
x <- log10(q); sxx <- sum((x - mean(x))^2); ybar <- mean(cq)
tq <- qt(0.975, n - 2)
# unknowns: mean Cq and replicate count (inside the range, at the mean, extrapolated both ways)
unk <- list(list(cq = 25.2, m = 1), list(cq = 25.2, m = 3), list(cq = mean(cq), m = 2), list(cq = 19.7, m = 1),
            list(cq = 33.4, m = 3), list(cq = 36.9, m = 1))
res <- lapply(unk, function(u) {
  x0 <- (u$cq - a) / b
  se <- s / abs(b) * sqrt(1 / u$m + 1 / n + (u$cq - ybar)^2 / (b^2 * sxx))
  list(cq = u$cq, m = u$m, log10q = x0, quantity = 10^x0, log10Se = se,
       ci = c(10^(x0 - tq * se), 10^(x0 + tq * se)),
       outsideRange = u$cq < min(cq) || u$cq > max(cq))
})
out <- list(standards = list(quantity = q, cq = cq), slope = b, intercept = a, sigma = s, n = n,
            cqRange = range(cq), unknowns = res)
write_json(out, "test/golden/absolute.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
