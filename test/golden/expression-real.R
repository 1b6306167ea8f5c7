# Golden numbers for test/unit/expression/real.test.ts: the normalisation features on REAL instrument exports
# (issue 8). Run from the repository root: Rscript test/golden/expression-real.R  ->  test/golden/expression-real.json
#
# R 4.2, base + jsonlite only. Every fixture is parsed here with read.csv / read.delim, independently of the
# TypeScript importer. geNorm and NormFinder are the restatements in test/golden/normalisation.R (shared with
# test/golden/expression.R), i.e. Vandesompele et al. 2002 and the NormFinder authors' R code
# (Andersen et al. 2004, version 2015-01-05). Grubbs is restated as outliers::grubbs.test(type = 10, two.sided = TRUE)
# (the outliers package is not installed); the distance rule and the non-detect policies are restated from their
# definitions in src/engine/expression/types.ts; inter-run calibration from Hellemans et al. 2007 (qbase+), Cq space.
library(jsonlite)
out <- list()

## ---------------------------------------------------------------------------------------------------------------
## Parsers (each returns data.frame(sample, target, cq) in file order; cq NA = no Cq; only sample wells)
## ---------------------------------------------------------------------------------------------------------------
num <- function(x) suppressWarnings(as.numeric(gsub(",", "", x)))
# Bio-Rad CFX Manager "Quantification Cq Results" csv: standards (Content Std-*) and Neg Ctrl are not samples.
readCfx <- function(f) {
  d <- read.csv(f, check.names = FALSE, colClasses = "character")
  d <- d[d$Sample != "" & !grepl("^Std", d$Content) & d$Content != "Neg Ctrl", ]
  data.frame(sample = d$Sample, target = d$Target, cq = num(d$Cq), stringsAsFactors = FALSE)
}
# Applied Biosystems tab-separated export: the table starting at the "Well\t..." header line (after "[Results]" when
# there are sections), up to the first blank line. Cq column: Ct / CT / Cт.
readAbTab <- function(f, section = NULL) {
  l <- readLines(f, warn = FALSE)
  from <- if (is.null(section)) 1 else which(l == section)[1] + 1
  h <- from - 1 + which(startsWith(l[from:length(l)], "Well\t"))[1]
  e <- h + which(!nzchar(trimws(l[(h + 1):length(l)])))[1] - 1
  if (is.na(e)) e <- length(l)
  d <- read.delim(text = l[h:e], check.names = FALSE, colClasses = "character", quote = "")
  sc <- intersect(c("Sample Name", "Sample"), names(d))[1]
  tc <- intersect(c("Target Name", "Detector"), names(d))[1]
  cc <- intersect(c("Ct", "CT"), names(d))[1]
  omit <- if ("Omit" %in% names(d)) tolower(d$Omit) == "true" else rep(FALSE, nrow(d))
  task <- toupper(d$Task)
  keep <- !omit & task %in% c("UNKNOWN", "TARGET", "ENDOGENOUS CONTROL")
  data.frame(sample = d[[sc]][keep], target = d[[tc]][keep], cq = num(d[[cc]][keep]), stringsAsFactors = FALSE)
}
# QuantStudio Design & Analysis csv: '#' metadata lines, then the table.
readQsDa <- function(f) {
  l <- readLines(f, warn = FALSE)
  h <- which(startsWith(l, "Well,Well Position"))[1]
  d <- read.csv(text = l[h:length(l)], check.names = FALSE, colClasses = "character")
  d <- d[toupper(d$Omit) != "TRUE" & d$Task == "UNKNOWN", ]
  data.frame(sample = d$Sample, target = d$Target, cq = num(d$Cq), stringsAsFactors = FALSE)
}

