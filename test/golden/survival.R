# Golden values for src/engine/stats/{km,logrank,cox,concordance}.ts
# R 4.2, survival 3.5-3. Run from the repository root:  Rscript test/golden/survival.R
# Writes test/golden/survival.json, including every input data set (status coded 0/1), so the TS tests
# use exactly the same data.
#
# Profile-likelihood CIs (not built into survival): for coefficient j the limits are the roots of
#   g(b) = 2 * (loglik(beta_hat) - max_{beta_-j} loglik(b, beta_-j)) - qchisq(conf, 1)
# on each side of beta_hat. max_{beta_-j} is coxph(y ~ X[, -j] + offset(b * X[, j])) with tight control
# (eps 1e-13, iter.max 100); for a one-column model it is the offset-only null model loglik. The bracket
# starts at beta_hat +- 2 SE and is doubled until g changes sign; uniroot(tol = 1e-11) finds the root.
suppressPackageStartupMessages({ library(survival); library(jsonlite) })

out <- list(meta = list(R = R.version.string, survival = as.character(packageVersion("survival"))))

num <- function(x) { x <- as.numeric(x); x }

km_case <- function(time, status, group = NULL, times = NULL, conf.type = "log", conf.int = 0.95) {
  res <- list(conf.type = conf.type, conf.int = conf.int)
  groups <- if (is.null(group)) list(all = rep(TRUE, length(time))) else
    setNames(lapply(sort(unique(group)), function(g) group == g), as.character(sort(unique(group))))
  res$groups <- lapply(names(groups), function(g) {
    sel <- groups[[g]]
    f <- survfit(Surv(time[sel], status[sel]) ~ 1, conf.type = conf.type, conf.int = conf.int)
    q <- quantile(f, 0.5)
    r <- list(label = g, n = f$n, events = sum(f$n.event), time = num(f$time), n.risk = num(f$n.risk),
              n.event = num(f$n.event), n.censor = num(f$n.censor), surv = num(f$surv),
              std.err = num(f$std.err), lower = num(f$lower), upper = num(f$upper),
              median = num(q$quantile), medianLo = num(q$lower), medianHi = num(q$upper))
    if (!is.null(times)) {
      s <- summary(f, times = times, extend = TRUE)
      r$summary <- list(times = num(s$time), n.risk = num(s$n.risk), surv = num(s$surv),
                        std.err = num(s$std.err), lower = num(s$lower), upper = num(s$upper))
    }
    r
  })
  res
}

logrank_case <- function(time, status, group, rho = 0) {
  sd <- survdiff(Surv(time, status) ~ group, rho = rho)
  list(rho = rho, labels = as.character(sort(unique(group))), n = num(sd$n), obs = num(sd$obs),
       exp = num(sd$exp), var = lapply(seq_len(nrow(sd$var)), function(i) num(sd$var[i, ])),
       chisq = sd$chisq, df = length(sd$n) - 1,
       p = pchisq(sd$chisq, length(sd$n) - 1, lower.tail = FALSE))
}

ll_fixed <- function(y, X, j, b, ties) {
  off <- b * X[, j]
  if (ncol(X) == 1) {
    f <- coxph(y ~ offset(off), ties = ties)
    return(f$loglik[1])
  }
  Xr <- X[, -j, drop = FALSE]
  f <- coxph(y ~ Xr + offset(off), ties = ties, control = coxph.control(eps = 1e-13, toler.inf = 1e-14, iter.max = 100))
  f$loglik[2]
}

profile_ci <- function(y, X, fit, ties, conf = 0.95) {
  crit <- qchisq(conf, 1)
  llhat <- fit$loglik[2]
  b <- coef(fit); se <- sqrt(diag(fit$var))
  t(sapply(seq_len(ncol(X)), function(j) {
    g <- function(bj) 2 * (llhat - ll_fixed(y, X, j, bj, ties)) - crit
    side <- function(dir) {
      k <- 2
      while (g(b[j] + dir * k * se[j]) < 0) k <- k * 2
      uniroot(g, sort(c(b[j], b[j] + dir * k * se[j])), tol = 1e-11)$root
    }
    c(side(-1), side(1))
  }))
}

