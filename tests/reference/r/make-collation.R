# R's order of text factor levels in a UTF-8 locale (R sorts with ICU there): the order lsq's
# levels must follow. Writes collation.txt, one level per line, in R's sort() order; the levels
# cover case, punctuation, digits, spaces, accents, German and Greek letters.
#   LC_ALL=C.UTF-8 Rscript tests/reference/r/make-collation.R   (from the repository root)
stopifnot(capabilities("ICU"), Sys.getlocale("LC_COLLATE") != "C")
levels <- c("apple", "Banana", "cherry", "Date", "a b", "a,b", "a-b", "a_b", "ab", "Ab", "AB", "aB",
            "10", "9", "2x", "x2", "New York", "O'Brien", "S\u00e3o Paulo", "Sao Paulo", "zebra",
            "Z\u00fcrich", "Zurich", "\u00e9clair", "eclair", "Eclair", "he said \"hi\"", "  lead", "_x",
            "-x", "x.1", "x-1", "x1", "co-op", "coop", "Co-op", "a.b", "a'b", "\u00e4", "z", "\u00df", "ss",
            "\u03a9", "\u00c4", "r\u00e9sum\u00e9", "resume", "Resume", "control", "Control", "treated", "Treated")
con <- file("tests/reference/r/collation.txt", encoding = "UTF-8")
writeLines(sort(factor(levels))  |> levels(), con)
close(con)