## ---------------------------------------------------------------------------------------------------------------
## Replicate means and the non-detect policies (types.ts NondetectPolicy); a Cq above maxCq is a non-detect.
## ---------------------------------------------------------------------------------------------------------------
pairs <- function(d) unique(d[, c("sample", "target")])
policyMean <- function(cq, maxCq, policy, value = NULL) {
  det <- cq[!is.na(cq) & cq <= maxCq]; nd <- sum(is.na(cq) | cq > maxCq)
  used <- switch(policy,
    exclude = det,
    value = c(det, rep(value, nd)),
    "max-cq" = c(det, rep(maxCq, nd)),
    impute = if (length(det)) det else rep(if (is.null(value)) maxCq else value, nd))
  list(cqMean = if (length(used)) mean(used) else NA, cqSd = if (length(used) >= 2) sd(used) else NA, nUsed = length(used))
}
meansTable <- function(d, maxCq, policy = "exclude", value = NULL, only = NULL) {
  p <- pairs(d)
  rows <- list()
  for (i in seq_len(nrow(p))) {
    cq <- d$cq[d$sample == p$sample[i] & d$target == p$target[i]]
    nd <- sum(is.na(cq) | cq > maxCq)
    if (!is.null(only) && nd == 0) next
    r <- policyMean(cq, maxCq, policy, value)
    rows[[length(rows) + 1]] <- c(list(sample = p$sample[i], target = p$target[i], nTotal = length(cq), nNondetect = nd), r)
  }
  rows
}
policies <- list(list(name = "exclude", policy = "exclude"), list(name = "as 40", policy = "value", value = 40),
                 list(name = "max-cq", policy = "max-cq"), list(name = "impute", policy = "impute"),
                 list(name = "impute 40", policy = "impute", value = 40))
nondetectBlock <- function(d, maxCq) lapply(policies, function(p) list(name = p$name, policy = p$policy, value = p$value,
  rows = meansTable(d, maxCq, p$policy, p$value, only = TRUE)))   # the pairs with a non-detect (the others: 'means')

