#!/usr/bin/env Rscript
# Writes R's own datasets as an R user would: write.csv(df, file), so the row names are the first
# column (empty header) and NA is written as NA. Run from the repository root:
#   Rscript tests/reference/r/write-datasets.R
# The files land in tests/reference/r/data/; five small ones are copied to samples/r/ as well.
# Factor columns are written as their labels (ChickWeight's and Orange's ordered factors are made
# plain factors first: the labels written are the same).

out <- "tests/reference/r/data"
dir.create(out, recursive = TRUE, showWarnings = FALSE)

plain <- function(df) {
  df <- as.data.frame(df)
  for (nm in names(df)) {
    if (is.factor(df[[nm]])) df[[nm]] <- factor(as.character(df[[nm]]), levels = levels(df[[nm]]))
  }
  attributes(df) <- attributes(df)[c("names", "row.names", "class")]
  class(df) <- "data.frame"
  df
}

sets <- list(
  mtcars = mtcars, iris = iris, ToothGrowth = ToothGrowth, warpbreaks = warpbreaks,
  airquality = airquality, PlantGrowth = PlantGrowth, ChickWeight = plain(ChickWeight),
  Orange = plain(Orange), longley = longley, trees = trees, cars = cars, swiss = swiss,
  women = women, stackloss = stackloss, InsectSprays = InsectSprays, faithful = faithful, npk = npk
)
for (name in names(sets)) {
  write.csv(sets[[name]], file.path(out, paste0(name, ".csv")))
}

dir.create("samples/r", recursive = TRUE, showWarnings = FALSE)
for (name in c("mtcars", "iris", "airquality", "ToothGrowth", "PlantGrowth")) {
  file.copy(file.path(out, paste0(name, ".csv")), file.path("samples/r", paste0(name, ".csv")),
            overwrite = TRUE)
}

# The same data by R's other writers, for the readers' tests: write.table (its header has no name
# over the row names, so it is one field shorter than the rows; sep = "," and its default, a space)
# and write.csv2 (';' between fields, ',' as the decimal mark).
write.table(mtcars, file.path(out, "mtcars.write-table.csv"), sep = ",")
write.table(trees, file.path(out, "trees.write-table.txt"))
write.csv2(mtcars, file.path(out, "mtcars.write-csv2.csv"))
