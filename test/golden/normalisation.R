# geNorm (Vandesompele et al. 2002) and NormFinder (Andersen et al. 2004), restated in R for the goldens.
# Sourced by test/golden/expression.R and test/golden/expression-real.R (run them from the repository root).
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
  # geNorm's elimination ranks (NormqPCR::selectHKs): a gene dropped while k genes remained has rank k; the last two
  # are not separable (one M for both, the SD of their log ratio) and share rank 1.
  ranks <- c(setNames(c(1, 1), sort(cur)), setNames(length(removed) + 2 - seq_along(removed) + 1, removed))
  lastPair <- list(targets = sort(cur), m = sd(L[, cur[1]] - L[, cur[2]]))
  v <- list()
  if (length(ranking) > 2) for (n in 2:(length(ranking) - 1)) {
    nf1 <- rowMeans(L[, ranking[1:n], drop = FALSE]); nf2 <- rowMeans(L[, ranking[1:(n + 1)], drop = FALSE])
    v[[length(v) + 1]] <- list(label = sprintf("V%d/%d", n, n + 1), v = sd(nf1 - nf2))
  }
  list(m = as.list(m0), steps = steps, ranking = ranking, ranks = as.list(ranks), lastPair = lastPair, v = v)
}
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
  for (g in 1:ngr) { z <- da[, grId == lv[g], drop = FALSE]
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
    if (k > 3) for (a in 1:(k - 1)) for (b in (a + 1):k) {
      d1 <- rbind(da[-c(a, b), , drop = FALSE], colMeans(da[c(a, b), , drop = FALSE]))
      q <- sqrt(nfStabOne(d1))[k - 1]; if (q < best) { best <- q; bp <- gn[c(a, b)] }
    }
  }
  names(st) <- gn
  r <- list(stability = as.list(st), best = gn[which.min(st)])
  if (!is.null(bp)) { r$bestPair <- bp; r$bestPairValue <- best }
  r
}
