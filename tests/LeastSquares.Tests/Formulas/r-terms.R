# Writes r-terms.txt: how R expands a list of model formulas, for FormulaRTests.
# Run from this folder:  Rscript r-terms.R > r-terms.txt
# For each case, one tab-separated line per field:
#   case      <data set> <formula>
#   columns   names(data)                     (what '.' expands over)
#   labels    attr(terms(f, data = d), "term.labels")
#   intercept attr(terms(f, data = d), "intercept")
#   factors   per term, the nonzero codes of attr(terms(f), "factors") in variable order (1 contrasts, 2 all levels)
#   response  the response's label (deparse of the left side)
#   levels    <variable label> <levels...>    one line per categorical variable of model.frame
#   coef      colnames(model.matrix(f, d))
#   row       <column> <value>...             row 1 of the data, for formulas without factors or
#   mm        model.matrix(f, d)[1, ]         orthogonal polynomials (17 significant digits)
#   end
# The first line names the R version that wrote the file.
options(warn = -1)
iris_sp <- iris
names(iris_sp) <- c("Sepal Length", "Sepal Width", "Petal Length", "Petal Width", "Species")

cases <- list(
  c("mtcars", "mpg ~ wt"),
  c("mtcars", "mpg ~ wt + hp"),
  c("mtcars", "mpg ~ wt * hp"),
  c("mtcars", "mpg ~ hp:wt + wt"),
  c("mtcars", "mpg ~ wt:hp + hp + wt"),
  c("mtcars", "mpg ~ (wt + hp + disp)^2"),
  c("mtcars", "mpg ~ (wt + hp + disp)^3"),
  c("mtcars", "mpg ~ wt * hp * disp - wt:hp:disp"),
  c("mtcars", "mpg ~ wt*hp - wt"),
  c("mtcars", "mpg ~ wt + hp - 1"),
  c("mtcars", "mpg ~ -1 + wt"),
  c("mtcars", "mpg ~ 0 + wt"),
  c("mtcars", "mpg ~ wt + 0"),
  c("mtcars", "mpg ~ wt - 1 + 1"),
  c("mtcars", "mpg ~ wt + 1"),
  c("mtcars", "mpg ~ wt - 0"),
  c("mtcars", "mpg ~ wt + -1"),
  c("mtcars", "mpg ~ wt - -1"),
  c("mtcars", "mpg ~ 1"),
  c("mtcars", "mpg ~ 0"),
  c("mtcars", "mpg ~ wt + wt"),
  c("mtcars", "mpg ~ (wt)"),
  c("mtcars", "mpg ~ wt + (hp + disp)"),
  c("mtcars", "mpg ~ wt:hp:disp + hp:wt + wt"),
  c("mtcars", "mpg ~ hp*wt + wt:hp"),
  c("mtcars", "mpg ~ (wt + hp)^2 - hp"),
  c("mtcars", "mpg ~ wt:(hp + disp)"),
  c("mtcars", "mpg ~ (wt + hp):(disp + qsec)"),
  c("mtcars", "mpg ~ wt %in% hp"),
  c("mtcars", "mpg ~ wt/hp"),
  c("mtcars", "mpg ~ (wt + hp)/disp"),
  c("mtcars", "mpg ~ ."),
  c("mtcars", "mpg ~ . - disp - qsec"),
  c("mtcars", "mpg ~ wt:hp + ."),
  c("mtcars", "log(mpg) ~ ."),
  c("mtcars", "mpg ~ I(- -wt) + I(+wt) + I(-(wt)) + I(wt - -1) + I(wt^(1/3)) + I(1e-20*wt) + I(wt*-0.5) + I(1.*wt) + I(.5e1*wt) + I(wt*1e5L) + I(wt/-2) + I(wt^2L)"),
  c("mtcars", "mpg ~ I(wt*(hp+1)) + I((wt)) + log(hp)^2 + sqrt(abs(exp(log1p(log2(log10(disp))))))"),
  c("mtcars", "mpg ~ .^2"),
  c("mtcars", "mpg ~ mpg + wt"),
  c("mtcars", "I(mpg/10) ~ wt"),
  c("mtcars", "mpg ~ log(hp) + I(wt^2) + sqrt(disp) + exp(drat/10) + abs(qsec - 18) + log2(hp) + log10(disp) + log1p(carb)"),
  c("mtcars", "mpg ~ I(wt+1) + log( hp ) + I( wt^2 )"),
  c("mtcars", "mpg ~ I(-hp) + I(hp/100) + I(hp*100000) + I(hp^-1) + I((wt+1)^2) + I(2^-wt) + I(-wt^2)"),
  c("mtcars", "mpg ~ I(wt*1e4) + I(wt*0.0001) + I(wt*0.001) + I(wt/3) + I(1.5e-7*hp) + I(hp - 123456.7)"),
  c("mtcars", "mpg ~ log(hp, 2) + log(disp, base = 10) + log(wt, 3)"),
  c("mtcars", "mpg ~ log(hp) + log( hp ) + log((hp))"),
  c("mtcars", "mpg ~ I(wt^2.0) + I(wt^2) + wt"),
  c("mtcars", "mpg ~ poly(wt,3)"),
  c("mtcars", "mpg ~ poly(wt, 3, raw = TRUE)"),
  c("mtcars", "mpg ~ poly(wt, 2, raw=T) + hp"),
  c("mtcars", "mpg ~ poly(hp, degree = 2)"),
  c("mtcars", "mpg ~ poly(log(hp), 2) + wt"),
  c("mtcars", "mpg ~ poly(wt, 2):hp"),
  c("mtcars", "mpg ~ wt*hp + poly(disp, 2):wt"),
  c("mtcars", "mpg ~ factor(cyl)"),
  c("mtcars", "mpg ~ factor(cyl) + wt"),
  c("mtcars", "mpg ~ factor(cyl) * wt"),
  c("mtcars", "mpg ~ wt:factor(cyl)"),
  c("mtcars", "mpg ~ wt + wt:factor(cyl)"),
  c("mtcars", "mpg ~ 0 + factor(cyl) + factor(gear)"),
  c("mtcars", "mpg ~ 0 + wt + factor(cyl) + factor(gear)"),
  c("mtcars", "mpg ~ factor(cyl):factor(gear)"),
  c("mtcars", "mpg ~ factor(cyl) * factor(am)"),
  c("mtcars", "mpg ~ factor(cyl) + factor(cyl):factor(am)"),
  c("mtcars", "mpg ~ wt %in% factor(cyl)"),
  c("mtcars", "mpg ~ factor(cyl)/wt"),
  c("mtcars", "mpg ~ poly(wt, 2) * factor(am)"),
  c("mtcars", "mpg ~ factor(cyl):wt:hp + wt"),
  c("iris", "Sepal.Length ~ Species"),
  c("iris", "Sepal.Length ~ ."),
  c("iris", "Sepal.Length ~ Petal.Length * Species"),
  c("iris", "Sepal.Length ~ Petal.Length:Species"),
  c("iris", "Sepal.Length ~ 0 + Species"),
  c("iris", "Sepal.Length ~ 0 + Petal.Length + Species"),
  c("iris", "Sepal.Length ~ Species - 1 + Petal.Width:Species"),
  c("iris", "Sepal.Length ~ . - Species"),
  c("iris", "Sepal.Length ~ .^2"),
  c("iris", "Sepal.Length ~ (Petal.Length + Petal.Width + Species)^3"),
  c("iris_sp", "`Sepal Length` ~ `Sepal Width` + `Petal Length`"),
  c("iris_sp", "`Sepal Length` ~ ."),
  c("iris_sp", "log(`Sepal Length`) ~ `Petal Width` * Species"),
  c("iris_sp", "`Sepal Length` ~ I(`Sepal Width`^2) + poly(`Petal Width`, 2)"),
  c("ToothGrowth", "len ~ supp + dose"),
  c("ToothGrowth", "len ~ supp * factor(dose)"),
  c("ToothGrowth", "len ~ factor(dose)"),
  c("ToothGrowth", "len ~ 0 + supp:factor(dose)"),
  c("warpbreaks", "breaks ~ wool * tension"),
  c("warpbreaks", "breaks ~ wool + tension - 1"),
  c("warpbreaks", "breaks ~ (wool + tension)^2"),
  c("warpbreaks", "log(breaks) ~ tension/wool"),
  c("airquality", "Ozone ~ Solar.R + Wind + Temp"),
  c("airquality", "Ozone ~ . - Day"),
  c("airquality", "log(Ozone) ~ ."),
  c("airquality", "sqrt(Ozone) ~ poly(Temp, 2, raw = TRUE) + Wind:Temp"),
  c("PlantGrowth", "weight ~ group"),
  c("PlantGrowth", "weight ~ 0 + group"),
  c("ChickWeight", "weight ~ Time * Diet"),
  c("ChickWeight", "weight ~ Time + Diet + Time:Diet - 1")
)

