#!/usr/bin/env Rscript
# Reference values for lm() on R's own datasets, computed once with R and committed, so that tests
# and CI need no R. Run from the repository root (needs r-base-core and r-cran-sandwich):
#   Rscript tests/reference/r/write-datasets.R     # the data files (already committed)
#   Rscript tests/reference/r/make-reference.R     # writes tests/reference/r/lm.json and newdata/
#
# Every model is fitted to the committed CSV file as read back by R:
#   d <- read.csv("tests/reference/r/data/NAME.csv", row.names = 1)   # with LC_COLLATE=C
# so a text column (Species, supp, wool, tension, ...) becomes a factor whose levels are sorted in
# ordinal (C locale) order, the first level being the reference (treatment coding). That is what an
# R user who reads the file gets, and differs from the built-in datasets in one place: warpbreaks'
# tension is L, M, H in R's dataset but H, L, M after read.csv, so its reference level is H.
# Columns of digits (ChickWeight's Diet, Orange's Tree) are numbers after read.csv: wrap them in
# factor() to get a factor.
#
# Numbers: every double is printed with sprintf("%.17g"), so parsing it gives back R's double
# exactly; counts are integers; NA, NaN and +-Inf are null. "rows" are 1-based data-row numbers
# (row 1 is the first line after the header, i.e. file line row + 1).
#
# lm.json schema (field names exactly as written):
# {
#   "generator": "tests/reference/r/make-reference.R", "r_version": "...", "sandwich_version": "...",
#   "read_with": "read.csv(FILE, row.names = 1) with LC_COLLATE=C",
#   "cases": [                                      # one object per model, in a stable order
#     { "id": "mtcars_wt_hp",                       # stable, unique
#       "dataset": "mtcars", "data_file": "tests/reference/r/data/mtcars.csv",
#       "formula": "mpg ~ wt + hp",                 # as passed to lm()
#       "weights": null | "COLUMN",                 # lm(weights = COLUMN)
#       "call": "lm(...)",                          # the R call, for humans
#       "n_rows": 32,                               # data rows in the file
#       "n": 32,                                    # rows used (after NA removal)
#       "nobs": 32,                                 # nobs(m): rows with non-zero weight
#       "na_dropped": {"rows": [...], "row_names": [...]},   # rows lm dropped for NA (na.omit)
#       "has_intercept": true,
#       "coefficients": {"names": [...],            # R's names, in R's order
#                        "estimate": [...], "std_error": [...], "t_value": [...], "p_value": [...]},
#       "confint_95": {"lower": [...], "upper": [...]},      # confint(m, level = 0.95)
#       "confint_90": {"lower": [...], "upper": [...]},      # confint(m, level = 0.90)
#       "sigma": s, "df_residual": int, "rank": int, "rss": deviance(m),
#       "r_squared": x, "adj_r_squared": x,
#       "fstatistic": {"value": x, "numdf": x, "dendf": x, "p_value": x} | null,
#       "loglik": x, "loglik_df": int, "aic": x, "bic": x,
#       "vcov": [[...], ...],                       # vcov(m), rows and columns in coefficient order
#       "robust": {"HC0"|"HC1"|"HC2"|"HC3": {       # sandwich::vcovHC(m, type = ...)
#           "vcov": [[...]], "std_error": [...], "t_value": [...], "p_value": [...],
#           "confint_95": {"lower": [...], "upper": [...]},
#           "wald_f": {"value", "numdf", "dendf", "p_value"} | null}},   # slopes = 0 under V (lmtest::waldtest)
#       "robust_note": null | "...",                # set when the weights hold zeros (see the script)
#       "cluster": [ {                              # sandwich::vcovCL(m, cluster = ~ COLUMN), defaults:
#           "column": "cyl", "groups": G,           #   type "HC1", cadjust = TRUE, i.e. the meat is
#           "type": "HC1", "cadjust": true,         #   scaled by G/(G-1) * (n-1)/(n-p)
#           "vcov": [[...]], "std_error": [...], "t_value": [...], "p_value": [...],
#           "confint_95": {"lower": [...], "upper": [...]}, "wald_f": {...}} ],      # [] when none
#       "influence": null | {                       # all rows used by the fit
#           "rows": [...], "row_names": [...], "fitted": [...], "residuals": [...],
#           "weighted_residuals": [...],            # sqrt(w) * residual (= residuals when unweighted)
#           "hatvalues": [...], "rstandard": [...], "cooks_distance": [...]},
#       "predict": null | {                         # predict(m, newdata, interval = ..., level = ...)
#           "newdata_file": "tests/reference/r/newdata/ID.csv",   # written with write.csv
#           "row_names": [...], "fit": [...], "se_fit": [...],
#           "confidence_95": {"lower": [...], "upper": [...]},
#           "confidence_90": {"lower": [...], "upper": [...]},
#           "prediction_95": {"lower": [...], "upper": [...]},
#           "prediction_90": {"lower": [...], "upper": [...]},
#           "note": "..."},                         # only on weighted models: R assumes weight 1
#       "poly": [ {"term": "poly(wt, 3)", "variable": "wt", "degree": 3,
#                  "alpha": [...], "norm2": [...]} ]   # orthogonal poly() bases; [] when none
#     } ],
#   "anova_nested": [ {                             # anova(m1, m2)
#       "id": "...", "dataset": "...", "data_file": "...", "weights": null | "COLUMN",
#       "formulas": ["small", "big"],
#       "rows": [ {"model": "formula", "df_residual": x, "rss": x,
#                  "df": x|null, "sum_sq": x|null, "f": x|null, "p_value": x|null} ] } ],
#   "anova_sequential": [ {                         # anova(m): type I, one row per formula term
#       "id": "...", "dataset": "...", "data_file": "...", "formula": "...", "weights": null | "COLUMN",
#       "rows": [ {"term": "wool", "df": x, "sum_sq": x, "mean_sq": x, "f": x|null, "p_value": x|null},
#                 ..., {"term": "Residuals", ..., "f": null, "p_value": null} ] } ]
# }

