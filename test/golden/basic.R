# Golden values for src/engine/stats/{descriptive,tests,correlation}.ts (R 4.2, base stats + MASS data).
# Writes test/golden/basic.json: every case carries its input data, so the TS tests use exactly the same numbers.
# Run from the repository root: Rscript test/golden/basic.R
suppressPackageStartupMessages(library(jsonlite))
options(warn = 1)

# Inf / -Inf are not JSON numbers: write them as strings "Inf" / "-Inf" (the TS test maps them back).
num <- function(v) {
  v <- unname(v)
  if (length(v) == 1) return(if (is.na(v)) NULL else if (is.infinite(v)) as.character(v) else v)
  lapply(v, function(e) if (is.infinite(e)) as.character(e) else e)
}
warned <- function(expr) {
  w <- FALSE
  val <- withCallingHandlers(expr, warning = function(c) { w <<- TRUE; invokeRestart("muffleWarning") })
  list(value = val, warning = w)
}
htest <- function(h) {
  list(statistic = num(h$statistic), df = num(h$parameter), p = num(h$p.value),
       estimate = if (is.null(h$estimate)) NULL else num(h$estimate),
       ci = if (is.null(h$conf.int)) NULL else num(as.numeric(h$conf.int)),
       method = h$method)
}

out <- list(R = R.version.string)

# ---- descriptive -----------------------------------------------------------------------------------------------
qx <- c(3.1, -1, 7, 2.2, 2.2, 10, 0.5)
probs <- c(0, 0.1, 0.25, 0.33, 0.5, 2/3, 0.75, 0.9, 1)
desc_case <- function(x) list(x = x, probs = probs, quantile = unname(quantile(x, probs, type = 7)),
  mean = mean(x), var = if (length(x) > 1) var(x) else NULL, sd = if (length(x) > 1) sd(x) else NULL,
  median = median(x), iqr = IQR(x), min = min(x), max = max(x), rank = rank(x))
out$descriptive <- list(
  desc_case(qx),
  desc_case(c(4.2)),
  desc_case(c(5, 1)),
  desc_case(mtcars$mpg),
  desc_case(airquality$Ozone[!is.na(airquality$Ozone)])
)

# ---- t tests ---------------------------------------------------------------------------------------------------
s1 <- sleep$extra[sleep$group == 1]; s2 <- sleep$extra[sleep$group == 2]
mpg0 <- mtcars$mpg[mtcars$am == 0]; mpg1 <- mtcars$mpg[mtcars$am == 1]
tcase <- function(name, x, y, var.equal, conf = 0.95) {
  h <- t.test(x, y, var.equal = var.equal, conf.level = conf)
  res <- htest(h)
  res$estimate <- unname(h$estimate[1] - h$estimate[2])  # mean difference (R prints the two means)
  c(list(name = name, x = x, y = y, varEqual = var.equal, conf = conf), res)
}
out$ttest <- list(
  tcase("sleep Student", s1, s2, TRUE),
  tcase("sleep Welch", s1, s2, FALSE),
  tcase("mtcars mpg by am Student", mpg0, mpg1, TRUE),
  tcase("mtcars mpg by am Welch 90%", mpg0, mpg1, FALSE, 0.90),
  tcase("Student with nx = 1", c(5), c(1, 2, 3.5), TRUE)
)
pcase <- function(name, x, y, conf = 0.95) {
  h <- t.test(x, y, paired = TRUE, conf.level = conf)
  c(list(name = name, x = x, y = y, conf = conf), htest(h))
}
out$paired <- list(
  pcase("sleep paired", s1, s2),
  pcase("immer Y1 vs Y2", MASS::immer$Y1, MASS::immer$Y2),
  pcase("anorexia FT Postwt vs Prewt 99%", MASS::anorexia$Postwt[MASS::anorexia$Treat == "FT"], MASS::anorexia$Prewt[MASS::anorexia$Treat == "FT"], 0.99)
)

