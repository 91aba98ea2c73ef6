# Cross-validated and fixed-lambda penalized fits of models with factors, from glmnet on R's
# model matrix (model.matrix(formula, d)[, -1]: treatment coding, the intercept left to glmnet),
# for lsq's --penalty with --lambda auto --fold-column and with a fixed --lambda.
#
# Run from the repository root: Rscript tests/reference/r/make-cv.R
# Writes tests/reference/r/cv/iris-folds.csv (iris with a fold column: glmnet's foldid) and
# tests/reference/r/cv.json. Deterministic: the folds are given, not drawn.
#
# Lasso only: for the elastic net and ridge, glmnet's gaussian fit standardizes y as well, which
# changes the weight of the ridge part (lsq's elastic net is scikit-learn's objective, tested
# against sklearn/penalized.json); the lasso's solution does not depend on it.
#
# The lambda path is glmnet's own default (lambda_max from the data, ratio 1e-4 over 100 values),
# written out and passed as `lambda =` so that glmnet does not stop the path early; thresh = 1e-16
# runs coordinate descent to convergence.
suppressPackageStartupMessages(library(glmnet))
invisible(Sys.setlocale("LC_COLLATE", "C"))

out_dir <- "tests/reference/r/cv"
out_file <- "tests/reference/r/cv.json"
dir.create(out_dir, showWarnings = FALSE)

d <- read.csv("tests/reference/r/data/iris.csv", row.names = 1)
d$fold <- (seq_len(nrow(d)) * 7) %% 5 + 1
folds_file <- file.path(out_dir, "iris-folds.csv")
write.csv(d, folds_file)
d <- read.csv(folds_file, row.names = 1)

f17 <- function(v) ifelse(is.na(v), "null", sprintf("%.17g", v))
arr <- function(v) paste0("[", paste(f17(v), collapse = ", "), "]")
str_arr <- function(v) paste0("[", paste0("\"", v, "\"", collapse = ", "), "]")

case_json <- function(id, formula, alpha, fixed) {
  x <- model.matrix(as.formula(formula), d)[, -1]
  y <- d[[all.vars(as.formula(formula))[1]]]
  first <- glmnet(x, y, alpha = alpha, standardize = TRUE)
  lmax <- first$lambda[1]
  lambda <- lmax * 1e-4^(seq(0, 1, length.out = 100))
  cv <- cv.glmnet(x, y, foldid = d$fold, alpha = alpha, lambda = lambda, thresh = 1e-16, maxit = 1e6, standardize = TRUE)
  at_min <- as.numeric(coef(cv, s = "lambda.min"))
  fit <- glmnet(x, y, alpha = alpha, lambda = fixed, thresh = 1e-16, maxit = 1e6, standardize = TRUE)
  paste0("    {\n",
         "      \"id\": \"", id, "\", \"formula\": \"", formula, "\", \"alpha\": ", f17(alpha), ",\n",
         "      \"names\": ", str_arr(c("(Intercept)", colnames(x))), ",\n",
         "      \"lambda\": ", arr(cv$lambda), ",\n",
         "      \"cvm\": ", arr(cv$cvm), ",\n",
         "      \"cvsd\": ", arr(cv$cvsd), ",\n",
         "      \"lambda_min\": ", f17(cv$lambda.min), ", \"lambda_1se\": ", f17(cv$lambda.1se), ",\n",
         "      \"coef_min\": ", arr(at_min), ",\n",
         "      \"fixed_lambda\": ", f17(fixed), ", \"coef_fixed\": ", arr(as.numeric(coef(fit))), "\n",
         "    }")
}

cases <- c(
  case_json("iris_lasso", "Sepal.Length ~ Sepal.Width + Petal.Length + Species", 1, 0.01),
  case_json("iris_lasso_petal_width", "Sepal.Length ~ Petal.Width + Species", 1, 0.02),
  case_json("iris_lasso_interaction", "Sepal.Length ~ Petal.Length * Species", 1, 0.005)
)
writeLines(c("{",
             "  \"generator\": \"tests/reference/r/make-cv.R\",",
             paste0("  \"r_version\": \"", R.version.string, "\", \"glmnet_version\": \"", packageVersion("glmnet"), "\","),
             paste0("  \"data_file\": \"", folds_file, "\", \"fold_column\": \"fold\","),
             "  \"call\": \"cv.glmnet(model.matrix(formula, d)[, -1], y, foldid = d$fold, alpha = alpha, lambda = lambda, thresh = 1e-16)\",",
             "  \"cases\": [",
             paste(cases, collapse = ",\n"),
             "  ]",
             "}"), out_file)
cat("wrote", out_file, "\n")
