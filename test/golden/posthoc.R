# Post-hoc comparisons for a one-way layout, and the studentized range distribution.
# TukeyHSD, ptukey/qtukey, pairwise.t.test (pooled and Welch), pairwise.wilcox.test are R's own; Dunn's test and
# Games-Howell are restated below from their published definitions (dunn.test / rstatix are not Debian packages).
# Run from the repository root: Rscript test/golden/posthoc.R  → test/golden/posthoc.json
suppressPackageStartupMessages(library(jsonlite))
set.seed(11)
sets <- list(
  PlantGrowth = list(y = PlantGrowth$weight, g = PlantGrowth$group),
  warpbreaks = list(y = warpbreaks$breaks, g = warpbreaks$tension),
  InsectSprays = list(y = InsectSprays$count, g = InsectSprays$spray),
  unbalanced = list(y = c(rnorm(4, 10), rnorm(7, 11, 2), rnorm(5, 9.5, 0.5), rnorm(9, 12, 3)),
                    g = factor(rep(c("ctrl", "low", "mid", "high"), c(4, 7, 5, 9)), levels = c("ctrl", "low", "mid", "high"))),
  airquality = { a <- airquality[!is.na(airquality$Ozone), ]; list(y = a$Ozone, g = factor(a$Month)) }
)
lower <- function(m) { out <- c(); for (j in seq_len(ncol(m))) for (i in seq_len(nrow(m))) if (i >= j && !is.na(m[i, j])) out <- c(out, m[i, j]); out }
dunn <- function(y, g, adjust) {
  r <- rank(y); N <- length(y); t <- table(y)
  s2 <- N * (N + 1) / 12 - sum(t^3 - t) / (12 * (N - 1))
  lv <- levels(g); mr <- tapply(r, g, mean); n <- tapply(y, g, length)
  z <- c(); for (i in 1:(length(lv) - 1)) for (j in (i + 1):length(lv))
    z <- c(z, (mr[[j]] - mr[[i]]) / sqrt(s2 * (1 / n[[i]] + 1 / n[[j]])))
  list(z = z, p = p.adjust(2 * pnorm(-abs(z)), adjust))
}
gameshowell <- function(y, g, conf = 0.95) {
  lv <- levels(g); k <- length(lv); m <- tapply(y, g, mean); v <- tapply(y, g, var) / tapply(y, g, length); n <- tapply(y, g, length)
  out <- list(diff = c(), lwr = c(), upr = c(), p = c())
  for (i in 1:(k - 1)) for (j in (i + 1):k) {
    d <- m[[j]] - m[[i]]; se <- sqrt(v[[i]] + v[[j]]); df <- (v[[i]] + v[[j]])^2 / (v[[i]]^2 / (n[[i]] - 1) + v[[j]]^2 / (n[[j]] - 1))
    h <- qtukey(conf, k, df) / sqrt(2) * se
    out$diff <- c(out$diff, d); out$lwr <- c(out$lwr, d - h); out$upr <- c(out$upr, d + h)
    out$p <- c(out$p, ptukey(abs(d) / se * sqrt(2), k, df, lower.tail = FALSE))
  }
  out
}
res <- list()
for (nm in names(sets)) {
  y <- sets[[nm]]$y; g <- droplevels(factor(sets[[nm]]$g))
  tk <- TukeyHSD(aov(y ~ g))$g
  res[[nm]] <- list(
    y = y, g = as.character(g), levels = levels(g),
    tukey = list(diff = unname(tk[, "diff"]), lwr = unname(tk[, "lwr"]), upr = unname(tk[, "upr"]), p = unname(tk[, "p adj"]), names = rownames(tk)),
    pairwiseT = lower(pairwise.t.test(y, g, p.adjust.method = "holm")$p.value),
    pairwiseTWelch = lower(suppressWarnings(pairwise.t.test(y, g, p.adjust.method = "BH", pool.sd = FALSE))$p.value),
    pairwiseWilcox = lower(suppressWarnings(pairwise.wilcox.test(y, g, p.adjust.method = "holm"))$p.value),
    dunn = dunn(y, g, "bonferroni"),
    gamesHowell = gameshowell(y, g))
}
grid <- expand.grid(q = c(0.5, 1, 2.5, 3.5, 5, 8), k = c(2, 3, 5, 10), df = c(2, 5, 12, 60, 150, 1000, 30000))
grid$p <- mapply(function(q, k, df) ptukey(q, k, df), grid$q, grid$k, grid$df)
qgrid <- expand.grid(p = c(0.9, 0.95, 0.99), k = c(2, 4, 8), df = c(3, 10, 45, 200))
qgrid$q <- mapply(function(p, k, df) qtukey(p, k, df), qgrid$p, qgrid$k, qgrid$df)
write_json(list(r = R.version.string, sets = res, ptukey = grid, qtukey = qgrid), "test/golden/posthoc.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