## ---------------------------------------------------------------------------------------------------------------
## Replicate outliers
## ---------------------------------------------------------------------------------------------------------------
# outliers::grubbs.test(x, type = 10, two.sided = TRUE): G = max|x - mean| / sd; p from pgrubbs(type 10):
#   t = sqrt(G^2 n (2 - n) / (G^2 n - (n - 1)^2)), p = 2 n (1 - pt(t, n - 2)) (capped at 1). Rejected at alpha when
#   p < alpha, equivalently G > (n - 1)/sqrt(n) sqrt(t_c^2 / (n - 2 + t_c^2)), t_c = qt(1 - alpha/(2n), n - 2).
grubbsOne <- function(x, alpha) {
  n <- length(x); m <- mean(x); s <- sd(x); dev <- abs(x - m)
  idx <- which.max(dev)                               # first on ties (as grubbs.test reports one value)
  G <- if (s > 0) dev[idx] / s else 0
  tc <- qt(1 - alpha / (2 * n), n - 2)
  crit <- (n - 1) / sqrt(n) * sqrt(tc^2 / (n - 2 + tc^2))
  s2 <- (G^2 * n * (2 - n)) / (G^2 * n - (n - 1)^2)
  p <- if (G > 0 && s2 > 0) min(1, 2 * n * (1 - pt(sqrt(s2), n - 2))) else 1
  list(G = G, crit = crit, p = p, index = idx)
}
# Repeated while n >= 3 and a value is rejected; returns 0-based indices (into x) of the excluded values, in order.
grubbsAll <- function(x, alpha = 0.05) {
  idx <- seq_along(x); exc <- c(); first <- NULL
  while (length(idx) >= 3) {
    g <- grubbsOne(x[idx], alpha)
    if (is.null(first)) first <- g
    if (abs(g$G - g$crit) > 1e-9 * g$crit) stopifnot((g$p < alpha) == (g$G > g$crit))   # the two decisions agree
    if (!(g$G > g$crit)) break
    exc <- c(exc, idx[g$index] - 1); idx <- idx[-g$index]
  }
  list(excluded = exc, G = first$G, crit = first$crit, p = first$p)
}
med <- function(x) { s <- sort(x); n <- length(s); if (n %% 2) s[(n + 1) / 2] else (s[n / 2] + s[n / 2 + 1]) / 2 }
# Distance rule: farthest replicate from the median of the others is excluded when > d, repeated while n >= 3;
# ties for farthest: none excluded; two replicates: nothing excluded (warning when farther apart than d).
distanceAll <- function(x, d = 0.5) {
  if (length(x) < 3) return(list(excluded = c(), warning = length(x) == 2 && abs(x[1] - x[2]) > d))
  idx <- seq_along(x); exc <- c(); warn <- FALSE
  while (length(idx) >= 3) {
    dist <- sapply(idx, function(i) abs(x[i] - med(x[setdiff(idx, i)])))
    mx <- max(dist)
    if (!(mx > d)) break
    far <- which(dist == mx)
    if (length(far) > 1) { warn <- TRUE; break }
    exc <- c(exc, idx[far] - 1); idx <- idx[-far]
  }
  list(excluded = exc, warning = warn)
}
vec <- function(x) I(as.numeric(if (is.null(x)) numeric(0) else x))   # always a JSON array
outlierBlock <- function(d, maxCq, alpha = 0.05, dist = 0.5) {
  p <- pairs(d); rows <- list()
  for (i in seq_len(nrow(p))) {
    cq <- d$cq[d$sample == p$sample[i] & d$target == p$target[i]]
    x <- cq[!is.na(cq) & cq <= maxCq]                 # amplified Cqs <= max-cq, in well order
    if (length(x) == 0) next
    g <- if (length(x) >= 3) grubbsAll(x, alpha) else list(excluded = c(), G = NA, crit = NA, p = NA)
    ds <- distanceAll(x, dist)
    keepG <- setdiff(seq_along(x) - 1, g$excluded); keepD <- setdiff(seq_along(x) - 1, ds$excluded)
    rows[[length(rows) + 1]] <- list(sample = p$sample[i], target = p$target[i], values = vec(x),
      grubbs = list(G = g$G, crit = g$crit, p = g$p, excluded = vec(g$excluded), cqMean = mean(x[keepG + 1]), nUsed = length(keepG)),
      distance = list(excluded = vec(ds$excluded), warning = ds$warning, cqMean = mean(x[keepD + 1]), nUsed = length(keepD)))
  }
  list(maxCq = maxCq, alpha = alpha, distance = dist, groups = rows)
}
## geNorm and NormFinder: test/golden/normalisation.R
source("test/golden/normalisation.R")
# Stability on the replicate means (policy exclude, Cq > maxCq a non-detect): samples with a mean for every gene,
# quantities 2^-Cq. groupOf: sample name -> group (NULL: one-group NormFinder only).
stabilityBlock <- function(d, genes, maxCq, groupOf = NULL) {
  smp <- unique(d$sample)
  cm <- sapply(genes, function(g) sapply(smp, function(s) policyMean(d$cq[d$sample == s & d$target == g], maxCq, "exclude")$cqMean))
  cm <- matrix(cm, nrow = length(smp), dimnames = list(smp, genes))
  ok <- rowSums(is.na(cm)) == 0
  Q <- 2^-cm[ok, , drop = FALSE]
  r <- list(genes = I(genes), maxCq = maxCq, samples = I(rownames(Q)), dropped = I(as.character(smp[!ok])), cq = unname(split(cm[ok, , drop = FALSE], row(cm[ok, , drop = FALSE]))),
            genorm = genorm(Q), normfinderOne = normfinder(Q))
  if (!is.null(groupOf)) { grp <- groupOf(rownames(Q)); r$groups <- grp; r$normfinderGroups <- normfinder(Q, grp) }
  r
}

