# Golden values for large-magnitude and large-offset data (src/engine/stats/{descriptive,tests,correlation}.ts):
# cor.test (Pearson, Spearman), t.test (Student, Welch, paired), mean and sd.
# Near 1e300 R itself overflows (cor gives NaN: the products of deviations, 1e588, are Inf in a double; sd is
# Inf), and near 1e±150 its Welch df does (stderr^4), so there R computes on the data divided by s, a power of two
# near the data's magnitude: the division is exact, r, t, df and p do not depend on s, and means, SDs, differences
# and CIs are multiplied back by s. `direct` records what R gives on the raw data. Offsets of 1e9 and 1e12 test cancellation (R computed directly, s = 1).
# Writes test/golden/numerics.json with the data (17 significant digits, so both sides read the same doubles).
# Run from the repository root: Rscript test/golden/numerics.R
suppressPackageStartupMessages(library(jsonlite))
options(warn = 1)

htest <- function(h, s = 1) {
  list(statistic = unname(h$statistic), df = if (is.null(h$parameter)) NULL else unname(h$parameter),
       p = unname(h$p.value), estimate = unname(h$estimate) * (if (is.null(h$conf.int) || grepl("correlation", h$method)) 1 else s),
       ci = if (is.null(h$conf.int)) NULL else as.numeric(h$conf.int) * (if (grepl("correlation", h$method)) 1 else s))
}

set.seed(16)
n <- 30
b1 <- round(rnorm(n), 4)
b2 <- round(-0.2 * b1 + rnorm(n), 4)

make <- function(name, x, y, s = 1) {
  xs <- x / s; ys <- y / s
  r <- list(name = name, x = x, y = y, scale = s,
            pearson = htest(cor.test(xs, ys, method = "pearson")),
            spearman = htest(cor.test(xs, ys, method = "spearman")),
            student = htest(t.test(xs, ys, var.equal = TRUE), s),
            welch = htest(t.test(xs, ys), s),
            paired = htest(t.test(xs, ys, paired = TRUE), s),
            mean = c(mean(xs), mean(ys)) * s, sd = c(sd(xs), sd(ys)) * s)
  shown <- function(v) if (is.finite(v)) v else as.character(v)
  if (s != 1) r$direct <- list(cor = shown(cor(x, y)), sd = shown(sd(x)), welchDf = shown(unname(t.test(x, y)$parameter)))
  stopifnot(all(is.finite(unlist(r[c("pearson", "spearman", "student", "welch", "paired", "mean", "sd")]))))
  r
}

out <- list(R = R.version.string, cases = list(
  make("1e300, relative spread 1e-6", 1e300 * (1 + 1e-6 * b1), 1e300 * (1 + 1e-6 * b2), s = 2^996),
  make("1e300 magnitude", 1e300 * b1, 1e300 * (b2 + 0.5), s = 2^996),
  make("1e150 magnitude", 1e150 * b1, 1e150 * (b2 + 0.5), s = 2^498),
  make("1e-150 magnitude", 1e-150 * b1, 1e-150 * (b2 + 0.5), s = 2^-499),
  make("offset 1e9", 1e9 + b1, 1e9 + b2 + 0.5),
  make("offset 1e12", 1e12 + 100 * b1, 1e12 + 100 * b2 + 50)
))
# jsonlite writes at most 15 significant digits: numbers go in verbatim with 17 (round-trip exact).
exact <- function(v) {
  if (is.list(v)) return(lapply(v, exact))
  if (!is.numeric(v)) return(v)
  s <- sprintf("%.17g", v)
  structure(if (length(v) == 1) s else paste0("[", paste(s, collapse = ","), "]"), class = "json")
}
write_json(exact(out), "test/golden/numerics.json", auto_unbox = TRUE, json_verbatim = TRUE, pretty = FALSE)
