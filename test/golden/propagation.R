# Golden numbers for test/unit/expression/propagation.test.ts: error propagation of relative quantities, by hand.
# Run from the repository root: Rscript test/golden/propagation.R  ->  test/golden/propagation.json
#
# R 4.2, base + jsonlite only. Models, restated from the papers (no package implements them):
# - qbase+ (Hellemans et al. 2007, Genome Biology 8:R19): SE of a replicate mean Cq = SD / sqrt(n);
#   RQ = E^(m_g - Cq) with m_g the mean replicate-mean Cq of gene g over the samples, SE(RQ) / RQ =
#   sqrt((ln E * SE_Cq)^2 + ((m_g - Cq) * SE_E / E)^2); NF = geometric mean of the reference RQs, SE(NF) / NF =
#   sqrt(sum (SE_i / RQ_i)^2) / f; NRQ = RQ / NF, SE(NRQ) / NRQ = sqrt(rel_RQ^2 + rel_NF^2); CNRQ = NRQ / geometric
#   mean NRQ of the calibrators (its SE as for NF), rel SE combined the same way; 95 % CI = x * exp(-/+ qnorm(0.975) * rel).
# - Livak & Schmittgen (2001, Methods 25:402): s = sqrt(s_target^2 + s_ref^2) (replicate SDs), fold 2^-ddCq with the
#   range 2^-(ddCq + s) .. 2^-(ddCq - s). Data: their c-myc / GAPDH brain and kidney table (the `pcr` package's
#   inst/extdata/ct1.csv, the paper's 6 separate-tube replicates per tissue).
# - Efficiency from a standard curve: E = 10^(-1/b) from lm(Cq ~ log10(quantity)), SE(E) = E * ln(10) * SE(b) / b^2.
library(jsonlite)
out <- list()
z <- qnorm(0.975)
ci <- function(x, rel) if (is.na(rel)) NULL else c(x * exp(-z * rel), x * exp(z * rel))
geo <- function(q, rel) list(value = exp(mean(log(q))), rel = sqrt(sum(rel^2)) / length(q))

## 1. Livak & Schmittgen 2001: c-myc against GAPDH, brain (calibrator) and kidney, 6 replicates each ------------------
cmyc  <- c(30.72, 30.34, 30.58, 30.34, 30.50, 30.43, 27.06, 27.03, 27.03, 27.10, 26.99, 26.94)
gapdh <- c(23.70, 23.56, 23.47, 23.65, 23.69, 23.68, 22.76, 22.61, 22.62, 22.60, 22.61, 22.76)
tissue <- rep(c("brain", "kidney"), each = 6)
liv <- lapply(c("brain", "kidney"), function(t) {
  a <- cmyc[tissue == t]; b <- gapdh[tissue == t]
  list(sample = t, cmyc = mean(a), cmycSd = sd(a), gapdh = mean(b), gapdhSd = sd(b), dcq = mean(a) - mean(b), s = sqrt(sd(a)^2 + sd(b)^2))
})
for (i in 1:2) {
  liv[[i]]$ddcq <- liv[[i]]$dcq - liv[[1]]$dcq
  liv[[i]]$fold <- 2^-liv[[i]]$ddcq; liv[[i]]$lower <- 2^-(liv[[i]]$ddcq + liv[[i]]$s); liv[[i]]$upper <- 2^-(liv[[i]]$ddcq - liv[[i]]$s)
}
# the same data through the qbase+ model (E = 2, no efficiency error)
qb <- function(d, genes, refs, E, seE, calib) {
  # d: list per sample of list(gene = c(replicate Cqs)); returns per sample the propagated numbers for genes[1]
  smp <- names(d)
  cm <- sapply(genes, function(g) sapply(smp, function(s) mean(d[[s]][[g]])))
  cse <- sapply(genes, function(g) sapply(smp, function(s) { x <- d[[s]][[g]]; if (length(x) >= 2) sd(x) / sqrt(length(x)) else NA }))
  cm <- matrix(cm, nrow = length(smp), dimnames = list(smp, genes)); cse <- matrix(cse, nrow = length(smp), dimnames = list(smp, genes))
  m <- colMeans(cm)
  rq <- function(s, g) { dq <- m[[g]] - cm[s, g]; list(value = E[[g]]^dq, rel = sqrt((log(E[[g]]) * cse[s, g])^2 + (dq * seE[[g]] / E[[g]])^2)) }
  target <- setdiff(genes, refs)[1]
  rows <- lapply(smp, function(s) {
    t <- rq(s, target); r <- lapply(refs, function(g) rq(s, g))
    nf <- geo(sapply(r, `[[`, "value"), sapply(r, `[[`, "rel"))
    nrq <- t$value / nf$value; rel <- sqrt(t$rel^2 + nf$rel^2)
    list(sample = s, cqSe = cse[s, target], rq = t$value, rqSe = t$rel * t$value, nf = nf$value, nfSe = nf$rel * nf$value,
         nrq = nrq, nrqSe = rel * nrq, rel = rel)
  })
  names(rows) <- smp
  if (!is.null(calib)) {
    cal <- geo(sapply(rows[calib], `[[`, "nrq"), sapply(rows[calib], `[[`, "rel"))
    for (s in smp) {
      v <- rows[[s]]$nrq / cal$value; rel <- sqrt(rows[[s]]$rel^2 + cal$rel^2)
      rows[[s]]$calibratorNrq <- cal$value; rows[[s]]$calibratorNrqSe <- cal$rel * cal$value
      rows[[s]]$cnrq <- v; rows[[s]]$cnrqSe <- rel * v; rows[[s]]$ci <- ci(v, rel)
    }
  } else for (s in smp) rows[[s]]$ci <- ci(rows[[s]]$nrq, rows[[s]]$rel)
  for (s in smp) rows[[s]]$rel <- NULL
  unname(rows)
}
livData <- lapply(c(brain = "brain", kidney = "kidney"), function(t) list(cmyc = cmyc[tissue == t], GAPDH = gapdh[tissue == t]))
out$livak <- list(cmyc = cmyc, gapdh = gapdh, tissue = tissue, table = liv,
  qbase = qb(livData, c("cmyc", "GAPDH"), "GAPDH", list(cmyc = 2, GAPDH = 2), list(cmyc = 0, GAPDH = 0), "brain"))

