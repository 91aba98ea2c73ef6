#!/usr/bin/env Rscript
# lm() of rank-deficient designs, whose aliased coefficients R reports as NA (what lsq gives with
# --aliased na): the summary, anova(m), and predict() on new rows. Run from the repository root:
#   Rscript tests/reference/r/make-aliased.R
# Writes tests/reference/r/aliased.json. Data as make-reference.R reads it: read.csv(FILE, row.names = 1).
Sys.setlocale("LC_COLLATE", "C")
data_dir <- "tests/reference/r/data"
out_file <- "tests/reference/r/aliased.json"

A <- function(x) structure(list(x), class = "jarray")
fmt_atom <- function(v) {
  if (is.null(v)) return("null")
  if (is.logical(v)) return(ifelse(is.na(v), "null", ifelse(v, "true", "false")))
  if (is.character(v)) return(ifelse(is.na(v), "null", paste0("\"", gsub("\"", "\\\\\"", v), "\"")))
  if (is.integer(v)) return(ifelse(is.na(v), "null", sprintf("%d", v)))
  ifelse(is.finite(v), sprintf("%.17g", v), "null")
}
to_json <- function(x, indent = 0) {
  pad <- strrep("  ", indent)
  pad1 <- strrep("  ", indent + 1)
  if (inherits(x, "jarray")) {
    v <- x[[1]]
    if (length(v) == 0) return("[]")
    return(paste0("[", paste(fmt_atom(unname(v)), collapse = ", "), "]"))
  }
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    if (is.null(names(x))) {
      items <- vapply(x, to_json, "", indent = indent + 1)
      return(paste0("[\n", paste0(pad1, items, collapse = ",\n"), "\n", pad, "]"))
    }
    items <- vapply(names(x), function(k) paste0(fmt_atom(k), ": ", to_json(x[[k]], indent + 1)), "")
    return(paste0("{\n", paste0(pad1, items, collapse = ",\n"), "\n", pad, "}"))
  }
  if (is.null(x)) return("null")
  if (length(x) != 1) stop("vector of length ", length(x), " not wrapped in A()")
  fmt_atom(x)
}

read_data <- function(name) read.csv(file.path(data_dir, paste0(name, ".csv")), row.names = 1)
num_or_null <- function(x) if (is.na(x)) NULL else unname(x)

case_json <- function(c) {
  d <- read_data(c$data)
  m <- lm(as.formula(c$formula), d)
  s <- summary(m)
  b <- coef(m)
  stopifnot(any(is.na(b)))
  # coef(summary(m)) leaves the aliased rows out: NA (null) there, as print(summary(m)) shows them.
  cf <- matrix(NA_real_, length(b), 4, dimnames = list(names(b), NULL))
  est <- coef(s)
  cf[rownames(est), ] <- est
  ll <- logLik(m)
  fs <- s$fstatistic
  t <- anova(m)
  pred <- NULL
  if (!is.null(c$newdata)) {
    nd <- c$newdata
    p <- suppressWarnings(predict(m, nd))
    ci <- suppressWarnings(predict(m, nd, interval = "confidence"))
    pi <- suppressWarnings(predict(m, nd, interval = "prediction"))
    pred <- list(newdata = lapply(names(nd), function(k) list(column = k, values = A(nd[[k]]))),
                 fit = A(unname(p)),
                 confidence_95 = list(lower = A(unname(ci[, "lwr"])), upper = A(unname(ci[, "upr"]))),
                 prediction_95 = list(lower = A(unname(pi[, "lwr"])), upper = A(unname(pi[, "upr"]))))
  }
  list(
    id = c$id, dataset = c$data, data_file = file.path(data_dir, paste0(c$data, ".csv")),
    formula = c$formula, call = paste0("lm(", c$formula, ", read.csv(\"", c$data, ".csv\", row.names = 1))"),
    n = as.integer(nobs(m)),
    aliased = A(names(b)[is.na(b)]),
    coefficients = list(names = A(names(b)), estimate = A(unname(b)), std_error = A(unname(cf[, 2])),
                        t_value = A(unname(cf[, 3])), p_value = A(unname(cf[, 4]))),
    sigma = s$sigma, df_residual = as.integer(m$df.residual), rank = as.integer(m$rank),
    rss = deviance(m), r_squared = s$r.squared, adj_r_squared = s$adj.r.squared,
    fstatistic = if (is.null(fs)) NULL else
      list(value = unname(fs["value"]), numdf = unname(fs["numdf"]), dendf = unname(fs["dendf"]),
           p_value = unname(pf(fs["value"], fs["numdf"], fs["dendf"], lower.tail = FALSE))),
    loglik = as.numeric(ll), loglik_df = as.integer(attr(ll, "df")), aic = AIC(m), bic = BIC(m),
    anova = lapply(seq_len(nrow(t)), function(i)
      list(term = trimws(rownames(t)[i]), df = as.integer(t$Df[i]), sum_sq = t$`Sum Sq`[i], mean_sq = t$`Mean Sq`[i],
           f = num_or_null(t$`F value`[i]), p_value = num_or_null(t$`Pr(>F)`[i]))),
    predict = pred
  )
}

K <- function(id, data, formula, ...) c(list(id = id, data = data, formula = formula), list(...))
cases <- list(
  # The textbook example: blocks confounded with the three-way interaction.
  K("npk_block_npk", "npk", "yield ~ factor(block) + N*P*K",
    newdata = data.frame(block = c(1, 4), N = c(1, 0), P = c(1, 1), K = c(1, 0))),
  # An empty cell of two crossed factors: no 8-cylinder car has 4 gears.
  K("mtcars_cyl_x_gear", "mtcars", "mpg ~ factor(cyl) * factor(gear)",
    newdata = data.frame(cyl = c(4, 6, 8), gear = c(4, 5, 4))),
  # An interaction without its main effects: one column too many.
  K("warpbreaks_wool_tension", "warpbreaks", "breaks ~ wool:tension"),
  # A column that is another times 2, and the same without an intercept.
  K("mtcars_wt_2wt_hp", "mtcars", "mpg ~ wt + I(2 * wt) + hp",
    newdata = data.frame(wt = c(2.5, 3.5), hp = c(100, 200))),
  K("mtcars_0_wt_2wt_hp", "mtcars", "mpg ~ 0 + wt + I(2 * wt) + hp")
)

doc <- list(
  generator = "tests/reference/r/make-aliased.R",
  r_version = R.version.string,
  read_with = "read.csv(FILE, row.names = 1) with LC_COLLATE=C",
  cases = lapply(cases, case_json)
)
writeLines(to_json(doc), out_file)
cat("wrote", out_file, "with", length(cases), "cases\n")
