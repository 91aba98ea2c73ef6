#!/usr/bin/env Rscript
# Reference values for a numeric group column written two ways (review F19): mtcars with every
# other gear cell written with a decimal ("4.0", as pandas writes an integer column that had a NaN,
# or as a second exporter does). read.csv reads gear as numbers, so vcovCL(cluster = ~gear) and
# split(d, d$gear) see 3 groups, not 6.
# Run from the repository root:  Rscript tests/reference/r/make-numeric-groups.R
# Writes tests/reference/r/numeric-groups/mt_cl.csv and tests/reference/r/numeric-groups.json:
# { "generator", "r_version", "data_file",
#   "cluster": {"formula", "column", "groups" (G), "type": "HC1", "std_error": [...], "wald_f"},
#   "by": {"formula", "column", "groups": [{"value" (as R prints it), "n", "estimate": [...]}]} }
# Doubles are written with sprintf("%.17g").
suppressMessages(library(sandwich))
d0 <- mtcars
gear <- as.character(d0$gear)
odd <- seq(1L, nrow(d0), by = 2L)
gear[odd] <- sprintf("%.1f", d0$gear[odd])
out <- d0
out$gear <- gear
file <- "tests/reference/r/numeric-groups/mt_cl.csv"
write.csv(out, file, quote = FALSE)
d <- read.csv(file, row.names = 1)
stopifnot(is.numeric(d$gear))
m <- lm(mpg ~ wt + hp, d)
V <- vcovCL(m, cluster = ~gear, type = "HC1")
b <- coef(m)[-1]
W <- as.numeric(t(b) %*% solve(V[-1, -1]) %*% b) / length(b)
num <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
groups <- split(d, d$gear)
by <- vapply(names(groups), function(g) {
  mg <- lm(mpg ~ wt, groups[[g]])
  paste0('{"value": "', g, '", "n": ', nrow(groups[[g]]), ', "estimate": ', num(coef(mg)), '}')
}, "")
json <- paste0('{\n',
  '  "generator": "tests/reference/r/make-numeric-groups.R",\n',
  '  "r_version": "', R.version.string, '", "sandwich": "', packageVersion("sandwich"), '",\n',
  '  "data_file": "', file, '",\n',
  '  "cluster": {"formula": "mpg ~ wt + hp", "column": "gear", "groups": ', length(unique(d$gear)), ', "type": "HC1",\n',
  '    "std_error": ', num(sqrt(diag(V))), ', "wald_f": ', sprintf("%.17g", W), '},\n',
  '  "by": {"formula": "mpg ~ wt", "column": "gear", "groups": [\n    ', paste(by, collapse = ",\n    "), ']}\n',
  '}\n')
writeLines(json, "tests/reference/r/numeric-groups.json", sep = "")
