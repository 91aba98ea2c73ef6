#!/usr/bin/env bash
# Cross-validated lasso on a 1M x 10 CSV: `lsq fit` (plain least squares), `lsq fit --penalty
# lasso --lambda auto` (10 folds, 100 λ, one pass) and scikit-learn's LassoCV(cv=10) read with
# pandas, side by side on the same seeded file (bench-data/, git-ignored, made on the first run).
#
#   bench/penalty.sh        # REPEAT=3 runs of each; ROWS=1000000 PREDICTORS=10 SEED=42
#
# Wall-clock seconds: min and median of REPEAT runs (the machine may be shared: the min is the
# figure least disturbed by others), and the least CPU seconds (user + system) of a run.
ROWS=${ROWS:-1000000} PREDICTORS=${PREDICTORS:-10} SEED=${SEED:-42} REPEAT=${REPEAT:-3}
source "$(dirname "$0")/lib.sh"
COLUMNS_SHOWN="cpu runs"
DATA=bench-data/big-${ROWS}x${PREDICTORS}-${SEED}.csv

publish
bigdata "$DATA" "$ROWS" "$PREDICTORS" "$SEED"
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

machine "file: $DATA, $(du -mL "$DATA" | cut -f1) MB"

echo "== timings (wall clock, $REPEAT runs each)"
run "lsq fit (least squares)" "$PUB/lsq" fit "$DATA" --target y
run "lsq fit --penalty lasso --lambda 1" "$PUB/lsq" fit "$DATA" --target y --penalty lasso --lambda 1
run "lsq fit --penalty lasso --lambda auto (10x100)" "$PUB/lsq" fit "$DATA" --target y --penalty lasso --lambda auto
if $PY -c 'import pandas, sklearn' 2>/dev/null; then
  run "pandas + sklearn LassoCV(cv=10)" "$PY" bench-data/lassocv.py "$DATA"
else
  echo "pandas + sklearn LassoCV(cv=10): skipped (apt-get install python3-pandas python3-sklearn)"
fi
load_after
