# Golden values for `forest MODEL by VARS` (src/engine/analyses/forest.ts): the Cox model refitted within each level of
# each subgroup variable (coxph, Breslow ties as the tace example; profile-likelihood CI of the marker's HR, restated
# from test/golden/survival.R's profile_ci) and the p for interaction, anova() of `terms + V` vs `terms + V + marker:V`.
# Data: test/golden/subgroup-tace.csv, the per-subject variables of the tace example's cirrhosis cohort as the engine
# evaluates them (time = dss_months, status = dss_death, mir122_low, cp_b, tumor_gt3 = tumor_diameter > 3, sex,
# child_pugh_grade, tumor_cut3 = cut(tumor_diameter, 3)); the unit test checks n and events per row against the example.
# Run from the repository root: Rscript test/golden/subgroup.R  → test/golden/subgroup.json
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
d <- read.csv("test/golden/subgroup-tace.csv", stringsAsFactors = FALSE)
d$tumor_cut3 <- factor(d$tumor_cut3, levels = c("(-Inf,3]", "(3,Inf]"))
num <- function(x) ifelse(is.finite(x), x, NA)

# the log-likelihood with coefficient j fixed at b, the others refitted
ll_fixed <- function(y, X, j, b, ties) {
  off <- b * X[, j]
  if (ncol(X) == 1) return(coxph(y ~ offset(off), ties = ties)$loglik[1])
  Xr <- X[, -j, drop = FALSE]
  coxph(y ~ Xr + offset(off), ties = ties, control = coxph.control(eps = 1e-13, toler.inf = 1e-14, iter.max = 100))$loglik[2]
}
profile_side <- function(y, X, fit, j, dir, ties, conf = 0.95) {
  b <- coef(fit)[j]; se <- sqrt(fit$var[j, j]); llhat <- fit$loglik[2]
  g <- function(bj) 2 * (llhat - ll_fixed(y, X, j, bj, ties)) - qchisq(conf, 1)
  k <- 2
  while (g(b + dir * k * se) < 0) { k <- k * 2; if (k > 4096) return(NA) }
  uniroot(g, sort(c(b, b + dir * k * se)), tol = 1e-11)$root
}

# the marker's HR in one fit (aliased covariates dropped, as coxph's NA coefficients)
marker_row <- function(rhs, rows, ties = "breslow") {
  s <- d[rows, ]
  X <- model.matrix(as.formula(paste("~", rhs)), s)[, -1, drop = FALSE]
  y <- Surv(s$time, s$status)
  fit0 <- coxph(y ~ X, ties = ties)
  X <- X[, !is.na(coef(fit0)), drop = FALSE]
  fit <- coxph(y ~ X, ties = ties)
  b <- unname(coef(fit)[1]); se <- sqrt(fit$var[1, 1])
  list(n = nrow(s), events = sum(s$status), hr = exp(b), p = 2 * pnorm(-abs(b / se)),
       lo = num(exp(profile_side(y, X, fit, 1, -1, ties))), hi = num(exp(profile_side(y, X, fit, 1, 1, ties))))
}

interaction <- function(rhs, v, ties = "breslow") {
  f0 <- coxph(as.formula(paste("Surv(time, status) ~", rhs, "+", v)), data = d, ties = ties)
  f1 <- coxph(as.formula(paste("Surv(time, status) ~", rhs, "+", v, "+ mir122_low:", v)), data = d, ties = ties)
  a <- anova(f0, f1)
  list(chisq = a$Chisq[2], df = a$Df[2], p = a[["Pr(>|Chi|)"]][2])
}

vars <- c(sex = "sex", child_pugh_grade = "child_pugh_grade", "cut(tumor_diameter, 3)" = "tumor_cut3")
one_model <- function(name, rhs) {
  groups <- lapply(names(vars), function(label) {
    v <- vars[[label]]
    lv <- if (is.factor(d[[v]])) levels(d[[v]]) else sort(unique(d[[v]]))
    list(variable = label, levels = lapply(lv, function(l) c(list(level = l), marker_row(rhs, which(d[[v]] == l)))),
         interaction = interaction(rhs, v))
  })
  list(model = name, all = marker_row(rhs, seq_len(nrow(d))), groups = groups)
}
out <- list(r = R.version.string, survival = as.character(packageVersion("survival")),
  models = list(one_model("cox_mir122", "mir122_low"), one_model("cox_mir122_adj", "mir122_low + cp_b + tumor_gt3")))
write_json(out, "test/golden/subgroup.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
