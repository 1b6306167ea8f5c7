# p.adjust for every method R offers, on crafted vectors (ties, NAs kept out, p = 1, tiny p).
# Run from the repository root: Rscript test/golden/padjust.R  → test/golden/padjust.json
suppressPackageStartupMessages(library(jsonlite))
set.seed(4)
vecs <- list(
  small = c(0.01, 0.02, 0.03, 0.04, 0.05),
  ties = c(0.04, 0.01, 0.04, 0.2, 0.01, 0.9),
  one = c(0.3),
  mixed = c(1e-10, 0.5, 1, 0.049, 0.051, 0.0001, 0.7, 0.012),
  random = round(runif(26)^3, 6)
)
methods <- c("holm", "hochberg", "hommel", "bonferroni", "BH", "BY")
out <- list()
for (nm in names(vecs)) for (m in methods)
  out[[length(out) + 1]] <- list(name = nm, method = m, p = vecs[[nm]], adjusted = p.adjust(vecs[[nm]], m))
write_json(list(r = R.version.string, padjust = out), "test/golden/padjust.json", digits = NA, auto_unbox = FALSE, pretty = TRUE)
