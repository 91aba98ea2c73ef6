#!/usr/bin/env bash
# Wide-design benchmark (issue 18): `lsq fit` with `--method normal` and `--method qr`, the JIT
# build and the native AOT build, against R (data.table::fread + lm.fit, or read.csv + lm.fit
# when data.table is missing) and numpy (pandas.read_csv, or numpy.loadtxt without pandas, +
# numpy.linalg.lstsq), side by side in one run, on two seeded numeric CSVs made by
# bench/widegen.py in the git-ignored bench-data/: 50,000 rows x 200 predictors and 20,000 x 500.
#
#   bench/wide.sh                  # REPEAT=1 runs of each (SIZES="50000x200 20000x500", SEED=1)
#   NICE=0 REPEAT=3 bench/wide.sh  # on an idle machine: no nice, three runs
#   SIZES="10000x1000 5000x2000" SUMMARY=1 QR=0 bench/wide.sh
#                                  # wider (optional): also `lsq fit --summary` (the covariance's
#                                  # p×p inverse, which the plain fit skips), without qr
#   SIZES= bench/wide.sh           # the sandwich runs alone (below)
#
# Then the dense sandwich (SANDWICH=1, the default; SANDWICH_SIZE=20000x300, the review's p ≈ 300):
# `lsq fit --summary --vcov HC1`, `--cluster cl` (50 clusters, a column appended to a copy of the
# file) and `--vcov HC3` (JIT), against R's read + lm + sandwich::vcovHC(HC1) and vcovCL; each line
# ends with the first slope's standard error. HC2/HC3 still pay an O(p²) double-double leverage a row.
#
# Wall-clock times: min and median of REPEAT runs; cpu: least user + system seconds of a run;
# peak memory: the maximum resident set size GNU time reports (the figure of `/usr/bin/time -v`).
SIZES=${SIZES-"50000x200 20000x500"} SEED=${SEED:-1} REPEAT=${REPEAT:-1} SUMMARY=${SUMMARY:-0} QR=${QR:-1}
SANDWICH=${SANDWICH:-1} SANDWICH_SIZE=${SANDWICH_SIZE:-20000x300}
NICE=${NICE:-10} # a shared machine: everything at low priority unless NICE=0
source "$(dirname "$0")/lib.sh"
LABEL_WIDTH=40 FIGURE_WIDTH=7

publish aot
machine

R_HOW=none
if command -v Rscript >/dev/null; then
  if Rscript -e 'library(data.table)' >/dev/null 2>&1; then R_HOW=fread; else R_HOW=read.csv; fi
fi
PY_HOW=none
if $PY -c 'import numpy' 2>/dev/null; then
  if $PY -c 'import pandas' 2>/dev/null; then PY_HOW=pandas; else PY_HOW=loadtxt; fi
fi
echo "R reads with: $R_HOW; numpy reads with: $PY_HOW"

# qr_ratio KEY_A KEY_B LABEL: A's min wall and least cpu over B's (issue 18 asks qr within 2x normal).
qr_ratio() {
  [ -n "${MIN[$1]:-}" ] && [ -n "${MIN[$2]:-}" ] || return 0
  printf '%-60s %sx wall  %sx cpu
' "$3" "$(ratio "${MIN[$1]}" "${MIN[$2]}")" "$(ratio "${CPU[$1]}" "${CPU[$2]}")"
}

for size in $SIZES; do
  rows=${size%x*} p=${size#*x}
  DATA=bench-data/wide-${rows}x${p}-${SEED}.csv
  if [ ! -s "$DATA" ]; then
    echo "== generate $DATA"
    "${RUN[@]}" $PY bench/widegen.py "$DATA.tmp" "$rows" "$p" "$SEED" && mv "$DATA.tmp" "$DATA"
  fi
  cat "$DATA" >/dev/null # into the page cache: every contender reads from memory
  echo "== $rows rows x $p predictors: $DATA, $(du -m "$DATA" | cut -f1) MB ($REPEAT run(s) each)"
  run_as jit "lsq fit (JIT)" "$PUB/lsq" fit "$DATA"
  run_as aot "lsq fit (native AOT)" "$AOT/lsq" fit "$DATA"
  if [ "$SUMMARY" = 1 ]; then
    run "lsq fit --summary (JIT)" "$PUB/lsq" fit "$DATA" --summary
    run "lsq fit --summary (native AOT)" "$AOT/lsq" fit "$DATA" --summary
  fi
  if [ "$QR" = 1 ]; then
    run_as qrjit "lsq fit --method qr (JIT)" "$PUB/lsq" fit "$DATA" --method qr
    run_as qraot "lsq fit --method qr (native AOT)" "$AOT/lsq" fit "$DATA" --method qr
  fi
  case $R_HOW in
    fread) run "R fread + lm.fit" Rscript -e "suppressMessages(library(data.table)); d <- fread('$DATA'); X <- cbind(1, as.matrix(d[, 1:$p])); print(lm.fit(X, d[[$((p + 1))]])\$coefficients[1:3])" ;;
    read.csv) run "R read.csv + lm.fit" Rscript -e "d <- read.csv('$DATA'); X <- cbind(1, as.matrix(d[, 1:$p])); print(lm.fit(X, d[[$((p + 1))]])\$coefficients[1:3])" ;;
    *) echo "R: not installed, skipped" ;;
  esac
  case $PY_HOW in
    pandas) run "pandas read_csv + numpy lstsq" $PY -c "