suppressPackageStartupMessages(library(sandwich))
invisible(Sys.setlocale("LC_COLLATE", "C"))

data_dir <- "tests/reference/r/data"
newdata_dir <- "tests/reference/r/newdata"
out_file <- "tests/reference/r/lm.json"
dir.create(newdata_dir, showWarnings = FALSE)

# ---------------------------------------------------------------------------------------------
# A small JSON writer that controls number formatting. Length-1 atomic vectors are scalars unless
# wrapped in A(); matrices are arrays of rows; named lists are objects, unnamed lists arrays.
A <- function(x) structure(list(x), class = "jarray")
M <- function(x) structure(list(x), class = "jmatrix")

fmt_atom <- function(v) {
  if (is.null(v)) return("null")
  if (is.logical(v)) return(ifelse(is.na(v), "null", ifelse(v, "true", "false")))
  if (is.factor(v)) v <- as.character(v)
  if (is.character(v)) {
    s <- gsub("\\\\", "\\\\\\\\", v)
    s <- gsub("\"", "\\\\\"", s)
    return(ifelse(is.na(v), "null", paste0("\"", s, "\"")))
  }
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
  if (inherits(x, "jmatrix")) {
    m <- x[[1]]
    rows <- vapply(seq_len(nrow(m)), function(i) to_json(A(unname(m[i, ])), 0), "")
    return(paste0("[\n", paste0(pad1, rows, collapse = ",\n"), "\n", pad, "]"))
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

# ---------------------------------------------------------------------------------------------
read_data <- function(name) read.csv(file.path(data_dir, paste0(name, ".csv")), row.names = 1)

fit_lm <- function(formula, d, weights = NULL) {
  fo <- as.formula(formula)
  if (is.null(weights)) eval(bquote(lm(.(fo), data = d)))
  else eval(bquote(lm(.(fo), data = d, weights = .(as.name(weights)))))
}

r_call <- function(c) {
  w <- if (is.null(c$weights)) "" else paste0(", weights = ", c$weights)
  d <- sprintf("read.csv(\"%s/%s.csv\", row.names = 1)", data_dir, c$data)
  if (!is.null(c$subset)) d <- sprintf("subset(%s, %s)", d, c$subset)
  sprintf("lm(%s, data = %s%s)", c$formula, d, w)
}

interval <- function(lower, upper) list(lower = A(lower), upper = A(upper))

# t, p and a 95% interval from a covariance matrix, as lmtest::coeftest / coefci do for lm
# (t distribution with the residual degrees of freedom).
from_vcov <- function(m, V, data) {
  b <- coef(m)
  se <- sqrt(diag(V))
  t <- b / se
  df <- m$df.residual
  q <- qt(0.975, df)
  list(vcov = M(V), std_error = A(se), t_value = A(t),
       p_value = A(2 * pt(abs(t), df, lower.tail = FALSE)),
       confint_95 = interval(b - q * se, b + q * se),
       wald_f = wald_f(m, V, data))
}

# The Wald test that every slope (every coefficient but the intercept) is 0 under the covariance V:
# F = b' V^-1 b / k on (k, df_residual), what lmtest::waldtest(m, vcov = V, test = "F") gives against
# the intercept-only model (checked below for the models with an intercept).
wald_f <- function(m, V, data) {
  b <- coef(m)
  keep <- names(b) != "(Intercept)"
  k <- sum(keep)
  if (k == 0) return(NULL)
  bs <- b[keep]
  # null when V's slope block is singular (more slopes than clusters, say)
  inv <- tryCatch(solve(V[keep, keep, drop = FALSE]), error = function(e) NULL)
  if (is.null(inv)) return(NULL)
  f <- drop(t(bs) %*% inv %*% bs) / k
  df <- m$df.residual
  if (attr(terms(m), "intercept") == 1) {
    # waldtest refits the smaller model with update(), which looks for the data under the name the
    # call gives it (d) from the global environment.
    assign("d", data, envir = globalenv())
    wt <- lmtest::waldtest(m, . ~ 1, vcov = V, test = "F")
    stopifnot(isTRUE(all.equal(wt$F[2], f, tolerance = 1e-10)))
  }
  list(value = f, numdf = as.integer(k), dendf = as.integer(df), p_value = pf(f, k, df, lower.tail = FALSE))
}

poly_bases <- function(m) {
  pv <- attr(terms(m), "predvars")
  labels <- vapply(as.list(attr(terms(m), "variables"))[-1], function(e) paste(deparse(e), collapse = ""), "")
  out <- list()
  elems <- as.list(pv)[-1]
  for (i in seq_along(elems)) {
    e <- elems[[i]]
    if (is.call(e) && identical(e[[1]], as.name("poly")) && !is.null(e$coefs)) {
      co <- eval(e$coefs)
      out[[length(out) + 1]] <- list(term = labels[i], variable = paste(deparse(e[[2]]), collapse = ""),
                                     degree = as.integer(length(co$alpha)),
                                     alpha = A(co$alpha), norm2 = A(co$norm2))
    }
  }
  out
}

# A case may fit a subset of the file's rows (c$subset, an R condition on its columns): the rows of
# one --by group, or the rows where poly()'s argument is present (R's poly() refuses NA).
case_data <- function(c) {
  d <- read_data(c$data)
  if (is.null(c$subset)) d else d[which(with(d, eval(parse(text = c$subset)))), , drop = FALSE]
}

case_json <- function(c) {
  d <- case_data(c)
  m <- fit_lm(c$formula, d, c$weights)
  s <- summary(m)
  b <- coef(m)
  if (any(is.na(b))) stop(c$id, ": aliased coefficients")
  cf <- coef(s)[names(b), , drop = FALSE]
  na <- m$na.action
  dropped <- if (is.null(na)) integer(0) else as.integer(unname(na))
  used <- setdiff(seq_len(nrow(d)), dropped)
  ci95 <- confint(m, level = 0.95)
  ci90 <- confint(m, level = 0.90)
  ll <- logLik(m)
  fs <- s$fstatistic
  # sandwich sizes n by all rows, zero-weight ones included (its HC0 is then off by (nobs/n)^2):
  # with zero weights, the robust covariances come from the same fit without those rows.
  mr <- m
  dr <- d
  robust_note <- NULL
  rrows <- used
  if (!is.null(c$weights) && any(d[[c$weights]][used] == 0)) {
    dr <- d[is.na(d[[c$weights]]) | d[[c$weights]] != 0, ]
    mr <- fit_lm(c$formula, dr, c$weights)
    stopifnot(isTRUE(all.equal(coef(mr), coef(m), tolerance = 1e-13)))
    rrows <- intersect(used, which(d[[c$weights]] != 0))
    robust_note <- paste("zero weights: robust and cluster covariances are sandwich's on the fit without",
                         "the zero-weight rows (sandwich counts those rows in n, which is wrong)")
  }
  robust <- list()
  for (type in c("HC0", "HC1", "HC2", "HC3")) robust[[type]] <- from_vcov(mr, vcovHC(mr, type = type), dr)
  clusters <- lapply(c$cluster, function(col) {
    V <- vcovCL(mr, cluster = as.formula(paste("~", col)))
    c(list(column = col, groups = length(unique(d[[col]][rrows])), type = "HC1", cadjust = TRUE),
      from_vcov(mr, V, dr))
  })
  influence <- NULL
  if (isTRUE(c$influence)) {
    influence <- list(rows = A(used), row_names = A(rownames(d)[used]),
                      fitted = A(fitted(m)), residuals = A(residuals(m)),
                      weighted_residuals = A(weighted.residuals(m, drop0 = FALSE)),
                      hatvalues = A(hatvalues(m)), rstandard = A(rstandard(m)),
                      cooks_distance = A(cooks.distance(m)))
  }
  pred <- NULL
  if (!is.null(c$newdata)) {
    nd <- c$newdata
    file <- file.path(newdata_dir, paste0(c$id, ".csv"))
    write.csv(nd, file)
    nd <- read.csv(file, row.names = 1)
    p <- function(kind, level) {
      r <- suppressWarnings(predict(m, nd, interval = kind, level = level))
      interval(r[, "lwr"], r[, "upr"])
    }
    pse <- predict(m, nd, se.fit = TRUE)
    pred <- list(newdata_file = file, row_names = A(rownames(nd)), fit = A(pse$fit), se_fit = A(pse$se.fit),
                 confidence_95 = p("confidence", 0.95), confidence_90 = p("confidence", 0.90),
                 prediction_95 = p("prediction", 0.95), prediction_90 = p("prediction", 0.90))
    if (!is.null(c$weights)) {
      pred$note <- paste("weighted fit: R's predict() assumes weight 1 for each new row (pred.var = sigma^2),",
                         "and warns so")
    }
  }
  list(
    id = c$id, dataset = c$data, data_file = file.path(data_dir, paste0(c$data, ".csv")),
    formula = c$formula, weights = c$weights, subset = c$subset, call = r_call(c),
    n_rows = nrow(d), n = length(used), nobs = as.integer(nobs(m)),
    na_dropped = list(rows = A(dropped), row_names = A(rownames(d)[dropped])),
    has_intercept = attr(terms(m), "intercept") == 1,
    coefficients = list(names = A(names(b)), estimate = A(cf[, 1]), std_error = A(cf[, 2]),
                        t_value = A(cf[, 3]), p_value = A(cf[, 4])),
    confint_95 = interval(ci95[, 1], ci95[, 2]),
    confint_90 = interval(ci90[, 1], ci90[, 2]),
    sigma = s$sigma, df_residual = as.integer(m$df.residual), rank = as.integer(m$rank),
    rss = deviance(m), r_squared = s$r.squared, adj_r_squared = s$adj.r.squared,
    fstatistic = if (is.null(fs)) NULL else
      list(value = unname(fs["value"]), numdf = unname(fs["numdf"]), dendf = unname(fs["dendf"]),
           p_value = unname(pf(fs["value"], fs["numdf"], fs["dendf"], lower.tail = FALSE))),
    loglik = as.numeric(ll), loglik_df = as.integer(attr(ll, "df")), aic = AIC(m), bic = BIC(m),
    vcov = M(vcov(m)),
    robust = robust,
    robust_note = robust_note,
    cluster = clusters,
    influence = influence,
    predict = pred,
    poly = poly_bases(m)
  )
}

# ---------------------------------------------------------------------------------------------
# The cases. newdata is written to newdata/ID.csv with write.csv and read back before predict().
K <- function(id, data, formula, ...) c(list(id = id, data = data, formula = formula), list(...))

cases <- list(
  K("mtcars_wt_hp", "mtcars", "mpg ~ wt + hp", cluster = c("cyl", "gear"), influence = TRUE,
    newdata = data.frame(wt = c(2.5, 3, 3.5, 5.5), hp = c(100, 150, 200, 300))),
  K("mtcars_wt_x_hp", "mtcars", "mpg ~ wt * hp",
    newdata = data.frame(wt = c(2.5, 3, 4.25), hp = c(100, 150, 245))),
  K("mtcars_factor_cyl_wt", "mtcars", "mpg ~ factor(cyl) + wt", cluster = "am",
    newdata = data.frame(cyl = c(4, 6, 8), wt = c(2.2, 3.1, 3.9))),
  K("mtcars_poly3", "mtcars", "mpg ~ poly(wt, 3)",
    newdata = data.frame(wt = c(1.5, 2.5, 3.5, 4.5, 6))),
  K("mtcars_poly2_raw", "mtcars", "mpg ~ poly(wt, 2, raw = TRUE)",
    newdata = data.frame(wt = c(1.5, 2.5, 3.5, 4.5, 6))),
  K("mtcars_log", "mtcars", "log(mpg) ~ log(hp) + I(wt^2)",
    newdata = data.frame(hp = c(66, 110, 335), wt = c(1.8, 3.2, 3.57))),
  K("mtcars_dot", "mtcars", "mpg ~ ."),
  # 16 dense coefficients: the sandwich's meat goes through the blocked kernel
  K("swiss_dot_sq", "swiss", "Fertility ~ .^2", cluster = "Examination"),
  K("iris_pl_x_species", "iris", "Sepal.Length ~ Petal.Length * Species", cluster = "Species",
    influence = TRUE,
    newdata = data.frame(Petal.Length = c(1.4, 4.5, 5.5, 3), Species = c("setosa", "versicolor", "virginica", "virginica"))),
  K("iris_dot", "iris", "Sepal.Length ~ ."),
  K("iris_0_species", "iris", "Sepal.Length ~ 0 + Species"),
  K("iris_species_m1_pw", "iris", "Sepal.Length ~ Species - 1 + Petal.Width"),
  K("toothgrowth_supp_x_dose", "ToothGrowth", "len ~ supp * factor(dose)",
    newdata = data.frame(supp = c("OJ", "VC", "VC"), dose = c(0.5, 1, 2))),
  K("warpbreaks_wool_x_tension", "warpbreaks", "breaks ~ wool * tension", cluster = "tension"),
  K("airquality_ozone", "airquality", "Ozone ~ Solar.R + Wind + Temp", cluster = "Month",
    influence = TRUE,
    newdata = data.frame(Solar.R = c(100, 200, 300), Wind = c(5, 10, 15), Temp = c(60, 75, 90))),
  K("plantgrowth_group", "PlantGrowth", "weight ~ group"),
  K("chickweight_time_diet", "ChickWeight", "weight ~ Time + factor(Diet)", cluster = "Chick"),
  K("chickweight_time_diet_numeric", "ChickWeight", "weight ~ Time + Diet"),
  K("orange_age", "Orange", "circumference ~ age", cluster = "Tree",
    newdata = data.frame(age = c(100, 500, 1000, 2000))),
  K("longley_dot", "longley", "Employed ~ ."),
  K("trees_loglog", "trees", "log(Volume) ~ log(Girth) + log(Height)",
    newdata = data.frame(Girth = c(10, 15, 20), Height = c(70, 80, 85))),
  K("cars_quadratic", "cars", "dist ~ speed + I(speed^2)",
    newdata = data.frame(speed = c(5, 12.5, 21, 30))),
  K("cars_poly5", "cars", "dist ~ poly(speed, 5)",
    newdata = data.frame(speed = c(4, 9.5, 17, 25, 27))),
  K("trees_poly_girth_height", "trees", "Volume ~ poly(Girth, 3) + poly(Height, 2)",
    newdata = data.frame(Girth = c(9, 13.3, 18, 21), Height = c(64, 76, 80, 87))),
  K("longley_poly_year5", "longley", "Employed ~ poly(Year, 5)"),
  K("mtcars_poly2_noint", "mtcars", "mpg ~ poly(wt, 2) - 1"),
  K("swiss_dot", "swiss", "Fertility ~ ."),
  K("stackloss_dot", "stackloss", "stack.loss ~ ."),
  K("insectsprays_sqrt", "InsectSprays", "sqrt(count) ~ spray"),
  K("women_weight", "women", "weight ~ height"),
  K("faithful_eruptions", "faithful", "waiting ~ eruptions"),
  # Weighted least squares: lm(weights = COLUMN).
  K("mtcars_wt_hp_w_carb", "mtcars", "mpg ~ wt + hp", weights = "carb", cluster = "cyl",
    newdata = data.frame(wt = c(2.5, 3, 3.5, 5.5), hp = c(100, 150, 200, 300))),
  K("mtcars_wt_hp_w_am", "mtcars", "mpg ~ wt + hp", weights = "am", cluster = "cyl"),   # zero weights: 13 rows out
  K("cars_speed_w_speed", "cars", "dist ~ speed", weights = "speed", influence = TRUE,
    newdata = data.frame(speed = c(5, 12.5, 21, 30))),
  K("iris_pl_species_w_pw", "iris", "Sepal.Length ~ Petal.Length + Species", weights = "Petal.Width",
    cluster = "Species"),
  K("airquality_ozone_w_temp", "airquality", "Ozone ~ Solar.R + Wind + Temp", weights = "Temp"),
  # Factors and orthogonal polynomials with weights. poly() is computed in the model frame from x
  # alone, before lm weighs the rows: the basis (alpha, norm2) is the unweighted one.
  K("mtcars_factor_cyl_x_wt_w_qsec", "mtcars", "mpg ~ factor(cyl) * wt", weights = "qsec", cluster = "carb"),
  K("toothgrowth_supp_x_dose_w_len", "ToothGrowth", "len ~ supp * factor(dose)", weights = "len"),
  K("cars_poly2_w_speed", "cars", "dist ~ poly(speed, 2)", weights = "speed"),
  K("mtcars_poly2_hp_w_carb", "mtcars", "mpg ~ poly(wt, 2) + hp + factor(am)", weights = "carb", cluster = "cyl",
    influence = TRUE),
  # Factor coding rules (model.matrix): a factor is coded by contrasts in a term when the term
  # without it is in the model (the intercept being the empty term), by all its levels otherwise.
  K("toothgrowth_dose_in_supp", "ToothGrowth", "len ~ dose:supp"),                 # dose:suppOJ, dose:suppVC
  K("toothgrowth_dose_dose_in_supp", "ToothGrowth", "len ~ dose + dose:supp"),     # dose:suppVC
  K("mtcars_wt_x_factor_am", "mtcars", "mpg ~ wt * factor(am)",
    newdata = data.frame(wt = c(2.5, 3.5), am = c(0, 1))),
  K("mtcars_wt_in_factor_am_m1", "mtcars", "mpg ~ wt:factor(am) - 1"),
  K("warpbreaks_0_tension_wool", "warpbreaks", "breaks ~ 0 + tension + wool"),    # tension all levels, woolB
  K("chickweight_time_x_diet", "ChickWeight", "weight ~ Time * factor(Diet)"),
  # The intercept alone (lm(y ~ 1)): the mean, its standard error s/sqrt(n), R² 0 and no F statistic.
  K("iris_1", "iris", "Sepal.Length ~ 1", cluster = "Species", influence = TRUE,
    newdata = data.frame(Sepal.Width = c(3, 3.5))),
  K("iris_1_w_pw", "iris", "Sepal.Length ~ 1", weights = "Petal.Width", cluster = "Species",
    newdata = data.frame(Sepal.Width = c(3, 3.5))),
  K("iris_1_versicolor", "iris", "Sepal.Length ~ 1", subset = "Species == \"versicolor\""),
  # poly() with rows dropped for NA elsewhere: R evaluates poly(Temp, 2) on the model frame of all
  # 153 rows, then na.omit drops the 37 with Ozone NA, so the basis is not orthogonal over the rows fitted.
  K("airquality_poly2_temp", "airquality", "Ozone ~ poly(Temp, 2)", cluster = "Month", influence = TRUE,
    newdata = data.frame(Temp = c(60, 75, 90))),
  K("airquality_poly2_temp_wind_w_month", "airquality", "Ozone ~ poly(Temp, 2) + Wind", weights = "Month"),
  K("airquality_poly2_temp_month6", "airquality", "Ozone ~ poly(Temp, 2)", subset = "Month == 6"),
  K("airquality_poly2_temp_w_wind_month6", "airquality", "Ozone ~ poly(Temp, 2)", weights = "Wind", subset = "Month == 6"),
  # poly() of an argument with NA: R's poly() stops ("missing values are not allowed in 'poly'");
  # lsq --missing skip builds the basis from the rows where the argument is present, which is R's fit on them.
  K("airquality_poly2_solar_present", "airquality", "Ozone ~ poly(Solar.R, 2) + Wind", subset = "!is.na(Solar.R)"),
  # A transformed response is the response in every path: weighted fits, the HC and cluster
  # second passes, influence (lsq once read the raw column there).
  K("mtcars_logmpg_wt", "mtcars", "log(mpg) ~ wt", cluster = "cyl", influence = TRUE),
  K("mtcars_logmpg_wt_w_carb", "mtcars", "log(mpg) ~ wt", weights = "carb", cluster = "cyl"),
  K("mtcars_halfmpg_wt_hp_w_carb", "mtcars", "I(mpg/2) ~ wt + hp", weights = "carb", cluster = "cyl")
)

ids <- vapply(cases, function(c) c$id, "")
stopifnot(!anyDuplicated(ids))

nested <- list(
  list(id = "mtcars_wt_vs_wt_hp_qsec", data = "mtcars", formulas = c("mpg ~ wt", "mpg ~ wt + hp + qsec")),
  list(id = "iris_pl_vs_pl_x_species", data = "iris",
       formulas = c("Sepal.Length ~ Petal.Length", "Sepal.Length ~ Petal.Length * Species")),
  list(id = "warpbreaks_additive_vs_interaction", data = "warpbreaks",
       formulas = c("breaks ~ wool + tension", "breaks ~ wool * tension")),
  list(id = "cars_w_speed_linear_vs_quadratic", data = "cars", weights = "speed",
       formulas = c("dist ~ speed", "dist ~ speed + I(speed^2)")),
  list(id = "swiss_two_vs_dot", data = "swiss", formulas = c("Fertility ~ Agriculture + Education", "Fertility ~ .")),
  list(id = "mtcars_w_carb_wt_vs_wt_x_hp", data = "mtcars", weights = "carb",
       formulas = c("mpg ~ wt", "mpg ~ wt * hp")),
  list(id = "iris_null_vs_species", data = "iris", formulas = c("Sepal.Length ~ 1", "Sepal.Length ~ Species")),
  list(id = "cars_w_speed_null_vs_speed", data = "cars", weights = "speed", formulas = c("dist ~ 1", "dist ~ speed"))
)
sequential <- list(
  list(id = "warpbreaks_wool_x_tension", data = "warpbreaks", formula = "breaks ~ wool * tension"),
  list(id = "toothgrowth_supp_x_dose", data = "ToothGrowth", formula = "len ~ supp * factor(dose)"),
  list(id = "mtcars_factor_cyl_wt", data = "mtcars", formula = "mpg ~ factor(cyl) + wt"),
  list(id = "iris_pl_x_species", data = "iris", formula = "Sepal.Length ~ Petal.Length * Species"),
  list(id = "airquality_ozone", data = "airquality", formula = "Ozone ~ Solar.R + Wind + Temp"),
  list(id = "iris_pl_species_w_pw", data = "iris", formula = "Sepal.Length ~ Petal.Length + Species",
       weights = "Petal.Width"),
  list(id = "mtcars_wt_x_hp", data = "mtcars", formula = "mpg ~ wt * hp"),
  list(id = "mtcars_poly2_raw_hp", data = "mtcars", formula = "mpg ~ poly(wt, 2, raw = TRUE) + hp"),
  list(id = "swiss_dot", data = "swiss", formula = "Fertility ~ ."),
  list(id = "cars_w_speed_quadratic", data = "cars", formula = "dist ~ speed + I(speed^2)", weights = "speed"),
  list(id = "mtcars_w_carb_factor_cyl_x_wt", data = "mtcars", formula = "mpg ~ factor(cyl) * wt", weights = "carb"),
  list(id = "mtcars_w_carb_poly2_am", data = "mtcars", formula = "mpg ~ poly(wt, 2) + factor(am)", weights = "carb"),
  list(id = "iris_null", data = "iris", formula = "Sepal.Length ~ 1"),
  list(id = "mtcars_w_carb_logmpg_wt_hp", data = "mtcars", formula = "log(mpg) ~ wt + hp", weights = "carb")
)

num_or_null <- function(x) if (is.na(x)) NULL else unname(x)

nested_json <- function(a) {
  d <- read_data(a$data)
  m1 <- fit_lm(a$formulas[1], d, a$weights)
  m2 <- fit_lm(a$formulas[2], d, a$weights)
  t <- anova(m1, m2)
  rows <- lapply(1:2, function(i) list(model = a$formulas[i], df_residual = t$Res.Df[i], rss = t$RSS[i],
                                       df = num_or_null(t$Df[i]), sum_sq = num_or_null(t$`Sum of Sq`[i]),
                                       f = num_or_null(t$F[i]), p_value = num_or_null(t$`Pr(>F)`[i])))
  list(id = a$id, dataset = a$data, data_file = file.path(data_dir, paste0(a$data, ".csv")),
       weights = a$weights, formulas = A(a$formulas), rows = rows)
}

sequential_json <- function(a) {
  d <- read_data(a$data)
  t <- anova(fit_lm(a$formula, d, a$weights))
  terms <- trimws(rownames(t))
  rows <- lapply(seq_len(nrow(t)), function(i)
    list(term = terms[i], df = t$Df[i], sum_sq = t$`Sum Sq`[i], mean_sq = t$`Mean Sq`[i],
         f = num_or_null(t$`F value`[i]), p_value = num_or_null(t$`Pr(>F)`[i])))
  list(id = a$id, dataset = a$data, data_file = file.path(data_dir, paste0(a$data, ".csv")),
       formula = a$formula, weights = a$weights, rows = rows)
}

doc <- list(
  generator = "tests/reference/r/make-reference.R",
  r_version = R.version.string,
  sandwich_version = as.character(packageVersion("sandwich")),
  read_with = "read.csv(FILE, row.names = 1) with LC_COLLATE=C",
  cases = lapply(cases, case_json),
  anova_nested = lapply(nested, nested_json),
  anova_sequential = lapply(sequential, sequential_json)
)
writeLines(to_json(doc), out_file)
cat("wrote", out_file, "with", length(cases), "cases,", length(nested), "nested and",
    length(sequential), "sequential anova tables\n")
