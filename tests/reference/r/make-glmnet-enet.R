#!/usr/bin/env Rscript
# glmnet's elastic net and ridge at a fixed lambda, and the lsq settings that give the same fit:
# glmnet scales y by its population sd s_y inside the gaussian fit, which leaves the lasso's
# lambda as it is but divides the ridge part by s_y, so glmnet(alpha = a, lambda = L) is lsq's
# --lambda L*a + L*(1 - a)/s_y with --l1-ratio L*a/(that). Run from the repository root:
#   Rscript tests/reference/r/make-glmnet-enet.R
# Writes tests/reference/r/glmnet-enet.json.
suppressPackageStartupMessages(library(glmnet))
d <- read.csv("tests/reference/r/data/mtcars.csv", row.names = 1)
formula <- "mpg ~ wt + hp + qsec + drat"
x <- model.matrix(as.formula(formula), d)[, -1]
y <- d$mpg
sy <- sqrt(mean((y - mean(y))^2))
fmt <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
cases <- list(c(alpha = 0.5, lambda = 0.5), c(alpha = 0.2, lambda = 1), c(alpha = 0.9, lambda = 0.1), c(alpha = 0, lambda = 2))
items <- vapply(cases, function(k) {
  a <- k[["alpha"]]; l <- k[["lambda"]]
  fit <- glmnet(x, y, alpha = a, lambda = l, standardize = TRUE, thresh = 1e-20, maxit = 1e7)
  b <- as.numeric(coef(fit))
  lsq_lambda <- l * a + l * (1 - a) / sy
  paste0("    {\"alpha\": ", fmt(a), ", \"lambda\": ", fmt(l),
         ", \"lsq_lambda\": ", fmt(lsq_lambda), ", \"lsq_l1_ratio\": ", fmt(l * a / lsq_lambda),
         ",\n     \"names\": [", paste0("\"", rownames(coef(fit)), "\"", collapse = ", "), "],\n     \"coefficients\": [", fmt(b), "]}")
}, "")
writeLines(c("{",
             "  \"generator\": \"tests/reference/r/make-glmnet-enet.R\",",
             paste0("  \"r_version\": \"", R.version.string, "\", \"glmnet_version\": \"", packageVersion("glmnet"), "\","),
             "  \"data_file\": \"tests/reference/r/data/mtcars.csv\",",
             paste0("  \"formula\": \"", formula, "\","),
             "  \"call\": \"glmnet(model.matrix(formula, d)[, -1], d$mpg, alpha = alpha, lambda = lambda, thresh = 1e-20)\",",
             paste0("  \"sd_pop_y\": ", fmt(sy), ","),
             "  \"cases\": [",
             paste(items, collapse = ",\n"),
             "  ]",
             "}"), "tests/reference/r/glmnet-enet.json")
cat("wrote tests/reference/r/glmnet-enet.json\n")
