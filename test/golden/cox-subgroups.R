# Subgroup analysis of a Cox marker: coxph(Surv ~ marker) within each level of a variable (HR, Wald 95% CI, p) and
# the LR test of the marker x variable interaction: anova(coxph(~ marker + V), coxph(~ marker * V)).
# Run from the repository root: Rscript test/golden/cox-subgroups.R  → test/golden/cox-subgroups.json
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
one <- function(name, d, marker, v, ties = "efron") {
  d <- d[complete.cases(d[, c("time", "status", marker, v)]), ]
  d$m <- d[[marker]]; d$g <- factor(as.character(d[[v]]))
  levels <- lapply(levels(d$g), function(l) {
    s <- d[d$g == l, ]
    fit <- coxph(Surv(time, status) ~ m, data = s, ties = ties)
    ci <- summary(fit)$conf.int
    list(level = l, n = nrow(s), events = sum(s$status), coef = unname(coef(fit)), se = unname(sqrt(vcov(fit)[1, 1])),
         hr = unname(exp(coef(fit))), ci = unname(c(ci[1, "lower .95"], ci[1, "upper .95"])), p = unname(summary(fit)$coefficients[1, "Pr(>|z|)"]))
  })
  a <- anova(coxph(Surv(time, status) ~ m + g, data = d, ties = ties), coxph(Surv(time, status) ~ m * g, data = d, ties = ties))
  list(name = name, ties = ties, time = d$time, status = d$status, x = d$m, group = as.character(d$g), levels = levels(d$g),
       subgroups = levels, chisq = unname(a$Chisq[2]), df = unname(a$Df[2]), p = unname(a[["Pr(>|Chi|)"]][2]))
}
l <- lung; l$status <- l$status - 1
v <- veteran; v$celltype <- as.character(v$celltype)
out <- list(
  one("lung age by sex", l, "age", "sex"),
  one("lung age by ph.ecog (0-2), breslow", l[!is.na(l$ph.ecog) & l$ph.ecog < 3, ], "age", "ph.ecog", "breslow"),
  one("veteran karno by celltype", v, "karno", "celltype"))
write_json(list(r = R.version.string, survival = as.character(packageVersion("survival")), cases = out), "test/golden/cox-subgroups.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
