# Golden values for src/engine/stats/{roc,reclassification,concordance}.ts as used by `compare-models` and the
# multi-marker `roc A, B predicts y`. Run from the repository root:
#   Rscript test/golden/compare-models.R   -> writes test/golden/compare-models.json
# R 4.2, MASS (birthwt), survival 3.5 (lung), pROC 1.18, Hmisc 4.8.
suppressMessages({ library(MASS); library(survival); library(pROC); library(Hmisc); library(jsonlite) })
out <- list()
num <- function(x) unname(as.numeric(x))

## ---------- logistic: nested glm fits on the same rows, anova LRT ----------
bw <- birthwt
g0 <- glm(low ~ age + lwt, family = binomial, data = bw)
g1 <- glm(low ~ age + lwt + smoke + ht + ui, family = binomial, data = bw)
a <- anova(g0, g1, test = "LRT")
out$logistic <- list(
  y = num(bw$low), X0 = unname(lapply(seq_len(nrow(bw)), function(i) num(bw[i, c("age", "lwt")]))),
  X1 = unname(lapply(seq_len(nrow(bw)), function(i) num(bw[i, c("age", "lwt", "smoke", "ht", "ui")]))),
  p0 = num(fitted(g0)), p1 = num(fitted(g1)),
  anova = list(residDf = num(a$`Resid. Df`), residDev = num(a$`Resid. Dev`), df = num(a$Df[2]), deviance = num(a$Deviance[2]), p = num(a$`Pr(>Chi)`[2])))

## ---------- pROC roc.test: paired (DeLong, with the CI of the difference) and unpaired ----------
r0 <- roc(bw$low, fitted(g0), direction = "<", quiet = TRUE)
r1 <- roc(bw$low, fitted(g1), direction = "<", quiet = TRUE)
tp <- roc.test(r1, r0, method = "delong", paired = TRUE)
out$paired <- list(auc1 = as.numeric(auc(r1)), auc2 = as.numeric(auc(r0)), z = num(tp$statistic), p = tp$p.value, ci = num(tp$conf.int))
tp90 <- roc.test(r1, r0, method = "delong", paired = TRUE, conf.level = 0.9)
out$paired90 <- list(ci = num(tp90$conf.int))
# markers with their own (auto) directions: lwt (lower in cases) vs age
rl <- roc(bw$low, bw$lwt, quiet = TRUE)
ra <- roc(bw$low, bw$age, quiet = TRUE)
tm <- roc.test(rl, ra, method = "delong", paired = TRUE)
out$markers <- list(lwt = num(bw$lwt), age = num(bw$age), directions = c(rl$direction, ra$direction),
  auc = c(as.numeric(auc(rl)), as.numeric(auc(ra))), z = num(tm$statistic), p = tm$p.value, ci = num(tm$conf.int))
# unpaired: the full model's risk in the odd rows vs in the even rows
A <- seq(1, nrow(bw), by = 2); B <- seq(2, nrow(bw), by = 2)
rA <- roc(bw$low[A], fitted(g1)[A], direction = "<", quiet = TRUE)
rB <- roc(bw$low[B], fitted(g1)[B], direction = "<", quiet = TRUE)
tu <- roc.test(rA, rB, method = "delong", paired = FALSE)
out$unpaired <- list(aucA = as.numeric(auc(rA)), aucB = as.numeric(auc(rB)), statistic = num(tu$statistic), df = num(tu$parameter), p = tu$p.value)

## ---------- Hmisc::improveProb: continuous NRI and IDI, with print.improveProb's z, p and CI ----------
zpci <- function(m, se, level = 0.95) { z <- qnorm((1 + level) / 2); list(index = m, se = se, z = m / se, p = 2 * pnorm(-abs(m / se)), ci = c(m - z * se, m + z * se)) }
ip <- improveProb(x1 = fitted(g0), x2 = fitted(g1), y = bw$low)
nriList <- function(ip) list(upEvents = ip$pup.ev, downEvents = ip$pdown.ev, upNonEvents = ip$pup.ne, downNonEvents = ip$pdown.ne,
  nri = zpci(ip$nri, ip$se.nri), events = zpci(ip$nri.ev, ip$se.nri.ev), nonEvents = zpci(ip$nri.ne, ip$se.nri.ne))
out$improve <- list(continuous = nriList(ip), idi = zpci(ip$idi, ip$se.idi), improveSens = ip$improveSens, improveSpec = ip$improveSpec,
  idi90 = zpci(ip$idi, ip$se.idi, 0.9))
## categorical NRI with cut-offs 0.2, 0.4: categories (0, .2], (.2, .4], (.4, 1]; improveProb on the category codes
## (scaled into [0, 1]) gives the Pencina 2008 counts with Hmisc's SE; the hand-written Pencina formula agrees.
cuts <- c(0.2, 0.4)
cat0 <- as.integer(cut(fitted(g0), c(0, cuts, 1))) - 1
cat1 <- as.integer(cut(fitted(g1), c(0, cuts, 1))) - 1
ipc <- improveProb(x1 = cat0 / 2, x2 = cat1 / 2, y = bw$low)
ev <- bw$low == 1
hand <- (sum(cat1[ev] > cat0[ev]) - sum(cat1[ev] < cat0[ev])) / sum(ev) - (sum(cat1[!ev] > cat0[!ev]) - sum(cat1[!ev] < cat0[!ev])) / sum(!ev)
stopifnot(abs(hand - ipc$nri) < 1e-12)
out$categorical <- c(list(cutoffs = cuts), nriList(ipc))

## ---------- Cox: nested coxph fits on the same rows, anova LRT, concordance(fit0, fit1) ----------
lu <- na.omit(lung[, c("time", "status", "age", "sex", "ph.ecog", "ph.karno")])
lu$status <- lu$status - 1
c0 <- coxph(Surv(time, status) ~ age + sex, data = lu)
c1 <- coxph(Surv(time, status) ~ age + sex + ph.ecog + ph.karno, data = lu)
ac <- anova(c0, c1)
cc <- concordance(c0, c1)
L <- c(-1, 1)
dC <- sum(L * cc$concordance); seC <- sqrt(drop(t(L) %*% cc$var %*% L))
out$cox <- list(time = num(lu$time), status = num(lu$status),
  X0 = unname(lapply(seq_len(nrow(lu)), function(i) num(lu[i, c("age", "sex")]))),
  X1 = unname(lapply(seq_len(nrow(lu)), function(i) num(lu[i, c("age", "sex", "ph.ecog", "ph.karno")]))),
  anova = list(loglik = num(ac$loglik), chisq = num(ac$Chisq[2]), df = num(ac$Df[2]), p = num(ac$`Pr(>|Chi|)`[2])),
  concordance = num(cc$concordance), var = unname(lapply(1:2, function(i) num(cc$var[i, ]))),
  deltaC = dC, seDeltaC = seC, zDeltaC = dC / seC, pDeltaC = 2 * pnorm(-abs(dC / seC)), ciDeltaC = dC + c(-1, 1) * qnorm(0.975) * seC)

writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE), "test/golden/compare-models.json")