cox_case <- function(time, status, X, ties = "efron", profile = FALSE) {
  X <- as.matrix(X)
  y <- Surv(time, status)
  w <- NULL
  fit <- withCallingHandlers(coxph(y ~ X, ties = ties),
                             warning = function(wn) { w <<- c(w, conditionMessage(wn)); invokeRestart("muffleWarning") })
  s <- summary(fit)
  se <- sqrt(diag(fit$var))
  z <- qnorm(0.975)
  r <- list(ties = ties, names = colnames(X), coef = num(coef(fit)), se = num(se),
            var = lapply(seq_len(ncol(X)), function(i) num(fit$var[i, ])),
            z = num(coef(fit) / se), p = num(2 * pnorm(-abs(coef(fit) / se))),
            waldLo = num(coef(fit) - z * se), waldHi = num(coef(fit) + z * se),
            loglik = num(fit$loglik), iter = fit$iter,
            # summary.coxph rounds its tests; recompute at full precision (same formulas)
            lrt = num(c(2 * diff(fit$loglik), ncol(X), pchisq(2 * diff(fit$loglik), ncol(X), lower.tail = FALSE))),
            wald = num(c(fit$wald.test, ncol(X), pchisq(fit$wald.test, ncol(X), lower.tail = FALSE))),
            score = num(c(fit$score, ncol(X), pchisq(fit$score, ncol(X), lower.tail = FALSE))),
            printed = list(logtest = num(s$logtest), waldtest = num(s$waldtest), sctest = num(s$sctest)),
            means = num(fit$means), linear.predictors = num(fit$linear.predictors),
            concordance = num(fit$concordance), warnings = if (is.null(w)) list() else as.list(w))
  if (profile) {
    pc <- profile_ci(y, X, fit, ties)
    r$profileLo <- num(pc[, 1]); r$profileHi <- num(pc[, 2])
  }
  r
}

conc_case <- function(time, status, x, reverse = FALSE) {
  cc <- concordance(Surv(time, status) ~ x, reverse = reverse)
  list(reverse = reverse, count = num(cc$count), concordance = cc$concordance, var = cc$var,
       x = num(x))
}

datasets <- list()

# ---- lung ----
lung2 <- lung
lung2$status <- lung2$status - 1
datasets$lung <- list(time = num(lung2$time), status = num(lung2$status), age = num(lung2$age),
                      sex = num(lung2$sex), ph_ecog = num(lung2$ph.ecog))
le <- lung2[!is.na(lung2$ph.ecog), ]
out$lung <- list(
  km_all = km_case(lung2$time, lung2$status, times = c(100, 200, 365, 500)),
  km_sex = km_case(lung2$time, lung2$status, lung2$sex, times = c(100, 200, 365, 500)),
  km_all_loglog = km_case(lung2$time, lung2$status, conf.type = "log-log"),
  km_all_plain90 = km_case(lung2$time, lung2$status, conf.type = "plain", conf.int = 0.9),
  km_ecog = km_case(le$time, le$status, le$ph.ecog),
  logrank_sex = logrank_case(lung2$time, lung2$status, lung2$sex),
  logrank_sex_rho1 = logrank_case(lung2$time, lung2$status, lung2$sex, rho = 1),
  logrank_ecog = logrank_case(le$time, le$status, le$ph.ecog),
  cox_age_sex_efron = cox_case(lung2$time, lung2$status, cbind(age = lung2$age, sex = lung2$sex), "efron", TRUE),
  cox_age_sex_breslow = cox_case(lung2$time, lung2$status, cbind(age = lung2$age, sex = lung2$sex), "breslow", TRUE),
  cox_sex_efron = cox_case(lung2$time, lung2$status, cbind(sex = lung2$sex), "efron", TRUE),
  conc_age = conc_case(lung2$time, lung2$status, lung2$age),
  conc_age_rev = conc_case(lung2$time, lung2$status, lung2$age, reverse = TRUE)
)

# ---- veteran ----
vX <- model.matrix(~ trt + celltype + karno + diagtime + age + prior, veteran)[, -1]
datasets$veteran <- list(time = num(veteran$time), status = num(veteran$status), trt = num(veteran$trt),
                         X = lapply(seq_len(ncol(vX)), function(j) num(vX[, j])), Xnames = colnames(vX))
out$veteran <- list(
  km_trt = km_case(veteran$time, veteran$status, veteran$trt),
  cox_full_breslow = cox_case(veteran$time, veteran$status, vX, "breslow", TRUE),
  cox_full_efron = cox_case(veteran$time, veteran$status, vX, "efron", FALSE)
)

# ---- ovarian ----
datasets$ovarian <- list(time = num(ovarian$futime), status = num(ovarian$fustat), age = num(ovarian$age),
                         ecog = num(ovarian$ecog.ps), rx = num(ovarian$rx))
out$ovarian <- list(
  cox_age_ecog = cox_case(ovarian$futime, ovarian$fustat, cbind(age = ovarian$age, ecog.ps = ovarian$ecog.ps), "efron", TRUE),
  logrank_rx = logrank_case(ovarian$futime, ovarian$fustat, ovarian$rx),
  km_rx = km_case(ovarian$futime, ovarian$fustat, ovarian$rx)
)