## ---------------------------------------------------------------------------------------------------------------
## 1. CFX_sample.txt (HTqPCR; GLP1, PYY, TFF1 over 47 samples "{animal}-{region}", duplicates)
## ---------------------------------------------------------------------------------------------------------------
cfx <- readCfx("test/fixtures/expression/CFX_sample.txt")
stopifnot(nrow(cfx) == 282, length(unique(cfx$sample)) == 47)
tissue <- function(s) sub("[0-9]+$", "", sub("^[0-9]+-", "", s))     # 1-SI3 -> SI (small intestine), Ce, Co
out$cfx <- list(file = "expression/CFX_sample.txt",
  means = list(maxCq = 40, rows = meansTable(cfx, 40)),
  nondetect = list(maxCq = 35, policies = nondetectBlock(cfx, 35)),
  stability = stabilityBlock(cfx, c("GLP1", "PYY", "TFF1"), 40, tissue),
  outliers = outlierBlock(cfx, 40))

## 2. QuantStudio Design & Analysis Results_20240213_184604.csv (4 targets x 32 samples, triplicates)
qs <- readQsDa("test/fixtures/qs-design-analysis/Results_20240213_184604.csv")
stopifnot(nrow(qs) == 384)
out$qsda <- list(file = "qs-design-analysis/Results_20240213_184604.csv",
  means = list(maxCq = 40, rows = meansTable(qs, 40)),
  nondetect = list(maxCq = 35, policies = nondetectBlock(qs, 35)),
  outliers = outlierBlock(qs, 40),
  stability = stabilityBlock(qs, c("1", "2", "3", "4"), 40))

## 3. QuantStudio 12K Flex OpenArray export (ddCt package: QuantStudio_File1.txt): 7 samples + NTC, 169 assays,
##    at most 3 replicates with many non-detects (no group of 3 amplified: no outlier block).
##    Stability on the first 12 assays (file order) with a mean Cq in all 7 samples (NormFinder's pair search is
##    O(k^4) in this restatement, so not all complete assays).
q12 <- readAbTab("test/fixtures/ddct/QuantStudio_File1.txt", "[Results]")
q12s <- q12[q12$sample != "NTC", ]
cand <- unique(q12s$target)
complete <- cand[sapply(cand, function(g) all(sapply(unique(q12s$sample), function(s) !is.na(policyMean(q12s$cq[q12s$sample == s & q12s$target == g], 40, "exclude")$cqMean))))]
out$qs12k <- list(file = "ddct/QuantStudio_File1.txt", nComplete = length(complete),
  means = list(maxCq = 40, rows = meansTable(q12, 40)),
  stability = stabilityBlock(q12, head(complete, 12), 40))   # the NTC is dropped (no Cq for every gene)

## 4. QuantStudio example02 (allotropy): TGFb in samples (+) and (-), 24 and 20 replicates -> Grubbs on large groups.
ex2 <- readAbTab("test/fixtures/allotropy/appbio_quantstudio_example02.txt", "[Results]")
out$example02 <- list(file = "allotropy/appbio_quantstudio_example02.txt", outliers = outlierBlock(ex2, 40),
  nondetect = list(maxCq = 35, policies = nondetectBlock(ex2, 35)))

