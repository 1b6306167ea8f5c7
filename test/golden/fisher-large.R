# fisher.test on large 2 x 2 tables (a support of up to 140,001 counts): p in each alternative, the conditional MLE
# odds ratio and its CI. R sums the non-central hypergeometric terms in long double; a balanced table's p is 1.
# Run from the repository root: Rscript test/golden/fisher-large.R  → test/golden/fisher-large.json
suppressPackageStartupMessages(library(jsonlite))
tabs <- list(
  balanced1400 = matrix(c(700, 700, 700, 700), 2, 2),
  balanced280k = matrix(c(70000, 70000, 70000, 70000), 2, 2),
  near14k = matrix(c(7000, 7001, 7000, 7000), 2, 2),
  skewed20k = matrix(c(5200, 4800, 4900, 5100), 2, 2))
out <- lapply(names(tabs), function(nm) {
  m <- tabs[[nm]]
  f <- fisher.test(m)
  list(name = nm, table = lapply(seq_len(nrow(m)), function(i) m[i, ]), p = f$p.value,
       pLess = fisher.test(m, alternative = "less")$p.value, pGreater = fisher.test(m, alternative = "greater")$p.value,
       estimate = unname(f$estimate), ci = as.numeric(f$conf.int))
})
write_json(list(r = R.version.string, fisher = out), "test/golden/fisher-large.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