# ---- aml ----
datasets$aml <- list(time = num(aml$time), status = num(aml$status), x = as.character(aml$x))
out$aml <- list(
  km = km_case(aml$time, aml$status, as.character(aml$x)),
  km_loglog = km_case(aml$time, aml$status, as.character(aml$x), conf.type = "log-log"),
  logrank = logrank_case(aml$time, aml$status, as.character(aml$x))
)

# ---- Therneau & Grambsch hand-solvable data (book1.R / book2.R), NA row dropped ----
book <- data.frame(time = c(9, 1, 1, 6, 6, 8), status = c(1, 1, 0, 1, 1, 0), x = c(0, 1, 1, 1, 0, 0))
datasets$book <- as.list(book)
out$book <- list(
  breslow = cox_case(book$time, book$status, cbind(x = book$x), "breslow", TRUE),
  efron = cox_case(book$time, book$status, cbind(x = book$x), "efron", TRUE)
)

# ---- crafted cases ----
set.seed(20240611)
n <- 80
ties <- data.frame(time = sample(1:6, n, replace = TRUE), status = rbinom(n, 1, 0.7),
                   x1 = round(rnorm(n), 1), x2 = rbinom(n, 1, 0.4), g = sample(c("a", "b", "c"), n, TRUE))
datasets$ties <- as.list(ties)
out$ties <- list(
  km = km_case(ties$time, ties$status, times = c(0.5, 2, 3.5, 6, 7)),
  logrank_g = logrank_case(ties$time, ties$status, ties$g),
  logrank_g_rho05 = logrank_case(ties$time, ties$status, ties$g, rho = 0.5),
  cox_efron = cox_case(ties$time, ties$status, cbind(x1 = ties$x1, x2 = ties$x2), "efron", TRUE),
  cox_breslow = cox_case(ties$time, ties$status, cbind(x1 = ties$x1, x2 = ties$x2), "breslow", TRUE),
  conc_x1 = conc_case(ties$time, ties$status, ties$x1),
  conc_x2_rev = conc_case(ties$time, ties$status, ties$x2, reverse = TRUE)
)

cens <- data.frame(time = c(3, 1, 4, 1, 5), status = c(0, 0, 0, 0, 0), x = c(1, 2, 3, 4, 5))
datasets$allCensored <- as.list(cens)
out$allCensored <- list(km = km_case(cens$time, cens$status))

two <- data.frame(time = c(2, 1), status = c(1, 1), x = c(1, 0), g = c("b", "a"))
datasets$two <- as.list(two)
out$two <- list(km = km_case(two$time, two$status), logrank = logrank_case(two$time, two$status, two$g),
                cox = cox_case(two$time, two$status, cbind(x = two$x)),
                conc = conc_case(two$time, two$status, two$x))

sep <- data.frame(time = 1:10, status = rep(1, 10), x = as.numeric(1:10 <= 5), z = c(0.3, -1.2, 0.5, 2.1, -0.4, 0.9, -0.7, 1.4, 0.1, -0.2))
datasets$separate <- as.list(sep)
out$separate <- list(cox = cox_case(sep$time, sep$status, cbind(x = sep$x)),
                     cox2 = cox_case(sep$time, sep$status, cbind(z = sep$z, x = sep$x)))

const <- data.frame(time = lung2$time, status = lung2$status, age = lung2$age, one = 1)
sc <- suppressWarnings(coxph(Surv(time, status) ~ age + one, const))
out$constant <- list(Rcoef = num(coef(sc)))   # R reports NA for the constant column; we throw instead

# near-tied times (floating-point arithmetic): aeqSurv (timefix = TRUE) merges them in every function
near <- data.frame(time = c(0.1 + 0.2, 0.3, 1, 1 + 1e-10, 2, 2.5, 3 - 1e-9, 3, 4, 5, 0.7, 1.7),
                   status = c(1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0), x = c(1.2, 0.4, 2.2, 1.1, 0.3, 0.9, 2.5, 1.8, 0.1, 0.6, 1.4, 0.2),
                   g = c(1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2))
datasets$neartie <- as.list(near)
out$neartie <- list(km = km_case(near$time, near$status),
                    logrank = logrank_case(near$time, near$status, near$g),
                    cox = cox_case(near$time, near$status, cbind(x = near$x)),
                    conc = conc_case(near$time, near$status, near$x))

out$datasets <- datasets
write_json(out, "test/golden/survival.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
cat("wrote test/golden/survival.json\n")
