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
write_json(out, "test/golden/runner.json", digits = NA, auto_unbox = TRUE)
