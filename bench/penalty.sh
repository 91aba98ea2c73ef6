#!/usr/bin/env bash
# Cross-validated lasso on a 1M x 10 CSV: `lsq fit` (plain least squares), `lsq fit --penalty
# lasso --lambda auto` (10 folds, 100 λ, one pass) and scikit-learn's LassoCV(cv=10) read with
# pandas, side by side on the same seeded file (bench-data/, git-ignored, made on the first run).
#
#   bench/penalty.sh        # REPEAT=3 runs of each; ROWS=1000000 PREDICTORS=10 SEED=42
#
# Wall-clock seconds: min and median of REPEAT runs (the machine may be shared: the min is the
# figure least disturbed by others), and the least CPU seconds (user + system) of a run.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ROWS=${ROWS:-1000000} PREDICTORS=${PREDICTORS:-10} SEED=${SEED:-42} REPEAT=${REPEAT:-3}
DATA=bench-data/big-${ROWS}x${PREDICTORS}-${SEED}.csv
PUB=bench-data/publish
BEN=tests/LeastSquares.Benchmarks/bin/Release/net10.0/LeastSquares.Benchmarks
PY=/usr/bin/python3
mkdir -p bench-data

echo "== build (Release)"
dotnet publish src/LeastSquares.Cli -c Release -o "$PUB" -v quiet -nologo >/dev/null
if [ ! -s "$DATA" ]; then
  dotnet build tests/LeastSquares.Benchmarks -c Release -v quiet -nologo >/dev/null
  echo "== generate $DATA"
  "$BEN" generate "$DATA.tmp" "$ROWS" "$PREDICTORS" "$SEED" && mv "$DATA.tmp" "$DATA"
fi
cat "$DATA" >/dev/null # into the page cache

cat > bench-data/lassocv.py <<'PY'
import sys
import pandas as pd
from sklearn.linear_model import LassoCV
df = pd.read_csv(sys.argv[1])
X = df.drop(columns="y").to_numpy()
y = df["y"].to_numpy()
m = LassoCV(cv=10).fit(X, y)
print(m.alpha_, m.intercept_, *m.coef_)
PY

echo "== machine"
echo "nproc: $(nproc); load before: $(uptime | sed 's/.*load average/load average/')"
echo "file: $DATA, $(du -mL "$DATA" | cut -f1) MB"

run() {
  local label=$1; shift
  local times=() cpus=() wall user sys
  for _ in $(seq "$REPEAT"); do
    /usr/bin/time -o bench-data/time.txt -f '%e %U %S' "$@" >/dev/null 2>/dev/null
    read -r wall user sys < <(tail -1 bench-data/time.txt)
    times+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
  done
  printf '%-44s min %6.2f s  median %6.2f s  cpu %6.2f s  (%s)\n' "$label" \
    "$(printf '%s\n' "${times[@]}" | sort -g | head -1)" \
    "$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
    "$(printf '%s\n' "${cpus[@]}" | sort -g | head -1)" "${times[*]}"
}

echo "== timings (wall clock, $REPEAT runs each)"
run "lsq fit (least squares)" "$PUB/lsq" fit "$DATA" --target y
run "lsq fit --penalty lasso --lambda 1" "$PUB/lsq" fit "$DATA" --target y --penalty lasso --lambda 1
run "lsq fit --penalty lasso --lambda auto (10x100)" "$PUB/lsq" fit "$DATA" --target y --penalty lasso --lambda auto
if $PY -c 'import pandas, sklearn' 2>/dev/null; then
  run "pandas + sklearn LassoCV(cv=10)" "$PY" bench-data/lassocv.py "$DATA"
else
  echo "pandas + sklearn LassoCV(cv=10): skipped (apt-get install python3-pandas python3-sklearn)"
fi
echo "load after: $(uptime | sed 's/.*load average/load average/')"