import pandas, numpy
d = pandas.read_csv('$DATA').to_numpy()
X = numpy.column_stack([numpy.ones(len(d)), d[:, :-1]])
print(numpy.linalg.lstsq(X, d[:, -1], rcond=None)[0][:3])" ;;
    loadtxt) run "numpy loadtxt + lstsq" $PY -c "
import numpy
d = numpy.loadtxt('$DATA', delimiter=',', skiprows=1)
X = numpy.column_stack([numpy.ones(len(d)), d[:, :-1]])
print(numpy.linalg.lstsq(X, d[:, -1], rcond=None)[0][:3])" ;;
    *) echo "numpy: not installed, skipped" ;;
  esac
  # Agreement of the two methods on this file (significant digits, worst coefficient).
  [ "$QR" = 1 ] || continue
  "$PUB/lsq" fit "$DATA" -f csv >bench-data/normal.csv
  "$PUB/lsq" fit "$DATA" -f csv --method qr >bench-data/qr.csv
  $PY - <<'PYEOF'
import math
def read(name):
    return [float(l.split(',')[1]) for l in open(f'bench-data/{name}.csv').read().split('\n')[1:] if l]
n, q = read('normal'), read('qr')
d = [16 if a == b else min(16, -math.log10(abs(a - b) / abs(b))) for a, b in zip(n, q)]
print(f"normal vs qr: {len(d)} coefficients, worst {min(d):.1f} digits")
PYEOF
  qr_ratio qrjit jit "qr / normal (JIT)"
  qr_ratio qraot aot "qr / normal (native AOT)"
done

if [ "$SANDWICH" = 1 ]; then
  rows=${SANDWICH_SIZE%x*} p=${SANDWICH_SIZE#*x}
  DATA=bench-data/wide-${rows}x${p}-${SEED}.csv
  if [ ! -s "$DATA" ]; then
    echo "== generate $DATA"
    "${RUN[@]}" $PY bench/widegen.py "$DATA.tmp" "$rows" "$p" "$SEED" && mv "$DATA.tmp" "$DATA"
  fi
  CDATA=bench-data/wide-${rows}x${p}-${SEED}-cl.csv
  # cl = (data row - 1) mod 50 + 1, after the response
  [ -s "$CDATA" ] || awk -F, -v OFS=, 'NR == 1 {print $0, "cl"; next} {print $0, (NR - 2) % 50 + 1}' "$DATA" >"$CDATA"
  cat "$DATA" "$CDATA" >/dev/null
  echo "== dense sandwich: $rows rows x $p predictors ($REPEAT run(s) each)"
  se1() { awk '$1 == "x1" {print $3}'; }
  export -f se1
  run "lsq fit --summary (JIT)" bash -c "$PUB/lsq fit $DATA --summary | se1"
  run "lsq fit --summary --vcov HC1 (JIT)" bash -c "$PUB/lsq fit $DATA --summary --vcov HC1 | se1"
  run "lsq fit --summary --cluster cl (JIT)" bash -c "$PUB/lsq fit $CDATA 'y ~ . - cl' --summary --cluster cl | se1"
  run "lsq fit --summary --vcov HC3 (JIT)" bash -c "$PUB/lsq fit $DATA --summary --vcov HC3 | se1"
  if Rscript -e 'library(sandwich)' >/dev/null 2>&1; then
    READ="read.csv('$CDATA')"
    [ "$R_HOW" = fread ] && READ="as.data.frame(data.table::fread('$CDATA'))"
    run "R read + lm + vcovHC(HC1)" Rscript -e "suppressMessages(library(sandwich)); d <- $READ; m <- lm(y ~ . - cl, d); cat(sqrt(diag(vcovHC(m, type = 'HC1')))[2], '\n')"
    run "R read + lm + vcovCL(cl)" Rscript -e "suppressMessages(library(sandwich)); d <- $READ; m <- lm(y ~ . - cl, d); cat(sqrt(diag(vcovCL(m, cluster = ~cl)))[2], '\n')"
    run "R read + lm + vcovHC(HC3)" Rscript -e "suppressMessages(library(sandwich)); d <- $READ; m <- lm(y ~ . - cl, d); cat(sqrt(diag(vcovHC(m, type = 'HC3')))[2], '\n')"
  else
    echo "R sandwich: not installed, skipped"
  fi
fi
load_after
