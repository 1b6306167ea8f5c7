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

genormM <- function(L) {                                  # L: samples x genes, log2 quantities
  k <- ncol(L)
  sapply(1:k, function(j) mean(sapply((1:k)[-j], function(i) sd(L[, j] - L[, i]))))
}
genorm <- function(Q) {
  L <- log2(Q); cur <- colnames(Q); steps <- list(); removed <- c()
  m0 <- genormM(L); names(m0) <- cur
  while (length(cur) > 2) {
    m <- genormM(L[, cur, drop = FALSE]); names(m) <- cur
    w <- cur[which.max(m)]
    steps[[length(steps) + 1]] <- list(excluded = w, m = as.list(m))
    removed <- c(removed, w); cur <- setdiff(cur, w)
  }
  ranking <- c(sort(cur), rev(removed))
  v <- list()
  for (n in 2:(length(ranking) - 1)) {
    nf1 <- rowMeans(L[, ranking[1:n], drop = FALSE]); nf2 <- rowMeans(L[, ranking[1:(n + 1)], drop = FALSE])
    v[[length(v) + 1]] <- list(label = sprintf("V%d/%d", n, n + 1), v = sd(nf1 - nf2))
  }
  list(m = as.list(m0), steps = steps, ranking = ranking, v = v)
}

# NormFinder, restated from Andersen et al.'s R code (version 05/01-2015), data da[gene, sample] on log2 scale.
nfMakeStab <- function(da, grId) {
  ngenes <- nrow(da); lv <- sort(unique(grId)); ngr <- length(lv)
  nsamples <- sapply(lv, function(g) sum(grId == g))
  sampleavg <- colMeans(da)
  genegroupavg <- sapply(lv, function(g) rowMeans(da[, grId == g, drop = FALSE]))
  groupavg <- sapply(lv, function(g) mean(da[, grId == g]))
  GGvar <- matrix(0, ngenes, ngr)
  for (g in 1:ngr) {
    gs <- grId == lv[g]
    a <- sapply(1:ngenes, function(i) sum((da[i, gs] - genegroupavg[i, g] - sampleavg[gs] + groupavg[g])^2) / (nsamples[g] - 1))
    GGvar[, g] <- (a - sum(a) / (ngenes * ngenes - ngenes)) / (1 - 2 / ngenes)
  }
  minvar <- matrix(0, ngenes, ngr)
  for (g in 1:ngr) { z <- da[, grId == lv[g]]
    for (i in 1:ngenes) minvar[i, g] <- min(sapply((1:ngenes)[-i], function(i1) var(z[i, ] - z[i1, ]))) / 4 }
  GGvar <- ifelse(GGvar < 0, minvar, GGvar)
  dif <- genegroupavg
  dif <- dif - outer(rowMeans(dif), rep(1, ngr)) - outer(rep(1, ngenes), colMeans(dif)) + mean(dif)
  nsM <- matrix(rep(nsamples, ngenes), ngenes, ngr, byrow = TRUE)
  vardif <- GGvar / nsM
  gamma <- max(0, sum(dif * dif) / ((ngr - 1) * (ngenes - 1)) - sum(vardif) / (ngenes * ngr))
  difnew <- dif * gamma / (gamma + vardif); varnew <- vardif + gamma * vardif / (gamma + vardif)
  list(ostab = rowMeans(abs(difnew) + sqrt(varnew)), gamma = gamma, GGvar = GGvar, dif = dif, nsamples = nsamples)
}
nfComb2 <- function(g1, g2, r, ngenes) {
  gam <- r$gamma; n <- r$nsamples
  d1 <- r$dif[g1, ]; d2 <- r$dif[g2, ]; s1 <- r$GGvar[g1, ]; s2 <- r$GGvar[g2, ]
  rho <- abs(gam * d1 / (gam + s1 / n) + gam * d2 / (gam + s2 / n)) * sqrt(ngenes / (ngenes - 2)) / 2
  rho <- rho + sqrt(s1 / n + gam * s1 / (n * gam + s1) + s2 / n + gam * s2 / (n * gam + s2)) / 2
  mean(rho)
}
nfStabOne <- function(da) {
  ngenes <- nrow(da); n <- ncol(da)
  v0 <- sapply(1:ngenes, function(i) sum((da[i, ] - mean(da[i, ]) - colMeans(da) + mean(da))^2) / ((n - 1) * (1 - 2 / ngenes)))
  v <- v0 - sum(v0) / (ngenes * ngenes - ngenes)
  mv <- sapply(1:ngenes, function(i) min(sapply((1:ngenes)[-i], function(i1) var(da[i, ] - da[i1, ]))) / 4)
  ifelse(v < 0, mv, v)
}
normfinder <- function(Q, grId = NULL) {
  da <- t(log2(Q)); k <- nrow(da); gn <- rownames(da)
  best <- Inf; bp <- NULL
  if (!is.null(grId) && length(unique(grId)) > 1) {
    r <- nfMakeStab(da, grId); st <- r$ostab
    for (a in 1:(k - 1)) for (b in (a + 1):k) { q <- nfComb2(a, b, r, k); if (q < best) { best <- q; bp <- gn[c(a, b)] } }
  } else {
    st <- sqrt(nfStabOne(da))
    for (a in 1:(k - 1)) for (b in (a + 1):k) {
      d1 <- rbind(da[-c(a, b), , drop = FALSE], colMeans(da[c(a, b), , drop = FALSE]))
      q <- sqrt(nfStabOne(d1))[k - 1]; if (q < best) { best <- q; bp <- gn[c(a, b)] }
    }
  }
  names(st) <- gn
  list(stability = as.list(st), best = gn[which.min(st)], bestPair = bp, bestPairValue = best)
}
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
