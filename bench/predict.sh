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
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ROWS=${ROWS:-1000000} PREDICTORS=${PREDICTORS:-10} SEED=${SEED:-42} REPEAT=${REPEAT:-3} NICE=${NICE:-10}
DATA=bench-data/big-${ROWS}x${PREDICTORS}-${SEED}.csv
PUB=bench-data/publish
BEN=tests/LeastSquares.Benchmarks/bin/Release/net10.0/LeastSquares.Benchmarks
OUT=bench-data/predict-out.csv
MODEL=bench-data/predict-model.json
mkdir -p bench-data

echo "== build (Release)"
nice -n "$NICE" dotnet publish src/LeastSquares.Cli -c Release -o "$PUB" -v quiet -nologo >/dev/null
if [ ! -s "$DATA" ]; then
  echo "== generate $DATA"
  nice -n "$NICE" dotnet build tests/LeastSquares.Benchmarks -c Release -v quiet -nologo >/dev/null
  "$BEN" generate "$DATA.tmp" "$ROWS" "$PREDICTORS" "$SEED" && mv "$DATA.tmp" "$DATA"
fi
cat "$DATA" >/dev/null # into the page cache
LSQ="$PUB/lsq"
"$LSQ" fit "$DATA" --save "$MODEL" -q >/dev/null

echo "== machine"
echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); $(free -g | awk '/Mem:/ {print $2 " GiB RAM"}')"
echo "file: $DATA, $(du -m "$DATA" | cut -f1) MB, $(wc -l < "$DATA") lines; every run under nice -n $NICE"
echo "load before: $(uptime | sed 's/.*load average/load average/')"

declare -A MIN MED MEM CPU
run() {
  local name=$1 label=$2; shift 2
  local times=() cpus=() mem=0 wall rss user sys
  for _ in $(seq "$REPEAT"); do
    /usr/bin/time -o bench-data/time.txt -f '%e %M %U %S' nice -n "$NICE" "$@" >/dev/null 2>/dev/null
    read -r wall rss user sys < <(tail -1 bench-data/time.txt)
    times+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
    [ "$rss" -gt "$mem" ] && mem=$rss
  done
  CPU[$name]=$(printf '%s\n' "${cpus[@]}" | sort -g | head -1)
  MIN[$name]=$(printf '%s\n' "${times[@]}" | sort -g | head -1)
  MED[$name]=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  MEM[$name]=$((mem / 1024))
  printf '%-44s min %6.2f s  median %6.2f s  cpu %6.2f s  peak %5d MB  (%s)\n' "$label" "${MIN[$name]}" "${MED[$name]}" "${CPU[$name]}" "${MEM[$name]}" "${times[*]}"
}

echo "== timings (wall clock, $REPEAT runs each; outputs to $OUT)"
run fit "lsq fit" "$LSQ" fit "$DATA"
run predict "lsq predict -o" "$LSQ" predict --model "$MODEL" "$DATA" -o "$OUT"
run predict1 "lsq predict -o, 1 core (LSQ_THREADS=1)" env LSQ_THREADS=1 "$LSQ" predict --model "$MODEL" "$DATA" -o "$OUT"
run only "lsq predict --only -o" "$LSQ" predict --model "$MODEL" "$DATA" --only -o "$OUT"
run interval "lsq predict --interval prediction -o" "$LSQ" predict --model "$MODEL" "$DATA" --interval prediction -o "$OUT"
run diag "lsq predict --diagnostics -o" "$LSQ" predict --model "$MODEL" "$DATA" --diagnostics -o "$OUT"
ROUT=bench-data/predict-r.csv
if command -v Rscript >/dev/null && Rscript -e 'library(data.table)' >/dev/null 2>&1; then
  RLABEL="R fread + lm.fit + predict + fwrite"
  run r "$RLABEL" Rscript -e "suppressMessages(library(data.table)); d <- fread('$DATA'); X <- cbind(1, as.matrix(d[, 1:$PREDICTORS])); b <- lm.fit(X, d[[$((PREDICTORS + 1))]])\$coefficients; d[, prediction := drop(X %*% b)]; fwrite(d, '$ROUT')"
elif command -v Rscript >/dev/null; then
  RLABEL="R read.csv + lm + predict + write.csv (no data.table)"
  run r "$RLABEL" Rscript -e "d <- read.csv('$DATA'); m <- lm(y ~ ., d); d\$prediction <- predict(m, d); write.csv(d, '$ROUT', row.names = FALSE)"
else
  echo "R: not installed, skipped"
fi
echo "load after: $(uptime | sed 's/.*load average/load average/')"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "== against the targets (min wall; cpu = least user + system of a run)"
echo "predict / fit:                 $(ratio "${MIN[predict]}" "${MIN[fit]}")x wall, $(ratio "${CPU[predict]}" "${CPU[fit]}")x cpu (target <= 2)"
echo "predict 2 cores / 1 core:      $(ratio "${MIN[predict]}" "${MIN[predict1]}")x wall, $(ratio "${CPU[predict]}" "${CPU[predict1]}")x cpu"
echo "--only / predict:              $(ratio "${MIN[only]}" "${MIN[predict]}")x wall, $(ratio "${CPU[only]}" "${CPU[predict]}")x cpu"
echo "--interval / predict:          $(ratio "${MIN[interval]}" "${MIN[predict]}")x wall, $(ratio "${CPU[interval]}" "${CPU[predict]}")x cpu (target: about 1)"
echo "--diagnostics / predict:       $(ratio "${MIN[diag]}" "${MIN[predict]}")x wall, $(ratio "${CPU[diag]}" "${CPU[predict]}")x cpu (target: about 1)"
if [ -n "${MIN[r]:-}" ]; then echo "R / predict:                   $(ratio "${MIN[r]}" "${MIN[predict]}")x wall, $(ratio "${CPU[r]}" "${CPU[predict]}")x cpu (target >= 3)"; fi
