#!/usr/bin/env bash
# `lsq predict` against `lsq fit` on the same file and against R, side by side in one run, on a
# seeded CSV of 1,000,000 rows x 10 predictors (~200 MB) in bench-data/ (git-ignored, made on the
# first run, or reused). The model is fitted and saved first; then each contender reads the file
# and writes every row with its prediction (R: data.table::fread + lm.fit + predict + fwrite when
# data.table is installed, else read.csv + lm + predict + write.csv; the script says which).
#
#   bench/predict.sh        # REPEAT=3; ROWS=1000000 PREDICTORS=10 SEED=42; NICE=10
#
# On a machine others share, run it niced (NICE, default 10) and say so next to the figures.
# Wall-clock times: min and median of REPEAT runs; cpu: least user + system seconds of a run; peak
# memory: the maximum resident set size GNU time reports.
ROWS=${ROWS:-1000000} PREDICTORS=${PREDICTORS:-10} SEED=${SEED:-42} REPEAT=${REPEAT:-3} NICE=${NICE:-10}
source "$(dirname "$0")/lib.sh"
COLUMNS_SHOWN="cpu peak runs"
DATA=bench-data/big-${ROWS}x${PREDICTORS}-${SEED}.csv
OUT=bench-data/predict-out.csv
MODEL=bench-data/predict-model.json

publish
bigdata "$DATA" "$ROWS" "$PREDICTORS" "$SEED"
cat "$DATA" >/dev/null # into the page cache
LSQ="$PUB/lsq"
"$LSQ" fit "$DATA" --save "$MODEL" -q >/dev/null

machine "file: $DATA, $(du -m "$DATA" | cut -f1) MB, $(wc -l < "$DATA") lines; every run under nice -n $NICE"

echo "== timings (wall clock, $REPEAT runs each; outputs to $OUT)"
run_as fit "lsq fit" "$LSQ" fit "$DATA"
run_as predict "lsq predict -o" "$LSQ" predict --model "$MODEL" "$DATA" -o "$OUT"
run_as predict1 "lsq predict -o, 1 core (LSQ_THREADS=1)" env LSQ_THREADS=1 "$LSQ" predict --model "$MODEL" "$DATA" -o "$OUT"
run_as only "lsq predict --only -o" "$LSQ" predict --model "$MODEL" "$DATA" --only -o "$OUT"
run_as interval "lsq predict --interval prediction -o" "$LSQ" predict --model "$MODEL" "$DATA" --interval prediction -o "$OUT"
run_as diag "lsq predict --diagnostics -o" "$LSQ" predict --model "$MODEL" "$DATA" --diagnostics -o "$OUT"
ROUT=bench-data/predict-r.csv
if command -v Rscript >/dev/null && Rscript -e 'library(data.table)' >/dev/null 2>&1; then
  RLABEL="R fread + lm.fit + predict + fwrite"
  run_as r "$RLABEL" Rscript -e "suppressMessages(library(data.table)); d <- fread('$DATA'); X <- cbind(1, as.matrix(d[, 1:$PREDICTORS])); b <- lm.fit(X, d[[$((PREDICTORS + 1))]])\$coefficients; d[, prediction := drop(X %*% b)]; fwrite(d, '$ROUT')"
elif command -v Rscript >/dev/null; then
  RLABEL="R read.csv + lm + predict + write.csv (no data.table)"
  run_as r "$RLABEL" Rscript -e "d <- read.csv('$DATA'); m <- lm(y ~ ., d); d\$prediction <- predict(m, d); write.csv(d, '$ROUT', row.names = FALSE)"
else
  echo "R: not installed, skipped"
fi
load_after

echo "== against the targets (min wall; cpu = least user + system of a run)"
echo "predict / fit:                 $(ratio "${MIN[predict]}" "${MIN[fit]}")x wall, $(ratio "${CPU[predict]}" "${CPU[fit]}")x cpu (target <= 2)"
echo "predict 2 cores / 1 core:      $(ratio "${MIN[predict]}" "${MIN[predict1]}")x wall, $(ratio "${CPU[predict]}" "${CPU[predict1]}")x cpu"
echo "--only / predict:              $(ratio "${MIN[only]}" "${MIN[predict]}")x wall, $(ratio "${CPU[only]}" "${CPU[predict]}")x cpu"
echo "--interval / predict:          $(ratio "${MIN[interval]}" "${MIN[predict]}")x wall, $(ratio "${CPU[interval]}" "${CPU[predict]}")x cpu (target: about 1)"
echo "--diagnostics / predict:       $(ratio "${MIN[diag]}" "${MIN[predict]}")x wall, $(ratio "${CPU[diag]}" "${CPU[predict]}")x cpu (target: about 1)"
if [ -n "${MIN[r]:-}" ]; then echo "R / predict:                   $(ratio "${MIN[r]}" "${MIN[predict]}")x wall, $(ratio "${CPU[r]}" "${CPU[predict]}")x cpu (target >= 3)"; fi
