# Golden numbers for test/unit/qc/preanalytical.test.ts: circulating-miRNA pre-analytical QC, by hand.
# Run from the repository root: Rscript test/golden/preanalytical.R  ->  test/golden/preanalytical.json
#
# R 4.2, base + jsonlite only. Data: the simulated fixture test/fixtures/preanalytical/plate{1,2}.csv (tidy CSV).
# Per sample, the mean Cq of a target over its sample wells (task unknown) with a Cq, on every plate.
# - Haemolysis (Blondal et al. 2013, Methods 59:S1-S6): dCq = Cq(miR-23a) - Cq(miR-451a); dCq > 7 flagged.
# - Spike-in recovery: robust z = (Cq - median(Cq)) / mad(Cq) (R's mad: 1.4826 * median absolute deviation) of
#   cel-miR-39's per-sample mean Cq across the samples of both plates; |z| > 3 flagged.
library(jsonlite)
d <- rbind(read.csv("test/fixtures/preanalytical/plate1.csv", stringsAsFactors = FALSE),
           read.csv("test/fixtures/preanalytical/plate2.csv", stringsAsFactors = FALSE))
d <- d[d$task == "unknown", ]
d$cq <- suppressWarnings(as.numeric(d$cq))   # "Undetermined" -> NA
d <- d[!is.na(d$cq), ]
meanCq <- function(target) { x <- d[d$target == target, ]; tapply(x$cq, x$sample, mean) }
samples <- sort(unique(d$sample))
hi <- meanCq("miR-23a"); lo <- meanCq("miR-451a")
hem <- lapply(c("S1", "S2", "S3", "S4", "S5", "S6"), function(s) {
  h <- if (s %in% names(hi)) unname(hi[s]) else NA; l <- if (s %in% names(lo)) unname(lo[s]) else NA
  dcq <- h - l
  list(sample = s, high = h, low = l, dcq = dcq, flagged = !is.na(dcq) && dcq > 7)
})
sp <- meanCq("cel-miR-39")
z <- (sp - median(sp)) / mad(sp)
spike <- list(median = median(sp), mad = mad(sp),
              rows = lapply(names(sp), function(s) list(sample = s, cq = unname(sp[s]), z = unname(z[s]), flagged = abs(unname(z[s])) > 3)))
# robustZ on a plain vector with an odd length and a far value
x <- c(31.2, 30.8, 31.0, 35.9, 30.6, 31.1, 30.9)
out <- list(hemolysis = hem, spikeIn = spike,
            vector = list(x = x, median = median(x), mad = mad(x), z = (x - median(x)) / mad(x)))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE), "test/golden/preanalytical.json")
