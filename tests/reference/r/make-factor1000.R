#!/usr/bin/env Rscript
# Reference values for a factor of 1,000 levels (issue 18): lm(y ~ x1 + x2 + store) on 3,000 rows
# made by integer arithmetic, so that a test can write the same file byte for byte without R; the
# same model weighted by the column w (one row in seven of weight 0), and the sandwich standard
# errors of the unweighted fit (vcovHC HC0 and HC3, vcovCL by the column cl) and of the weighted one
# (HC1, on its rows of positive weight: sandwich would count the others in n).
# Run from the repository root:  Rscript tests/reference/r/make-factor1000.R
# Writes tests/reference/r/factor1000.json:
# { "generator", "r_version", "rule" (the rows, in words), "n_rows", "csv_md5" (md5 of the CSV
#   text, which the test checks before it compares), "formula",
#   "coefficients": {"names", "estimate", "std_error", "hc0_std_error", "hc3_std_error",
#   "cl_std_error"}, "sigma", "r_squared", "adj_r_squared", "fstatistic": {"value", "numdf", "dendf"},
#   "weighted": {"weights", "coefficients": {"names", "estimate", "std_error", "hc1_std_error"},
#   "sigma", "r_squared", "n_positive"},
#   "diagnostics": {"rows" (1-based, every 7th row), "hatvalues", "rstandard", "cooks_distance",
#     "confidence_lower", "confidence_upper", "prediction_lower", "prediction_upper" (predict.lm's
#     95% intervals at those rows)},
#   "anova": {"terms", "df", "sum_sq", "f_value", "p_value"} (anova(m); the residuals' row has no F),
#   "anova_nested": {"df_residual", "rss" (both models), "df", "sum_sq", "f_value", "p_value"} (anova(lm(y ~ x1 + x2), m)) }
# Doubles are written with sprintf("%.17g").
invisible(Sys.setlocale("LC_COLLATE", "C"))
n <- 3000L
i <- seq_len(n)
s <- (i * 7919L) %% 1000L                      # each of the 1,000 levels on 3 rows
a <- (i * 37L) %% 101L - 50L                   # x1 = a / 10
b <- (i * 53L) %% 97L - 48L                    # x2 = b / 4
noise <- ((i * i * 7L + i * 3L) %% 23L) - 11L  # noise = noise / 8
wk <- (i * 13L) %% 7L                          # w = wk / 4: 0 on one row in seven, never on all 3 rows of a level
cl <- (i * 11L) %% 40L                         # 40 clusters
Y <- 8L * a - 10L * b + 10L * ((s * 31L) %% 17L) + 5L * noise   # y = Y / 40
dec <- function(k, den, digits) {              # k / den written exactly, den dividing 10^digits
  scaled <- abs(k) * (10L^digits %/% den)
  sprintf("%s%d.%0*d", ifelse(k < 0, "-", ""), scaled %/% 10L^digits, digits, scaled %% 10L^digits)
}
lines <- c("x1,x2,store,w,cl,y", sprintf("%s,%s,s%03d,%s,%d,%s", dec(a, 10L, 1L), dec(b, 4L, 2L), s, dec(wk, 4L, 2L), cl, dec(Y, 40L, 3L)))
text <- paste0(paste(lines, collapse = "\n"), "\n")
file <- tempfile(fileext = ".csv")
writeBin(charToRaw(text), file)
d <- read.csv(file)
d$store <- factor(d$store)
m <- lm(y ~ x1 + x2 + store, d)
sm <- summary(m)
suppressMessages(library(sandwich))
se <- function(v) sqrt(diag(v))
mw <- lm(y ~ x1 + x2 + store, d, weights = w)
smw <- summary(mw)
cow <- coef(smw)
# sandwich counts rows of weight 0 in n; lsq leaves them out as lm does: its HC1 is sandwich's on the rows of positive weight
mp <- lm(y ~ x1 + x2 + store, d[d$w > 0, ], weights = w)
num <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
str <- function(x) paste0("[", paste0('"', x, '"', collapse = ", "), "]")
co <- coef(sm)
rows <- seq(1L, n, by = 7L)
ci <- predict(m, d[rows, ], interval = "confidence")
pi <- predict(m, d[rows, ], interval = "prediction")
av <- anova(m)
avn <- anova(lm(y ~ x1 + x2, d), m)
tab <- function(a) paste0('{"terms": ', str(rownames(a)), ', "df": ', num(a$Df), ',\n',
  '    "sum_sq": ', num(a[["Sum Sq"]]), ',\n',
  '    "f_value": ', num(head(a[["F value"]], -1)), ', "p_value": ', num(head(a[["Pr(>F)"]], -1)), '}')
