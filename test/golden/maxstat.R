# Maximally selected log-rank statistics as maxstat::maxstat.test(smethod = "LogRank") with the Lau92 and Lau94
# p-values, and survminer::surv_cutpoint's cut-point on the same data.
# Run from the repository root: Rscript test/golden/maxstat.R  → test/golden/maxstat.json
suppressPackageStartupMessages({ library(survival); library(maxstat); library(survminer); library(jsonlite) })
one <- function(name, time, status, x, minprop = 0.1, maxprop = 0.9) {
  d <- data.frame(time = time, status = status, x = x)
  a <- maxstat.test(Surv(time, status) ~ x, data = d, smethod = "LogRank", pmethod = "Lau92", minprop = minprop, maxprop = maxprop)
  b <- maxstat.test(Surv(time, status) ~ x, data = d, smethod = "LogRank", pmethod = "Lau94", minprop = minprop, maxprop = maxprop)
  sc <- surv_cutpoint(d, time = "time", event = "status", variables = "x", minprop = minprop)
  list(name = name, time = time, status = status, x = x, minprop = minprop, maxprop = maxprop,
       statistic = unname(a$statistic), cutpoint = unname(a$estimate), pLau92 = a$p.value, pLau94 = b$p.value,
       stats = unname(a$stats), cuts = unname(a$cuts), survminerCut = unname(sc$cutpoint$cutpoint))
}
l <- lung[!is.na(lung$age), ]
v <- veteran
out <- list(
  one("lung age", l$time, l$status - 1, l$age),
  one("veteran karno", v$time, v$status, v$karno),
  one("veteran diagtime minprop 0.2", v$time, v$status, v$diagtime, 0.2, 0.8),
  one("aml by time rank", aml$time, aml$status, seq_along(aml$time) %% 7 + 0.5))
write_json(list(r = R.version.string, maxstat = as.character(packageVersion("maxstat")), cases = out), "test/golden/maxstat.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