# ---- ANOVA -----------------------------------------------------------------------------------------------------
acase <- function(name, y, g) {
  g <- factor(g)
  a <- summary(aov(y ~ g))[[1]]
  w <- oneway.test(y ~ g, var.equal = FALSE)
  ow <- oneway.test(y ~ g, var.equal = TRUE)
  list(name = name, groups = unname(lapply(split(y, g), as.numeric)),
       F = a[1, "F value"], df = c(a[1, "Df"], a[2, "Df"]), p = a[1, "Pr(>F)"],
       ssBetween = a[1, "Sum Sq"], ssWithin = a[2, "Sum Sq"], onewayF = unname(ow$statistic),
       welchF = unname(w$statistic), welchDf = unname(w$parameter), welchP = w$p.value)
}
out$anova <- list(
  acase("PlantGrowth", PlantGrowth$weight, PlantGrowth$group),
  acase("mtcars mpg by cyl", mtcars$mpg, mtcars$cyl),
  acase("InsectSprays", InsectSprays$count, InsectSprays$spray)
)

# ---- Kruskal-Wallis --------------------------------------------------------------------------------------------
kcase <- function(name, y, g) {
  ok <- !is.na(y); y <- y[ok]; g <- factor(g[ok])
  h <- kruskal.test(y, g)
  c(list(name = name, groups = unname(lapply(split(y, g), as.numeric))), htest(h))
}
out$kruskal <- list(
  kcase("PlantGrowth", PlantGrowth$weight, PlantGrowth$group),
  kcase("InsectSprays (ties)", InsectSprays$count, InsectSprays$spray),
  kcase("airquality Ozone by Month", airquality$Ozone, airquality$Month)
)

# ---- chi-square --------------------------------------------------------------------------------------------------
ccase <- function(name, m, correct) {
  r <- warned(chisq.test(m, correct = correct))
  c(list(name = name, table = lapply(seq_len(nrow(m)), function(i) as.numeric(m[i, ])), correct = correct,
         expected = lapply(seq_len(nrow(m)), function(i) as.numeric(r$value$expected[i, ])), smallExpectedWarning = r$warning),
    htest(r$value))
}
m22 <- matrix(c(12, 5, 7, 9), 2)
small <- matrix(c(5, 5, 5, 6), 2)
amcyl <- unclass(table(mtcars$am, mtcars$cyl)); dimnames(amcyl) <- NULL
hair <- unclass(apply(HairEyeColor, c(1, 2), sum)); dimnames(hair) <- NULL
out$chisq <- list(
  ccase("2x2 Pearson", m22, FALSE),
  ccase("2x2 Yates", m22, TRUE),
  ccase("2x2 Yates with |O-E| < 0.5", small, TRUE),
  ccase("am x cyl (expected < 5)", amcyl, FALSE),
  ccase("am x cyl with correct (no effect beyond 2x2)", amcyl, TRUE),
  ccase("hair x eye 4x4", hair, TRUE)
)

# ---- Fisher ------------------------------------------------------------------------------------------------------
fcase <- function(name, m, conf = 0.95) {
  h <- fisher.test(m, conf.level = conf)
  c(list(name = name, table = lapply(1:2, function(i) as.numeric(m[i, ])), conf = conf), htest(h))
}
out$fisher <- list(
  fcase("2x2", m22),
  fcase("tea tasting", matrix(c(3, 1, 1, 3), 2)),
  fcase("zero cell (x = lo)", matrix(c(0, 5, 7, 9), 2)),
  fcase("x = hi", matrix(c(10, 0, 3, 5), 2)),
  fcase("larger", matrix(c(25, 10, 15, 30), 2), 0.90),
  fcase("OR below 1", matrix(c(2, 14, 11, 6), 2))
)

