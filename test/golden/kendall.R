# Kendall's tau-b as R's cor.test(method = "kendall"), two-sided, exact = NULL (exact p for n < 50 without ties,
# else the normal approximation with R's tie-corrected variance), continuity = FALSE.
# Run from the repository root: Rscript test/golden/kendall.R  → test/golden/kendall.json
suppressPackageStartupMessages(library(jsonlite))
set.seed(20261204)
cases <- list()
add <- function(name, x, y) {
  w <- NULL
  r <- withCallingHandlers(cor.test(x, y, method = "kendall"),
                           warning = function(m) { w <<- conditionMessage(m); invokeRestart("muffleWarning") })
  cases[[length(cases) + 1]] <<- list(
    name = name, x = x, y = y,
    tau = unname(r$estimate), statistic = unname(r$statistic), statisticName = names(r$statistic),
    p = r$p.value, warning = if (is.null(w)) "" else w)
}
add("n5 perfect", c(1, 2, 3, 4, 5), c(2, 4, 6, 8, 10))
add("n5 reversed", c(1, 2, 3, 4, 5), c(5, 4, 3, 2, 1))
add("n6 exact", c(4.1, 2.3, 5.5, 1.2, 3.3, 6.0), c(3.0, 1.5, 2.2, 0.7, 4.4, 5.1))
add("n10 exact", rnorm(10), rnorm(10))
x <- rnorm(25); add("n25 exact correlated", x, x + rnorm(25, sd = 0.8))
x <- rnorm(49); add("n49 exact", x, -0.3 * x + rnorm(49))
x <- rnorm(50); add("n50 normal (no ties)", x, 0.2 * x + rnorm(50))
x <- rnorm(200); add("n200 normal", x, 0.1 * x + rnorm(200))
add("ties small", c(1, 2, 2, 3, 4, 4, 5), c(1, 3, 2, 2, 5, 4, 4))
add("mtcars mpg ~ wt (ties)", mtcars$mpg, mtcars$wt)
add("mtcars cyl ~ gear (heavy ties)", mtcars$cyl, mtcars$gear)
add("airquality Ozone ~ Temp", airquality$Ozone[complete.cases(airquality$Ozone)], airquality$Temp[complete.cases(airquality$Ozone)])
add("n2", c(1, 2), c(3, 1))
add("n3", c(1, 2, 3), c(1, 3, 2))
x <- round(rnorm(120), 1); add("n120 rounded (ties)", x, round(x + rnorm(120), 1))
add("large magnitude", c(1e300, 2e300, 3e300, 4e300, 5e300, 6e300), c(2, 1, 4, 3, 6, 5))
write_json(list(r = R.version.string, kendall = cases), "test/golden/kendall.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