json <- paste0('{\n',
  '  "generator": "tests/reference/r/make-factor1000.R",\n',
  '  "r_version": "', R.version.string, '",\n',
  '  "rule": "row i = 1..3000: store = s%03d of (7919 i) mod 1000; x1 = ((37 i) mod 101 - 50)/10; x2 = ((53 i) mod 97 - 48)/4; w = ((13 i) mod 7)/4; cl = (11 i) mod 40; y = (8a - 10b + 10 ((31 s) mod 17) + 5 (((7 i^2 + 3 i) mod 23) - 11))/40 with a, b the numerators of x1, x2; header x1,x2,store,w,cl,y; numbers written exactly (x1 one decimal, x2 and w two, cl an integer, y three)",\n',
  '  "n_rows": ', n, ',\n',
  '  "csv_md5": "', unname(tools::md5sum(file)), '",\n',
  '  "formula": "y ~ x1 + x2 + store",\n',
  '  "coefficients": {"names": ', str(rownames(co)), ',\n',
  '    "estimate": ', num(co[, 1]), ',\n',
  '    "std_error": ', num(co[, 2]), ',\n',
  '    "hc0_std_error": ', num(se(vcovHC(m, type = "HC0"))), ',\n',
  '    "hc3_std_error": ', num(se(vcovHC(m, type = "HC3"))), ',\n',
  '    "cl_std_error": ', num(se(vcovCL(m, cluster = ~cl, type = "HC1"))), '},\n',
  '  "sigma": ', sprintf("%.17g", sm$sigma), ',\n',
  '  "r_squared": ', sprintf("%.17g", sm$r.squared), ',\n',
  '  "adj_r_squared": ', sprintf("%.17g", sm$adj.r.squared), ',\n',
  '  "fstatistic": {"value": ', sprintf("%.17g", sm$fstatistic[1]), ', "numdf": ', sm$fstatistic[2], ', "dendf": ', sm$fstatistic[3], '},\n',
  '  "weighted": {"weights": "w",\n',
  '    "coefficients": {"names": ', str(rownames(cow)), ',\n',
  '      "estimate": ', num(cow[, 1]), ',\n',
  '      "std_error": ', num(cow[, 2]), ',\n',
  '      "hc1_std_error": ', num(se(vcovHC(mp, type = "HC1"))), '},\n',
  '    "sigma": ', sprintf("%.17g", smw$sigma), ',\n',
  '    "r_squared": ', sprintf("%.17g", smw$r.squared), ',\n',
  '    "n_positive": ', sum(d$w > 0), '},\n',
  '  "diagnostics": {"rows": ', num(rows), ',\n',
  '    "hatvalues": ', num(hatvalues(m)[rows]), ',\n',
  '    "rstandard": ', num(rstandard(m)[rows]), ',\n',
  '    "cooks_distance": ', num(cooks.distance(m)[rows]), ',\n',
  '    "confidence_lower": ', num(ci[, "lwr"]), ',\n',
  '    "confidence_upper": ', num(ci[, "upr"]), ',\n',
  '    "prediction_lower": ', num(pi[, "lwr"]), ',\n',
  '    "prediction_upper": ', num(pi[, "upr"]), '},\n',
  '  "anova": ', tab(av), ',\n',
  '  "anova_nested": {"df_residual": ', num(avn$Res.Df), ', "rss": ', num(avn$RSS), ', "df": ', avn$Df[2],
  ', "sum_sq": ', sprintf("%.17g", avn[["Sum of Sq"]][2]), ', "f_value": ', sprintf("%.17g", avn$F[2]), ', "p_value": ', sprintf("%.17g", avn[["Pr(>F)"]][2]), '}\n',
  '}\n')
writeLines(json, "tests/reference/r/factor1000.json", sep = "")
cat(readLines(file, n = 4), sep = "\n")