# ---- Mann-Whitney ------------------------------------------------------------------------------------------------
set.seed(20240501)
big1 <- round(rnorm(60, 10, 2), 6); big2 <- round(rnorm(55, 11, 2), 6)
mid1 <- round(rnorm(30), 6); mid2 <- round(rnorm(45, 0.5), 6)
mcase <- function(name, x, y, correct = TRUE, exact = NULL) {
  h <- suppressWarnings(wilcox.test(x, y, correct = correct, exact = exact, conf.int = TRUE))
  c(list(name = name, x = x, y = y, correct = correct, exact = if (is.null(exact)) NULL else exact), htest(h))
}
wx <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
wy <- c(1.15, 0.88, 0.90, 0.74, 1.21)
out$mannWhitney <- list(
  mcase("sleep corrected (ties)", s1, s2, TRUE),
  mcase("sleep uncorrected", s1, s2, FALSE),
  mcase("wilcox.test example 10 vs 5 exact", wx, wy),
  mcase("n = 5 vs 5 exact", c(1.83, 0.50, 1.62, 2.48, 1.68), c(0.878, 0.647, 0.598, 2.05, 1.06)),
  mcase("n = 5 vs 4 exact, W > mn/2", c(3.1, 4.5, 2.8, 5.0, 4.1), c(1.2, 2.9, 0.4, 2.0)),
  mcase("30 vs 45 exact", mid1, mid2),
  mcase("60 vs 55 normal corrected", big1, big2),
  mcase("60 vs 55 normal uncorrected", big1, big2, FALSE),
  mcase("exact = FALSE forced", wx, wy, TRUE, FALSE)
)

# ---- Wilcoxon signed rank ----------------------------------------------------------------------------------------
dep_x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
dep_y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
set.seed(7)
pre <- round(rnorm(60, 5), 6); post <- round(pre + rnorm(60, 0.3), 6)
scase <- function(name, x, y, correct = TRUE, exact = NULL) {
  h <- suppressWarnings(wilcox.test(x, y, paired = TRUE, correct = correct, exact = exact, conf.int = TRUE))
  c(list(name = name, x = x, y = y, correct = correct, exact = if (is.null(exact)) NULL else exact), htest(h))
}
out$signedRank <- list(
  scase("sleep (zero and ties)", s1, s2),
  scase("sleep uncorrected", s1, s2, FALSE),
  scase("depression n = 9 exact", dep_x, dep_y),
  scase("depression first 7 exact", dep_x[1:7], dep_y[1:7]),
  scase("n = 7 exact, V small", c(1, 2, 3, 4, 5, 6, 7), c(2.5, 4.1, 3.2, 6.6, 5.9, 9.4, 7.8)),
  scase("n = 60 normal", pre, post),
  scase("n = 60 normal uncorrected", pre, post, FALSE)
)

# ---- correlation -------------------------------------------------------------------------------------------------
sx <- c(0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0, 2.0)
sy <- c(1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4)
pear <- function(name, x, y, conf = 0.95) {
  h <- cor.test(x, y, conf.level = conf)
  c(list(name = name, x = x, y = y, conf = conf, r = unname(h$estimate)), htest(h))
}
# data with a given correlation r exactly (to rounding), to check the r-and-n oracle through R's own cor.test
with_r <- function(r, n, seed) {
  set.seed(seed)
  x <- rnorm(n); e <- resid(lm(rnorm(n) ~ x))
  x <- as.numeric(scale(x)); e <- as.numeric(scale(e))
  list(x = x, y = r * x + sqrt(1 - r^2) * e)
}
o1 <- with_r(0.3144, 75, 1); o2 <- with_r(0.3365, 75, 2); o3 <- with_r(-0.2838, 75, 3)
out$pearson <- list(
  pear("stdlib example", sx, sy),
  pear("mtcars mpg ~ wt", mtcars$mpg, mtcars$wt),
  pear("mtcars mpg ~ qsec 90%", mtcars$mpg, mtcars$qsec, 0.90),
  pear("n = 3 (no CI)", c(1, 2, 4), c(2, 1, 5)),
  pear("n = 4", c(1, 2, 4, 3), c(2, 1, 5, 6)),
  pear("r 0.3144 n 75", o1$x, o1$y),
  pear("r 0.3365 n 75", o2$x, o2$y),
  pear("r -0.2838 n 75", o3$x, o3$y)
)
spear <- function(name, x, y, exact = NULL) {
  r <- warned(cor.test(x, y, method = "spearman", exact = exact))
  h <- r$value
  rho <- unname(h$estimate); n <- length(x)
  fz <- if (n > 3) tanh(atanh(rho) + c(-1, 1) * qnorm(0.975) / sqrt(n - 3)) else NULL
  c(list(name = name, x = x, y = y, exact = if (is.null(exact)) NULL else exact, rho = rho, tiesWarning = r$warning,
         fisherCi = fz), htest(h))
}
set.seed(11)
e8x <- sample(1:100, 8); e8y <- round(e8x + rnorm(8, 0, 30), 3)
e12x <- round(rnorm(12), 4); e12y <- round(-0.4 * e12x + rnorm(12), 4)
e9x <- round(runif(9), 5); e9y <- round(e9x + runif(9), 5)
b1300x <- rnorm(1300); b1300y <- b1300x * 0.05 + rnorm(1300)
out$spearman <- list(
  spear("stdlib example n = 10 (AS 89 Edgeworth)", sx, sy),
  spear("stdlib example t approximation", sx, sy, FALSE),
  spear("n = 8 exact", e8x, e8y),
  spear("n = 9 exact", e9x, e9y),
  spear("n = 12 Edgeworth, negative", e12x, e12y),
  spear("n = 5 exact", c(1, 2, 3, 4, 5), c(2, 1, 4, 3, 5)),
  spear("n = 4 perfect", c(1, 2, 3, 4), c(10, 20, 30, 40)),
  spear("n = 2", c(1, 2), c(2, 1)),
  spear("mtcars mpg ~ wt (ties)", mtcars$mpg, mtcars$wt),
  spear("n = 1300 t approximation", b1300x, b1300y)
)

