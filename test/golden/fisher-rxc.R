# fisher.test on r x c tables (network algorithm), two-sided, default workspace.
# Run from the repository root: Rscript test/golden/fisher-rxc.R  → test/golden/fisher-rxc.json
suppressPackageStartupMessages(library(jsonlite))
tabs <- list(
  job = matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11), 4, 4),   # fisher.test's Job satisfaction example
  tea3 = matrix(c(3, 1, 0, 1, 3, 2, 0, 1, 4), 3, 3),
  r2c3 = matrix(c(8, 2, 1, 5, 0, 9), 2, 3),
  r3c2 = matrix(c(10, 3, 2, 4, 7, 9), 3, 2),
  sparse = matrix(c(0, 0, 5, 1, 4, 0, 3, 0, 2, 0, 0, 6), 3, 4),
  stage = matrix(c(12, 5, 3, 7, 9, 8, 2, 6, 11), 3, 3))
out <- lapply(names(tabs), function(nm) list(name = nm, table = lapply(seq_len(nrow(tabs[[nm]])), function(i) tabs[[nm]][i, ]), p = fisher.test(tabs[[nm]])$p.value))
write_json(list(r = R.version.string, fisher = out), "test/golden/fisher-rxc.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
