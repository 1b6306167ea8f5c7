# One-sided alternatives ('less', 'greater'; two-sided for reference) of t.test (Student, Welch, paired),
# wilcox.test (rank sum and signed rank, exact and normal, with the Hodges-Lehmann CI), cor.test (Pearson, Spearman,
# Kendall) and fisher.test on 2 x 2 tables. x is always the first sample: 'greater' means x is shifted above y.
# Run from the repository root: Rscript test/golden/alternatives.R  → test/golden/alternatives.json
suppressPackageStartupMessages(library(jsonlite))
set.seed(19)
alts <- c("two.sided", "less", "greater")
num <- function(v) { v <- unname(v); v[is.infinite(v)] <- ifelse(v[is.infinite(v)] > 0, 1e308, -1e308); v }
htest <- function(h) list(statistic = num(h$statistic), p = num(h$p.value),
  estimate = if (is.null(h$estimate)) NULL else if (length(h$estimate) == 2) num(h$estimate[1] - h$estimate[2]) else num(h$estimate),
  ci = if (is.null(h$conf.int)) NULL else num(h$conf.int), conf = if (is.null(h$conf.int)) NULL else attr(h$conf.int, "conf.level"))
two <- list(
  small = list(x = round(rnorm(7, 10, 2), 3), y = round(rnorm(9, 11.5, 2), 3)),
  ties = list(x = round(rnorm(14, 5, 1), 0), y = round(rnorm(12, 5.8, 1), 0)),
  large = list(x = round(rnorm(60, 0, 1), 4), y = round(rnorm(55, 0.3, 1.4), 4))
)
paired <- list(
  small = { a <- round(rnorm(10, 20, 3), 2); list(x = a, y = round(a - rnorm(10, 0.8, 1.5), 2)) },
  ties = { a <- round(rnorm(16, 20, 3), 0); list(x = a, y = round(a - rnorm(16, 1, 2), 0)) },
  large = { a <- round(rnorm(70, 0, 1), 3); list(x = a, y = round(a + rnorm(70, 0.2, 1), 3)) }
)
cors <- list(
  n8 = list(x = round(rnorm(8), 3), y = round(rnorm(8), 3)),
  n25 = { x <- round(rnorm(25), 3); list(x = x, y = round(0.4 * x + rnorm(25), 3)) },
  ties = { x <- round(rnorm(30, 0, 2)); list(x = x, y = round(-0.3 * x + rnorm(30, 0, 2))) }
)
tables <- list(c(3, 1, 1, 3), c(10, 2, 3, 15), c(0, 5, 4, 2), c(12, 7, 9, 14))
q <- function(expr) suppressWarnings(expr)
res <- list(r = R.version.string, two = list(), paired = list(), cor = list(), fisher = list())
for (nm in names(two)) {
  x <- two[[nm]]$x; y <- two[[nm]]$y
  out <- list(x = x, y = y)
  for (a in alts) out[[a]] <- list(
    student = htest(t.test(x, y, alternative = a, var.equal = TRUE)),
    welch = htest(t.test(x, y, alternative = a)),
    wilcox = htest(q(wilcox.test(x, y, alternative = a, conf.int = TRUE))),
    wilcoxNoCorrect = htest(q(wilcox.test(x, y, alternative = a, conf.int = TRUE, correct = FALSE))))
  res$two[[nm]] <- out
}
for (nm in names(paired)) {
  x <- paired[[nm]]$x; y <- paired[[nm]]$y
  out <- list(x = x, y = y)
  for (a in alts) out[[a]] <- list(
    t = htest(t.test(x, y, alternative = a, paired = TRUE)),
    wilcox = htest(q(wilcox.test(x, y, alternative = a, paired = TRUE, conf.int = TRUE))))
  res$paired[[nm]] <- out
}
for (nm in names(cors)) {
  x <- cors[[nm]]$x; y <- cors[[nm]]$y
  out <- list(x = x, y = y)
  for (a in alts) out[[a]] <- list(
    pearson = htest(cor.test(x, y, alternative = a)),
    spearman = htest(q(cor.test(x, y, alternative = a, method = "spearman"))),
    kendall = htest(q(cor.test(x, y, alternative = a, method = "kendall"))))
  res$cor[[nm]] <- out
}
for (i in seq_along(tables)) {
  m <- matrix(tables[[i]], 2, byrow = TRUE)
  out <- list(table = tables[[i]])
  for (a in alts) out[[a]] <- htest(fisher.test(m, alternative = a))
  res$fisher[[i]] <- out
}
write_json(res, "test/golden/alternatives.json", digits = NA, auto_unbox = TRUE, pretty = TRUE, null = "null")
