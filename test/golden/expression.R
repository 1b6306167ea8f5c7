# Golden numbers for test/unit/expression (run from the repository root: Rscript test/golden/expression.R).
# R 4.2, base + jsonlite only. NormqPCR is not packaged by Debian (apt-cache has no r-bioc-normqpcr), so geNorm and
# NormFinder are restated here from the publications / the authors' code, independently of the TypeScript.
library(jsonlite)
out <- list()

## 1. Standard curves on the real fixtures: lm(Cq ~ log10(quantity)), every amplified replicate a point.
curve <- function(cq, q, maxCq = 35) {
  ok <- !is.na(cq)
  fit <- lm(cq[ok] ~ log10(q[ok]))
  s <- summary(fit)
  ci <- confint(fit)[2, ]
  slope <- unname(coef(fit)[2])
  lod <- NA
  for (lv in sort(unique(q))) { sel <- q == lv; if (all(!is.na(cq[sel]) & cq[sel] <= maxCq)) { lod <- lv; break } }
  list(n = sum(ok), slope = slope, intercept = unname(coef(fit)[1]), r2 = s$r.squared,
       slopeSe = unname(s$coefficients[2, 2]), slopeCi = unname(ci),
       efficiency = 10^(-1 / slope), efficiencyPercent = (10^(-1 / slope) - 1) * 100,
       efficiencyCi = sort(10^(-1 / unname(ci))), lod = lod)
}
lc <- read.delim("test/fixtures/expression/LightCycler_sample.txt", skip = 1, check.names = FALSE)
lcs <- lc[lc$Standard > 0, ]
out$lightcycler <- curve(lcs$Cp, lcs$Standard)
cfx <- read.csv("test/fixtures/expression/CFX_sample.txt", check.names = FALSE, stringsAsFactors = FALSE)
cfxs <- cfx[grepl("^Std", cfx$Content), ]
out$cfx <- list()
for (t in unique(cfxs$Target)) {
  d <- cfxs[cfxs$Target == t, ]
  out$cfx[[t]] <- curve(suppressWarnings(as.numeric(d$Cq)), as.numeric(d$`Starting Quantity (SQ)`))
}

## 2. Grubbs two-sided critical values: (n-1)/sqrt(n) * sqrt(t^2/(n-2+t^2)), t = qt(1 - alpha/(2n), n-2).
gcrit <- function(n, a) { t <- qt(1 - a / (2 * n), n - 2); (n - 1) / sqrt(n) * sqrt(t^2 / (n - 2 + t^2)) }
out$grubbs <- lapply(3:10, function(n) list(n = n, a05 = gcrit(n, 0.05), a01 = gcrit(n, 0.01)))

## 3. Pfaffl with two references and a calibrator (written-out example, see expression.test.ts).
E <- c(T = 1.93, R1 = 2.0, R2 = 1.87)
cq <- list(S1 = c(T = c(24.1, 24.3), R1 = c(18.0, 18.2), R2 = c(20.5, 20.7)),   # calibrator
           S2 = c(T = c(22.0, 22.4), R1 = c(18.4, 18.6), R2 = c(21.0, 20.8)),   # calibrator
           S3 = c(T = c(21.0, 21.2), R1 = c(17.9, 18.1), R2 = c(20.2, 20.4)))
pf <- lapply(names(cq), function(s) {
  x <- cq[[s]]
  m <- sapply(c("T", "R1", "R2"), function(g) mean(x[startsWith(names(x), g)]))
  lq <- -m * log2(E[c("T", "R1", "R2")])
  list(sample = s, cqT = unname(m["T"]), refCq = mean(m[c("R1", "R2")]), log2rq = unname(lq["T"] - mean(lq[c("R1", "R2")])))
})
names(pf) <- names(cq)
calLog <- mean(c(pf$S1$log2rq, pf$S2$log2rq))
out$pfaffl <- lapply(pf, function(p) c(p, list(dcq = p$cqT - p$refCq, rq = 2^p$log2rq, expression = 2^(p$log2rq - calLog))))

## 4. geNorm and NormFinder on a simulated, seeded data set (stored here, read by the test).
set.seed(20240611)
ns <- 24; genes <- c("ACTB", "GAPDH", "B2M", "HPRT1", "RPLP0", "U6")
grp <- rep(c("ctrl", "case"), each = ns / 2)
input <- rnorm(ns, 0, 1)                                 # sample input amount (cycles)
base <- c(18, 20, 22, 25, 21, 27)
noise <- c(0.15, 0.45, 0.25, 0.6, 0.2, 0.35)
groupShift <- c(0, 0.8, 0, 0, 0.1, -0.5)                  # GAPDH and U6 shift with the group
cqm <- sapply(seq_along(genes), function(j) round(base[j] + input + noise[j] * rnorm(ns) + groupShift[j] * (grp == "case"), 3))
colnames(cqm) <- genes
Q <- 2^-cqm                                               # relative quantities, efficiency 2

# geNorm and NormFinder: test/golden/normalisation.R
source("test/golden/normalisation.R")
out$stability <- list(genes = genes, groups = grp, cq = unname(split(cqm, row(cqm))),
                      genorm = genorm(Q), normfinderGroups = normfinder(Q, grp), normfinderOne = normfinder(Q))

## 5. End to end on the CFX fixture: reference PYY, targets GLP1 and TFF1, efficiencies from each target's standard
##    curve, max-cq 35 with non-detects (N/A and Cq > 35) excluded, ddCq against the "*-SI1" samples (Pfaffl form).
cfxu <- cfx[!grepl("^Std", cfx$Content) & cfx$Content != "Neg Ctrl", ]
cfxu$cqn <- suppressWarnings(as.numeric(cfxu$Cq))
cfxu$ok <- !is.na(cfxu$cqn) & cfxu$cqn <= 35
Ecfx <- sapply(out$cfx, function(x) x$efficiency)
smp <- unique(cfxu$Sample)
cm <- function(s, t) { x <- cfxu$cqn[cfxu$Sample == s & cfxu$Target == t & cfxu$ok]; if (length(x)) mean(x) else NA }
nu <- function(s, t) sum(cfxu$Sample == s & cfxu$Target == t & cfxu$ok)
e2e <- list()
for (t in c("GLP1", "TFF1")) {
  cq <- sapply(smp, cm, t = t); ref <- sapply(smp, cm, t = "PYY")
  dcq <- cq - ref
  l2 <- -cq * log2(Ecfx[[t]]) + ref * log2(Ecfx[["PYY"]])
  cal <- grepl("-SI1$", smp) & !is.na(dcq)
  ddcq <- dcq - mean(dcq[cal]); ex <- 2^(l2 - mean(l2[cal]))
  for (i in seq_along(smp)) e2e[[length(e2e) + 1]] <- list(sample = smp[i], target = t, cqMean = unname(cq[i]), nUsed = nu(smp[i], t),
    refCq = unname(ref[i]), dcq = unname(dcq[i]), ddcq = unname(ddcq[i]), expression = unname(ex[i]))
}
out$cfxPipeline <- list(efficiency = as.list(Ecfx), rows = e2e)

write_json(out, "test/golden/expression.json", digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
