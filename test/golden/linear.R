# Golden values for src/engine/stats/linear.ts (linear regression, drop1 F tests / type II ANCOVA, adjusted means).
# Run from the repository root:  Rscript test/golden/linear.R   -> writes test/golden/linear.json
# R 4.2.2: lm, summary.lm, confint, drop1(test = "F"); car::Anova(type = "II") and emmeans (equal weights over the
# levels of the other factors, covariates at their means) as cross-checks of the same numbers.
suppressMessages({ library(jsonlite); library(car); library(emmeans) })
set.seed(20261205)
n <- 60
age <- round(rnorm(n, 62, 9), 1)
bmi <- round(18 + 0.12 * age + rnorm(n, 0, 2.5), 2)
group <- factor(sample(c("control", "low", "high"), n, replace = TRUE), levels = c("control", "low", "high"))
sex <- factor(sample(c("F", "M"), n, replace = TRUE), levels = c("F", "M"))
y <- round(2 + 0.05 * age - 0.08 * bmi + c(0, 0.6, 1.4)[as.integer(group)] + 0.4 * (sex == "M") + rnorm(n, 0, 0.9), 3)
d <- data.frame(y, age, bmi, group, sex)
# moderately collinear pair (correlation ~ 0.9999)
x1 <- round(rnorm(n, 10, 2), 4)
x2 <- round(x1 + rnorm(n, 0, 0.02), 4)
yc <- round(1 + 0.5 * x1 - 0.3 * x2 + rnorm(n), 4)

rows <- function(m) unname(lapply(seq_len(nrow(m)), function(i) I(unname(m[i, ]))))
fitOut <- function(f, level = 0.95) {
  s <- summary(f)
  X <- model.matrix(f)
  ci <- confint(f, level = level)
  list(names = I(colnames(X)[-1]), X = rows(X[, -1, drop = FALSE]), y = unname(model.response(model.frame(f))),
       level = level, coef = unname(coef(f)), se = unname(s$coefficients[, 2]), t = unname(s$coefficients[, 3]),
       p = unname(s$coefficients[, 4]), ci = rows(ci), sigma = s$sigma, r2 = s$r.squared, adjR2 = s$adj.r.squared,
       fStatistic = unname(s$fstatistic[1]), df1 = unname(s$fstatistic[2]), df2 = unname(s$fstatistic[3]),
       fP = unname(pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3], lower.tail = FALSE)), n = nrow(X),
       rss = sum(residuals(f)^2), fitted = unname(fitted(f)))
}
out <- list()
full <- lm(y ~ age + bmi + group + sex, data = d)
out$full <- fitOut(full)
out$full90 <- fitOut(full, 0.9)
dr <- drop1(full, test = "F")[-1, ]
out$drop1 <- list(term = rownames(dr), df = unname(dr$Df), sumSq = unname(dr$`Sum of Sq`), rss = unname(dr$RSS),
                  f = unname(dr$`F value`), p = unname(dr$`Pr(>F)`))
av <- Anova(full, type = "II")
out$anovaII <- list(term = rownames(av)[-nrow(av)], sumSq = unname(av$`Sum Sq`[-nrow(av)]), f = unname(av$`F value`[-nrow(av)]),
                    p = unname(av$`Pr(>F)`[-nrow(av)]))
em <- summary(emmeans(full, "group"), level = 0.95)
out$emmeans <- list(level = as.character(em$group), mean = em$emmean, se = em$SE, df = em$df, lower = em$lower.CL, upper = em$upper.CL,
                    ageMean = mean(d$age), bmiMean = mean(d$bmi))
# ANCOVA of two groups (control vs high), adjusting age and sex
d2 <- droplevels(subset(d, group != "low"))
two <- lm(y ~ group + age + sex, data = d2)
out$two <- fitOut(two)
dr2 <- drop1(two, test = "F")[-1, ]
out$twoDrop1 <- list(term = rownames(dr2), df = unname(dr2$Df), sumSq = unname(dr2$`Sum of Sq`), f = unname(dr2$`F value`), p = unname(dr2$`Pr(>F)`))
em2 <- summary(emmeans(two, "group"))
out$twoEmmeans <- list(level = as.character(em2$group), mean = em2$emmean, se = em2$SE, lower = em2$lower.CL, upper = em2$upper.CL)
out$collinear <- fitOut(lm(yc ~ x1 + x2))
out$single <- fitOut(lm(y ~ age, data = d))
# Through the study language on the tace example's clinical table (test/unit/analyses/linear.test.ts):
#   linear log10(afp) ~ age + sex + etiology + alb
#   compare log10(afp) by etiology adjusting age, sex, alb
# (etiology's levels in the engine's order: natural sort, case-insensitive; the first is the reference)
tace <- read.csv("examples/tace-exosomal-mirna/clinical.csv", stringsAsFactors = FALSE)
tace$etiology <- factor(tace$etiology, levels = c("alcohol", "HBV", "HCV", "NBNC"))
tace$sex <- factor(tace$sex, levels = c("F", "M"))
st <- lm(log10(afp) ~ age + sex + etiology + alb, data = tace)
out$study <- fitOut(st)
sa <- lm(log10(afp) ~ etiology + age + sex + alb, data = tace)
dra <- drop1(sa, test = "F")[-1, ]
ema <- summary(emmeans(sa, "etiology"))
out$studyAncova <- list(term = rownames(dra), df = unname(dra$Df), sumSq = unname(dra$`Sum of Sq`), f = unname(dra$`F value`),
                        p = unname(dra$`Pr(>F)`), r2 = summary(sa)$r.squared, dfResidual = sa$df.residual, n = nrow(model.matrix(sa)),
                        level = as.character(ema$etiology), mean = ema$emmean, se = ema$SE, lower = ema$lower.CL, upper = ema$upper.CL)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = FALSE), "test/golden/linear.json")
