# Melt-curve definitions of src/engine/curves/melt.ts computed by hand in base R on the real melt data of
# own_mix_a.rdml (test/golden/curves-melt.csv, extracted by test/golden/curves-extract.py): centred moving average of
# F over 5 points (shrinking at the ends), -dF/dT by centred differences (one-sided at the ends), interior local maxima
# with D > 0, Tm/height at the vertex of the parabola through the 3 points, prominence as scipy defines it, peaks kept
# when prominence >= 0.1 * the main peak's height; main-peak Tm robust z per target with R's mad.
# Run from the repository root: Rscript test/golden/melt.R → test/golden/melt.json
suppressPackageStartupMessages(library(jsonlite))
melt <- read.csv("test/golden/curves-melt.csv", stringsAsFactors = FALSE)
keys <- unique(melt[, c("source", "react", "target")])

smooth <- function(y, w = 5) {
  h <- (w - 1) / 2; n <- length(y)
  sapply(seq_len(n), function(i) { k <- min(h, i - 1, n - i); mean(y[(i - k):(i + k)]) })
}
deriv <- function(t, y) {
  s <- smooth(y); n <- length(s)
  sapply(seq_len(n), function(i) { a <- max(1, i - 1); b <- min(n, i + 1); -(s[b] - s[a]) / (t[b] - t[a]) })
}
prominence <- function(d, i) {
  l <- d[i]; j <- i - 1
  while (j >= 1 && d[j] <= d[i]) { l <- min(l, d[j]); j <- j - 1 }
  r <- d[i]; j <- i + 1
  while (j <= length(d) && d[j] <= d[i]) { r <- min(r, d[j]); j <- j + 1 }
  d[i] - max(l, r)
}
peaks <- function(t, d) {
  out <- NULL
  for (i in 2:(length(d) - 1)) {
    if (!(d[i] > d[i - 1] && d[i] >= d[i + 1] && d[i] > 0)) next
    co <- coef(lm(d[(i - 1):(i + 1)] ~ poly(t[(i - 1):(i + 1)], 2, raw = TRUE)))
    tm <- -co[[2]] / (2 * co[[3]])
    out <- rbind(out, data.frame(tm = tm, height = co[[1]] + co[[2]] * tm + co[[3]] * tm^2, prominence = prominence(d, i), index = i - 1))
  }
  out <- out[order(-out$height), ]
  out[c(TRUE, out$prominence[-1] >= 0.1 * out$height[1]), ]
}
cases <- lapply(seq_len(nrow(keys)), function(i) {
  r <- melt[melt$source == keys$source[i] & melt$react == keys$react[i] & melt$target == keys$target[i], ]
  d <- deriv(r$tmp, r$fluor)
  list(source = keys$source[i], react = as.character(keys$react[i]), target = keys$target[i], derivative = d, peaks = peaks(r$tmp, d))
})
# One constructed curve with a product at 84 °C and a primer-dimer-like product at 74 °C (its points are in the JSON).
t <- seq(60, 95, by = 0.3)
f <- 1e5 / (1 + exp((t - 84) / 0.6)) + 3e4 / (1 + exp((t - 74) / 0.8)) + 2e4 - 150 * t
d <- deriv(t, f)
constructed <- list(source = "constructed", react = "two products", target = "", tmp = t, fluor = f, derivative = d, peaks = peaks(t, d))
tm <- sapply(cases, function(c) c$peaks$tm[1])
for (target in unique(keys$target)) {
  ix <- which(keys$target == target)
  z <- (tm[ix] - median(tm[ix])) / mad(tm[ix])
  for (k in seq_along(ix)) cases[[ix[k]]]$tmZ <- z[k]
}
write_json(list(r = R.version.string, melt = cases, constructed = constructed), "test/golden/melt.json", digits = NA, auto_unbox = TRUE, pretty = FALSE, dataframe = "rows")
