# Baseline correction and threshold Cq (issue 20, src/engine/curves/threshold.ts) by base R on the real curves of
# test/golden/curves-amplification.csv: baseline = lm(fluor ~ cycle) over cycles 3..15 (or their mean), noise = sd()
# of the corrected values there, automatic threshold = 10 * median noise of the curves of one (source, target),
# Cq = last upward crossing before the maximum, interpolated linearly in F or in log F (linearly when the value below
# the crossing is <= 0). Run from the repository root: Rscript test/golden/threshold.R → test/golden/threshold.json
suppressPackageStartupMessages(library(jsonlite))
curves <- read.csv("test/golden/curves-amplification.csv", stringsAsFactors = FALSE)
keys <- unique(curves[, c("source", "react", "target")])
get <- function(k) curves[curves$source == k$source & curves$react == k$react & curves$target == k$target, ]

baseline <- function(x, y, method) {
  k <- x >= 3 & x <= 15
  co <- if (method == "linear") coef(lm(y[k] ~ x[k])) else c(mean(y[k]), 0)
  corr <- y - (co[[1]] + co[[2]] * x)
  list(intercept = co[[1]], slope = co[[2]], sd = sd(corr[k]), corrected = corr)
}

cq <- function(x, y, t, log) {
  top <- which.max(y)
  if (y[top] < t) return(NA)
  i <- top
  while (i > 1 && y[i - 1] >= t) i <- i - 1
  if (i == 1) return(NA)
  y0 <- y[i - 1]; y1 <- y[i]
  if (log && y0 > 0 && t > 0) { y0 <- log(y0); y1 <- log(y1); t <- log(t) }
  x[i - 1] + (t - y0) / (y1 - y0) * (x[i] - x[i - 1])
}

base <- lapply(seq_len(nrow(keys)), function(i) { r <- get(keys[i, ]); baseline(r$cycle, r$fluor, "linear") })
group <- paste(keys$source, keys$target)
thr <- tapply(sapply(base, `[[`, "sd"), group, function(s) 10 * median(s))
cases <- lapply(seq_len(nrow(keys)), function(i) {
  r <- get(keys[i, ]); b <- base[[i]]; m <- baseline(r$cycle, r$fluor, "mean"); t <- thr[[group[i]]]
  list(source = keys$source[i], react = as.character(keys$react[i]), target = keys$target[i],
       intercept = b$intercept, slope = b$slope, sd = b$sd, meanBaseline = m$intercept, meanSd = m$sd,
       threshold = t, cqLinear = cq(r$cycle, b$corrected, t, FALSE), cqLog = cq(r$cycle, b$corrected, t, TRUE),
       cqMeanBaseline = cq(r$cycle, m$corrected, t, FALSE))
})
write_json(list(r = R.version.string, threshold = cases), "test/golden/threshold.json", digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
