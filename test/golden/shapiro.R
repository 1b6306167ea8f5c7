# shapiro.test (Royston AS R94) on crafted and classic data, n = 3 … 5000.
# Run from the repository root: Rscript test/golden/shapiro.R  → test/golden/shapiro.json
suppressPackageStartupMessages(library(jsonlite))
set.seed(99)
sets <- list(n3 = c(1, 2, 4), n3b = c(5.1, 5.2, 9.9), n4 = c(2.1, 3.3, 3.4, 7.8), n5 = c(1, 1.5, 2, 2.2, 9), n6 = rnorm(6),
  n11 = rexp(11), n12 = rnorm(12), sleep = sleep$extra, PlantGrowth = PlantGrowth$weight, mtcars_mpg = mtcars$mpg,
  lognormal200 = rlnorm(200), uniform1000 = runif(1000), normal5000 = rnorm(5000), ties = c(1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 5, 5),
  tiny = c(1, 1 + 1e-12, 1 + 3e-12, 1 + 4e-12, 1 + 9e-12), offset = 1e6 + rnorm(30))
out <- lapply(names(sets), function(nm) { r <- shapiro.test(sets[[nm]]); list(name = nm, x = sets[[nm]], W = unname(r$statistic), p = r$p.value) })
write_json(list(r = R.version.string, shapiro = out), "test/golden/shapiro.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
