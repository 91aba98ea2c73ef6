#!/usr/bin/env bash
# Wide-design benchmark (issue 18): `lsq fit` with `--method normal` and `--method qr`, the JIT
# build and the native AOT build, against R (data.table::fread + lm.fit, or read.csv + lm.fit
# when data.table is missing) and numpy (pandas.read_csv, or numpy.loadtxt without pandas, +
# numpy.linalg.lstsq), side by side in one run, on two seeded numeric CSVs made by
# bench/widegen.py in the git-ignored bench-data/: 50,000 rows x 200 predictors and 20,000 x 500.
#
#   bench/wide.sh                  # REPEAT=1 runs of each (SIZES="50000x200 20000x500", SEED=1)
#   NICE=0 REPEAT=3 bench/wide.sh  # on an idle machine: no nice, three runs
#
# Wall-clock times: min and median of REPEAT runs; cpu: least user + system seconds of a run;
# peak memory: the maximum resident set size GNU time reports (the figure of `/usr/bin/time -v`).
SIZES=${SIZES:-"50000x200 20000x500"} SEED=${SEED:-1} REPEAT=${REPEAT:-1}
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

for size in $SIZES; do
  rows=${size%x*} p=${size#*x}
  DATA=bench-data/wide-${rows}x${p}-${SEED}.csv
  if [ ! -s "$DATA" ]; then
    echo "== generate $DATA"
    "${RUN[@]}" $PY bench/widegen.py "$DATA.tmp" "$rows" "$p" "$SEED" && mv "$DATA.tmp" "$DATA"
  fi
  cat "$DATA" >/dev/null # into the page cache: every contender reads from memory
  echo "== $rows rows x $p predictors: $DATA, $(du -m "$DATA" | cut -f1) MB ($REPEAT run(s) each)"
  run "lsq fit (JIT)" "$PUB/lsq" fit "$DATA"
  run "lsq fit (native AOT)" "$AOT/lsq" fit "$DATA"
  run "lsq fit --method qr (JIT)" "$PUB/lsq" fit "$DATA" --method qr
  run "lsq fit --method qr (native AOT)" "$AOT/lsq" fit "$DATA" --method qr
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
done
load_after
