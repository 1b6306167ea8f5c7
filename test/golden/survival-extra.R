# Pairwise log-rank (survminer::pairwise_survdiff), log-rank trend from survdiff's O, E and var (scores 1..k), and
# RMST (survival's print(survfit, rmean = tau)) with the two-group difference (se = sqrt(se1^2 + se2^2), as survRM2);
# survminer's cumulative events / censored at chosen times.
# Run from the repository root: Rscript test/golden/survival-extra.R  → test/golden/survival-extra.json
suppressPackageStartupMessages({ library(survival); library(survminer); library(jsonlite) })
lower <- function(m) { out <- c(); for (j in seq_len(ncol(m))) for (i in seq_len(nrow(m))) if (i >= j && !is.na(m[i, j])) out <- c(out, m[i, j]); out }
trend <- function(f) { w <- seq_along(f$obs); z <- sum(w * (f$obs - f$exp)); v <- drop(t(w) %*% f$var %*% w); c(chisq = z^2 / v, p = pchisq(z^2 / v, 1, lower.tail = FALSE)) }
rm <- function(time, status, tau) { s <- summary(survfit(Surv(time, status) ~ 1), rmean = tau)$table; c(rmean = unname(s["rmean"]), se = unname(s["se(rmean)"])) }
out <- list()
# lung: ph.ecog 0..3 (one patient with 3), sex
l <- lung[!is.na(lung$ph.ecog) & lung$ph.ecog < 3, ]
l$status <- l$status - 1
pw <- pairwise_survdiff(Surv(time, status) ~ ph.ecog, data = l, p.adjust.method = "BH")
pw1 <- pairwise_survdiff(Surv(time, status) ~ ph.ecog, data = l, p.adjust.method = "holm", rho = 1)
praw <- pairwise_survdiff(Surv(time, status) ~ ph.ecog, data = l, p.adjust.method = "none")
f <- survdiff(Surv(time, status) ~ ph.ecog, data = l)
out$lung <- list(time = l$time, status = l$status, group = l$ph.ecog,
  pairwiseBH = lower(pw$p.value), pairwiseHolmRho1 = lower(pw1$p.value), pairwiseRaw = lower(praw$p.value),
  trend = as.list(trend(f)))
# veteran: celltype (4 levels)
v <- veteran; v$celltype <- factor(as.character(v$celltype))  # alphabetical levels, as the engine orders groups
pwv <- pairwise_survdiff(Surv(time, status) ~ celltype, data = v)
out$veteran <- list(time = v$time, status = v$status, group = as.character(v$celltype), pairwiseBH = lower(pwv$p.value),
  trend = as.list(trend(survdiff(Surv(time, status) ~ celltype, data = v))))
# RMST at several horizons, aml by group, lung overall
a <- aml; g1 <- a$x == "Maintained"
rmst <- list()
for (tau in c(10, 30, 48, 100)) {
  r1 <- rm(a$time[g1], a$status[g1], tau); r0 <- rm(a$time[!g1], a$status[!g1], tau)
  d <- r1["rmean"] - r0["rmean"]; se <- sqrt(r1["se"]^2 + r0["se"]^2)
  rmst[[length(rmst) + 1]] <- list(tau = tau, maintained = as.list(r1), nonmaintained = as.list(r0),
    diff = unname(d), diffLower = unname(d - qnorm(0.975) * se), diffUpper = unname(d + qnorm(0.975) * se), p = unname(2 * pnorm(-abs(d / se))))
}
out$aml <- list(time = a$time, status = a$status, maintained = g1, rmst = rmst)
out$lungRmst <- list(time = lung$time, status = lung$status - 1, tau = 365, rmst = as.list(rm(lung$time, lung$status - 1, 365)))
# Cumulative events and censored at chosen times (survminer's .get_timepoints_survsummary, what
# ggsurvplot(cumevents = TRUE, cumcensor = TRUE) draws): lung by sex at times within, between and beyond the data;
# veteran (ties) overall
cum <- function(time, status, group, times) {
  d <- data.frame(time = time, status = status, g = factor(group))
  tp <- survminer:::.get_timepoints_survsummary(survfit(Surv(time, status) ~ g, data = d), d, times)
  lapply(levels(d$g), function(lv) { r <- tp[as.character(tp$strata) == paste0("g=", lv), ]
    list(group = lv, atRisk = r$n.risk, events = r$cum.n.event, censored = r$cum.n.censor) })
}
out$cumulative <- list(
  list(time = lung$time, status = lung$status - 1, group = as.character(lung$sex), times = c(0, 5, 100, 365.25, 500, 1022, 2000),
       rows = cum(lung$time, lung$status - 1, lung$sex, c(0, 5, 100, 365.25, 500, 1022, 2000))),
  list(time = veteran$time, status = veteran$status, group = as.character(veteran$trt), times = c(0, 8, 30, 100, 999, 1000),
       rows = cum(veteran$time, veteran$status, veteran$trt, c(0, 8, 30, 100, 999, 1000))))
write_json(list(r = R.version.string, survival = as.character(packageVersion("survival")), survminer = as.character(packageVersion("survminer")), extra = out),
  "test/golden/survival-extra.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