# ---- errors (R stops or returns NA; the engine throws StatsError) -----------------------------------------------
out$errors <- list(
  pearsonConstant = is.na(suppressWarnings(cor.test(c(1, 1, 1, 1), c(1, 2, 3, 4))$estimate)),
  spearmanConstant = is.na(suppressWarnings(cor.test(c(1, 1, 1, 1), c(1, 2, 3, 4), method = "spearman")$estimate)),
  pearsonN2 = inherits(try(cor.test(c(1, 2), c(3, 4)), silent = TRUE), "try-error"),
  tConstant = inherits(try(t.test(c(1, 1, 1), c(1, 1, 1)), silent = TRUE), "try-error"),
  pairedConstant = inherits(try(t.test(c(2, 3, 4), c(1, 2, 3), paired = TRUE), silent = TRUE), "try-error"),
  welchN1 = inherits(try(t.test(c(1), c(1, 2, 3)), silent = TRUE), "try-error"),
  wilcoxAllTied = is.na(suppressWarnings(wilcox.test(c(1, 1, 1), c(1, 1, 1))$p.value)),
  kruskalAllTied = is.na(kruskal.test(list(c(1, 1), c(1, 1)))$p.value)
)

# ---- Table 1 by hand (describeTable): mtcars by am --------------------------------------------------------------
tab_vs <- table(mtcars$vs, mtcars$am); tab_cyl <- table(mtcars$cyl, mtcars$am)
out$table1 <- list(
  rows = lapply(seq_len(nrow(mtcars)), function(i) list(mpg = mtcars$mpg[i], hp = mtcars$hp[i], cyl = as.character(mtcars$cyl[i]),
                                                        vs = if (mtcars$vs[i] == 1) "straight" else "V", am = mtcars$am[i])),
  mpg = htest(t.test(mpg ~ am, data = mtcars, var.equal = TRUE)),
  mpgWelch = htest(t.test(mpg ~ am, data = mtcars)),
  hpMannWhitney = htest(suppressWarnings(wilcox.test(hp ~ am, data = mtcars))),
  cyl = htest(suppressWarnings(chisq.test(tab_cyl, correct = FALSE))),
  vs = htest(chisq.test(tab_vs, correct = FALSE)),
  vsYates = htest(chisq.test(tab_vs, correct = TRUE)),
  vsFisher = htest(fisher.test(tab_vs)),
  mpgMean = tapply(mtcars$mpg, mtcars$am, mean), mpgSd = tapply(mtcars$mpg, mtcars$am, sd),
  hpQ = lapply(split(mtcars$hp, mtcars$am), function(v) unname(quantile(v, c(0.25, 0.5, 0.75))))
)

write_json(out, "test/golden/basic.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
cat("wrote test/golden/basic.json\n")
