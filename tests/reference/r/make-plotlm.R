# R's plot.lm numbers for lsq plot --kind diagnostics: leverages, standardized residuals, Cook's
# distances, and which rows each panel labels (id.n = 3). Run from the repository root:
#   Rscript tests/reference/r/make-plotlm.R
# writes tests/reference/r/plotlm.json (jsonlite, doubles with 17 significant digits).
#
# plot.lm labels, per panel (stats:::plot.lm in R 4.2.2):
#   1 residuals vs fitted: the 3 largest |residual|
#   2 normal Q-Q, 3 scale-location: the 3 largest |standardized residual|
#   5 residuals vs leverage: the 3 largest Cook's distances
# "rows" are 1-based data rows (file line = row + 1); labels are R's row names.
suppressPackageStartupMessages(library(jsonlite))
data_dir <- "tests/reference/r/data"

# Doubles with 17 significant digits, so that a test parses R's double exactly.
N <- function(x) structure(paste0("[", paste(sprintf("%.17g", unname(x)), collapse = ", "), "]"), class = "json")
S <- function(x) structure(sprintf("%.17g", x), class = "json")

one <- function(id, dataset, formula) {
  d <- read.csv(file.path(data_dir, paste0(dataset, ".csv")), row.names = 1)
  m <- lm(as.formula(formula), data = d)
  r <- residuals(m); rs <- rstandard(m); cook <- cooks.distance(m); h <- hatvalues(m)
  top <- function(v) order(-abs(v))[1:3]
  list(
    id = id, dataset = dataset, data_file = file.path(data_dir, paste0(dataset, ".csv")),
    formula = formula, n = nobs(m), p = m$rank, sigma = S(summary(m)$sigma),
    row_names = names(r), fitted = N(unname(fitted(m))), residuals = N(unname(r)),
    hatvalues = N(unname(h)), rstandard = N(unname(rs)), cooks_distance = N(unname(cook)),
    labelled = list(
      residuals_fitted = list(rows = top(r), row_names = names(r)[top(r)]),
      qq = list(rows = top(rs), row_names = names(r)[top(rs)]),
      scale_location = list(rows = top(rs), row_names = names(r)[top(rs)]),
      leverage = list(rows = order(-cook)[1:3], row_names = names(r)[order(-cook)[1:3]])))
}

out <- list(
  generator = "tests/reference/r/make-plotlm.R",
  r_version = paste(R.version$major, R.version$minor, sep = "."),
  cases = list(
    one("cars_speed", "cars", "dist ~ speed"),
    one("mtcars_wt_hp", "mtcars", "mpg ~ wt + hp")))
writeLines(toJSON(out, auto_unbox = TRUE, json_verbatim = TRUE, pretty = TRUE), "tests/reference/r/plotlm.json")