## 5. Inter-run calibration on the ddCt package's Experiment1.txt and ExperimentWithNTC.txt: the same SDS 2.1 plate
##    layout, samples Sample1/Sample2 x Gene1..3 in triplicate on both; the second file differs in one Cq (Sample1
##    Gene3 well 3: 36.5687 vs 42.5687) and has NTC wells. Max-cq 40 (so 42.57 is a non-detect, excluded).
##    CF(p, t) = mean over calibrator samples i on p of [m(i, p, t) - mean_p' m(i, p', t)] (m = mean amplified Cq);
##    every amplified Cq of t on p has CF(p, t) subtracted; replicates are then pooled across the two plates.
irFiles <- c("ddct/Experiment1.txt", "ddct/ExperimentWithNTC.txt")
ir <- do.call(rbind, lapply(irFiles, function(f) cbind(readAbTab(file.path("test/fixtures", f)), file = f, stringsAsFactors = FALSE)))
ir$ok <- !is.na(ir$cq) & ir$cq <= 40
interrun <- function(cal) {
  fac <- list(); d <- ir
  for (f in irFiles) for (t in unique(ir$target[ir$file == f])) {
    devs <- c()
    for (s in cal) {
      here <- d$cq[d$ok & d$file == f & d$sample == s & d$target == t]
      if (!length(here)) next
      m <- sapply(irFiles, function(f2) { x <- d$cq[d$ok & d$file == f2 & d$sample == s & d$target == t]; if (length(x)) mean(x) else NA })
      devs <- c(devs, mean(here) - mean(m[!is.na(m)]))
    }
    cf <- if (length(devs)) mean(devs) else NA
    fac[[length(fac) + 1]] <- list(file = f, target = t, factor = cf)
    sel <- d$ok & d$file == f & d$target == t
    if (!is.na(cf)) ir$cqc[sel] <<- ir$cq[sel] - cf
  }
  fac
}
irBlock <- function(glob, cal) {
  ir$cqc <<- ir$cq
  fac <- interrun(cal)
  rows <- list()
  for (s in unique(ir$sample)) for (t in unique(ir$target)) {
    x <- ir$cqc[ir$ok & ir$sample == s & ir$target == t]
    rows[[length(rows) + 1]] <- list(sample = s, target = t, cqMean = if (length(x)) mean(x) else NA, nUsed = length(x),
      nTotal = sum(ir$sample == s & ir$target == t))
  }
  # dCq against Gene2 (the plate's "Endogenous Control" in the SDS summary)
  for (i in seq_along(rows)) {
    ref <- Filter(function(r) r$sample == rows[[i]]$sample && r$target == "Gene2", rows)[[1]]$cqMean
    rows[[i]]$refCq <- ref; rows[[i]]$dcq <- rows[[i]]$cqMean - ref
  }
  list(glob = glob, calibrators = cal, factors = fac, rows = rows)
}
out$interrun <- list(files = irFiles, maxCq = 40, reference = "Gene2",
  runs = list(irBlock("Sample1", "Sample1"), irBlock("Sample*", c("Sample1", "Sample2"))),
  outliers = outlierBlock(ir[ir$file == irFiles[1], ], 40))

## ---------------------------------------------------------------------------------------------------------------
## The real-data example (examples/real-cfx-reference-genes/study.qstudy): efficiency of each target from its own
## standard curve (lm(Cq ~ log10 quantity) over the amplified standard wells), non-detects and Cq > 35 as 35,
## Pfaffl relative expression E_t^-Cq_t / E_PYY^-Cq_PYY per sample, Kruskal-Wallis by site (SI, Ce, Co).
## ---------------------------------------------------------------------------------------------------------------
exRaw <- read.csv("examples/real-cfx-reference-genes/plates/CFX_sample.txt", check.names = FALSE, colClasses = "character")
exStd <- exRaw[grepl("^Std", exRaw$Content), ]
exE <- sapply(c("GLP1", "PYY", "TFF1"), function(t) {
  d <- exStd[exStd$Target == t, ]; cq <- num(d$Cq); q <- num(d$`Starting Quantity (SQ)`); ok <- !is.na(cq)
  10^(-1 / unname(coef(lm(cq[ok] ~ log10(q[ok])))[2]))
})
exD <- readCfx("examples/real-cfx-reference-genes/plates/CFX_sample.txt")
exSamples <- unique(exD$sample)
exMean <- function(s, t) policyMean(exD$cq[exD$sample == s & exD$target == t], 35, "max-cq")$cqMean
exSite <- sub("[0-9]+$", "", sub("^[0-9]+-", "", exSamples))
out$example <- list(efficiency = as.list(exE), kruskal = lapply(c(GLP1 = "GLP1", TFF1 = "TFF1"), function(t) {
  rq <- sapply(exSamples, function(s) exE[[t]]^(-exMean(s, t)) / exE[["PYY"]]^(-exMean(s, "PYY")))
  k <- kruskal.test(rq, factor(exSite))
  list(statistic = unname(k$statistic), df = unname(k$parameter), p = k$p.value, n = length(rq))
}))

write_json(out, "test/golden/expression-real.json", digits = NA, auto_unbox = TRUE, pretty = FALSE, na = "null", null = "null")   # compact: ~1700 rows
cat("written test/golden/expression-real.json\n")