w <- function(...) cat(paste(c(...), collapse = "\t"), "\n", sep = "")
num <- function(x) sprintf("%.17g", x)

w("#", R.version.string)
for (case in cases) {
  d <- get(case[1])
  f <- as.formula(case[2])
  t <- terms(f, data = d)
  mf <- model.frame(f, d)
  mm <- model.matrix(f, d)
  w("case", case[1], case[2])
  w("columns", names(d))
  w("labels", attr(t, "term.labels"))
  w("intercept", attr(t, "intercept"))
  fm <- attr(t, "factors")
  if (length(fm)) w("factors", apply(fm, 2, function(col) paste(col[col != 0], collapse = ",")))
  w("response", deparse(f[[2]], backtick = TRUE))
  categorical <- FALSE
  orthogonal <- FALSE
  for (v in names(mf)[-1]) {
    x <- mf[[v]]
    if (is.factor(x) || is.character(x)) {
      categorical <- TRUE
      w("levels", v, levels(factor(x)))
    }
    if (inherits(x, "poly") && !is.null(attr(x, "coefs"))) orthogonal <- TRUE
  }
  w("coef", colnames(mm))
  if (!categorical && !orthogonal) {
    r <- d[1, , drop = FALSE]
    w("row", unlist(lapply(names(d), function(n) c(n, num(as.numeric(r[[n]]))))))
    w("mm", num(mm[1, ]))
  }
  w("end")
}