## 2. The real-data example's plates (examples/real-cfx-reference-genes): GLP1 against PYY and TFF1 (two references),
##    efficiencies with their SE from each target's standard curve, non-detects and Cq > 35 as 35, calibrator: the
##    caecum samples (site Ce); and GLP1 against PYY alone without a calibrator (the example study's set-up).
num <- function(x) suppressWarnings(as.numeric(gsub(",", "", x)))
raw <- read.csv("examples/real-cfx-reference-genes/plates/CFX_sample.txt", check.names = FALSE, colClasses = "character")
std <- raw[grepl("^Std", raw$Content), ]
curve <- lapply(c(GLP1 = "GLP1", PYY = "PYY", TFF1 = "TFF1"), function(t) {
  d <- std[std$Target == t, ]; cq <- num(d$Cq); q <- num(d$`Starting Quantity (SQ)`); ok <- !is.na(cq)
  co <- summary(lm(cq[ok] ~ log10(q[ok])))$coefficients
  b <- co[2, 1]; seb <- co[2, 2]; E <- 10^(-1 / b)
  list(E = E, seE = E * log(10) * seb / b^2)
})
smpD <- raw[raw$Sample != "" & !grepl("^Std", raw$Content) & raw$Content != "Neg Ctrl", ]
cqs <- num(smpD$Cq); cqs[is.na(cqs) | cqs > 35] <- 35
samples <- unique(smpD$Sample)
cfxData <- lapply(setNames(samples, samples), function(s) lapply(c(GLP1 = "GLP1", PYY = "PYY", TFF1 = "TFF1"), function(g) cqs[smpD$Sample == s & smpD$Target == g]))
E <- lapply(curve, `[[`, "E"); seE <- lapply(curve, `[[`, "seE")
site <- sub("[0-9]+$", "", sub("^[0-9]+-", "", samples))
out$cfx <- list(efficiency = curve, maxCq = 35, calibrators = samples[site == "Ce"],
  twoRefs = qb(cfxData, c("GLP1", "PYY", "TFF1"), c("PYY", "TFF1"), E, seE, samples[site == "Ce"]),
  oneRef = qb(lapply(cfxData, function(x) x[c("GLP1", "PYY")]), c("GLP1", "PYY"), "PYY", E, seE, NULL))

# `foldchange GLP1 by site` in the example study (reference PYY, no calibrator): per site the geometric mean NRQ,
# SE = GM * sd(ln NRQ) / sqrt(n) and the t interval exp(mean ln NRQ -/+ qt(0.975, n - 1) * sd / sqrt(n)).
nrq1 <- sapply(out$cfx$oneRef, `[[`, "nrq")
out$cfx$groupsOneRef <- lapply(unique(site), function(g) {
  l <- log(nrq1[site == g]); n <- length(l); se <- sd(l) / sqrt(n); tq <- qt(0.975, n - 1)
  list(group = g, n = n, value = exp(mean(l)), se = exp(mean(l)) * se, ci = exp(mean(l) + c(-1, 1) * tq * se))
})

write_json(out, "test/golden/propagation.json", digits = NA, auto_unbox = TRUE, pretty = FALSE, na = "null", null = "null")
cat("written test/golden/propagation.json\n")
