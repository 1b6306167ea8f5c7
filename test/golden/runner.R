# Golden values for the runner tests (test/unit/study): the crafted study test/fixtures/runner/basic done by hand in R.
# Rscript test/golden/runner.R  (from the repository root) -> test/golden/runner.json
suppressMessages({ library(survival); library(jsonlite) })
d <- "test/fixtures/runner/basic"
pl <- do.call(rbind, lapply(sort(Sys.glob(file.path(d, "plates", "*.csv"))), function(f) read.csv(f, stringsAsFactors = FALSE)))
pl <- pl[pl$task == "unknown", ]
pl$cq <- suppressWarnings(as.numeric(pl$cq))          # Undetermined -> NA (nondetect exclude)
pl <- pl[!is.na(pl$cq) & pl$cq <= 35, ]
m <- aggregate(cq ~ sample + target, data = pl, FUN = mean)
ref <- m[m$target == "cel-miR-39", c("sample", "cq")]; names(ref)[2] <- "ref"
m <- merge(m[m$target != "cel-miR-39", ], ref, by = "sample")
m$dcq <- m$cq - m$ref
m$expr <- 2^-m$dcq
m$patient <- sub("-(pre|post)$", "", m$sample)
m$tp <- sub("^.*-", "", m$sample)
m$key <- paste0(m$target, "@", m$tp)
E <- reshape(m[, c("patient", "key", "expr")], idvar = "patient", timevar = "key", direction = "wide")
D <- reshape(m[, c("patient", "key", "dcq")], idvar = "patient", timevar = "key", direction = "wide")
names(E) <- sub("^expr\\.", "", names(E)); names(D) <- sub("^dcq\\.", "dcq_", names(D))
clin <- read.csv(file.path(d, "clinical.csv"), stringsAsFactors = FALSE)
x <- merge(merge(clin, E, by = "patient"), D, by = "patient")
x$mir122_pre <- log10(x[["miR-122@pre"]])
x$mir21_pre <- log10(x[["miR-21@pre"]])

tt <- t.test(x[["miR-122@post"]], x[["miR-122@pre"]], paired = TRUE)
ct <- cor.test(x$mir122_pre, x$age, method = "pearson")
ca <- cor.test(x$mir122_pre, x$afp, method = "pearson")
cx <- coxph(Surv(dss_months, dss_death) ~ mir122_pre + age, data = x, ties = "efron")
scx <- summary(cx)
gl <- glm(effective ~ mir21_pre + age, data = x, family = binomial)
sgl <- summary(gl)
out <- list(
  subjects = nrow(x),
  pairedT = list(n = sum(complete.cases(x[["miR-122@post"]], x[["miR-122@pre"]])), statistic = unname(tt$statistic), df = unname(tt$parameter), p = tt$p.value,
                 estimate = unname(tt$estimate), ci = as.numeric(tt$conf.int)),
  corAge = list(r = unname(ct$estimate), n = sum(complete.cases(x$mir122_pre, x$age)), p = ct$p.value, ci = as.numeric(ct$conf.int)),
  corAfp = list(r = unname(ca$estimate), n = sum(complete.cases(x$mir122_pre, x$afp)), p = ca$p.value, ci = as.numeric(ca$conf.int)),
  cox = list(n = cx$n, events = cx$nevent, coef = unname(coef(cx)), se = unname(sqrt(diag(vcov(cx)))), p = unname(scx$coefficients[, 5]),
             hrLo = unname(scx$conf.int[, 3]), hrHi = unname(scx$conf.int[, 4]), lrt = unname(2 * diff(cx$loglik)), wald = unname(cx$wald.test),
             score = unname(cx$score), concordance = unname(cx$concordance["concordance"])),
  glm = list(n = nobs(gl), coef = unname(coef(gl)), se = unname(sgl$coefficients[, 2]), p = unname(sgl$coefficients[, 4]), aic = AIC(gl),
             ciLo = unname(exp(confint.default(gl))[, 1]), ciHi = unname(exp(confint.default(gl))[, 2]))
)
# Survival extras (issue 19), on the same subjects:
# `cs: cox dss ~ mir122_pre + age + strata(sex) with ph-test` as coxph(... + strata(sex)) and its cox.zph;
# `kc: km dss by cutpoint(mir122_ratio) with at 0, 12, 24, 36` as maxstat.test (LogRank, Lau94, minprop 0.1,
# maxprop 0.9; surv_cutpoint's cut) and survminer's cumulative events / censored under the plot
# (.get_timepoints_survsummary, what ggsurvplot(cumevents = TRUE, cumcensor = TRUE) draws) for the groups it makes.
suppressMessages({ library(maxstat); library(survminer) })
cs <- coxph(Surv(dss_months, dss_death) ~ mir122_pre + age + strata(sex), data = x, ties = "efron")
out$coxStrata <- list(n = cs$n, events = cs$nevent, coef = unname(coef(cs)), se = unname(sqrt(diag(vcov(cs)))),
  p = unname(summary(cs)$coefficients[, 5]), lrt = unname(2 * diff(cs$loglik)), wald = unname(cs$wald.test),
  score = unname(cs$score), concordance = unname(cs$concordance["concordance"]),
  zph = unname(cox.zph(cs)$table[, "chisq"]), zphP = unname(cox.zph(cs)$table[, "p"]))
# `cu: cox dss ~ mir122_pre + age + strata(sex) + strata(cirrhosis) with univariate`: each term alone, both strata
out$coxStrataUni <- lapply(c("mir122_pre"), function(v) { f <- coxph(as.formula(paste("Surv(dss_months, dss_death) ~", v, "+ strata(sex) + strata(cirrhosis)")), data = x)
  list(n = f$n, coef = unname(coef(f)), se = unname(sqrt(diag(vcov(f))))) })
x$mir122_ratio <- x[["dcq_miR-122@post"]] / x[["dcq_miR-122@pre"]]
k <- x[complete.cases(x$dss_months, x$dss_death, x$mir122_ratio), c("dss_months", "dss_death", "mir122_ratio")]
ms <- maxstat.test(Surv(dss_months, dss_death) ~ mir122_ratio, data = k, smethod = "LogRank", pmethod = "Lau94", minprop = 0.1, maxprop = 0.9)
sc <- surv_cutpoint(k, time = "dss_months", event = "dss_death", variables = "mir122_ratio")
k$grp <- factor(ifelse(k$mir122_ratio > sc$cutpoint$cutpoint, "high", "low"), levels = c("low", "high"))
kf <- survfit(Surv(dss_months, dss_death) ~ grp, data = k)
tp <- survminer:::.get_timepoints_survsummary(kf, k, c(0, 12, 24, 36))
lr <- survdiff(Surv(dss_months, dss_death) ~ grp, data = k)
out$cutpoint <- list(n = nrow(k), cut = unname(ms$estimate), survminerCut = sc$cutpoint$cutpoint, statistic = unname(ms$statistic), p = ms$p.value,
  groups = lapply(c("low", "high"), function(g) { r <- tp[as.character(tp$strata) == paste0("grp=", g), ]
    list(label = g, n = sum(k$grp == g), atRisk = r$n.risk, cumEvents = r$cum.n.event, cumCensored = r$cum.n.censor) }),
  logrank = unname(lr$chisq))
write_json(out, "test/golden/runner.json", digits = NA, auto_unbox = TRUE)
