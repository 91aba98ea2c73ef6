#!/usr/bin/env bash
# What an engine costs on one machine: `lsq fit` on a seeded CSV of 1,000,000 rows x 10 predictors
# (~200 MB, in the git-ignored bench-data/) against the same fit as map/reduce steps under
# examples/dask/fit.py (a local cluster it starts itself, and a running scheduler with two workers
# on 127.0.0.1) and under GNU parallel --pipepart. Figures in docs/engines.md.
#
#   bench/engines.sh     # REPEAT=3 ROWS=1000000 PREDICTORS=10 SEED=42 PUB=bench-data/publish
#
# Wall-clock seconds, min and median of REPEAT runs, the file in the page cache. The engines run
# their work in other processes, so only wall time is comparable.
ROWS=${ROWS:-1000000} PREDICTORS=${PREDICTORS:-10} SEED=${SEED:-42} REPEAT=${REPEAT:-3}
source "$(dirname "$0")/lib.sh"
LABEL_WIDTH=58 COLUMNS_SHOWN="runs"
DATA=bench-data/big-${ROWS}x${PREDICTORS}-${SEED}.csv
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

[ -x "$PUB/lsq" ] || publish
bigdata "$DATA" "$ROWS" "$PREDICTORS" "$SEED"
cat "$DATA" >/dev/null

machine "file: $DATA, $(du -m "$DATA" | cut -f1) MB"

echo "== a scheduler and two one-thread workers on 127.0.0.1"
$PY -m distributed.cli.dask_scheduler --host 127.0.0.1 --port 0 --no-dashboard --scheduler-file "$work/s.json" \
  --idle-timeout 3600 >"$work/scheduler.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do [ -s "$work/s.json" ] && break; sleep 0.2; done
address=$($PY -c "import json, sys; print(json.load(open(sys.argv[1]))['address'])" "$work/s.json")
for i in 1 2; do
  $PY -m distributed.cli.dask_worker --scheduler-file "$work/s.json" --host 127.0.0.1 --nthreads 1 --no-nanny \
    --no-dashboard --local-directory "$work/w$i" --death-timeout 60 >"$work/worker$i.log" 2>&1 &
  pids+=($!)
done
$PY -c "import sys; from distributed import Client; c = Client(sys.argv[1], timeout='60s'); c.wait_for_workers(2, timeout=300); c.close()" "$address"
echo "scheduler $address"

echo "== timings (wall clock, $REPEAT runs each)"
run "lsq fit FILE (2 cores)" "$PUB/lsq" fit "$DATA"
run "lsq fit FILE, 1 core (LSQ_THREADS=1)" env LSQ_THREADS=1 "$PUB/lsq" fit "$DATA"
run "lsq fit - < FILE (what one block does, 1 core)" sh -c "\"$PUB/lsq\" fit - < \"$DATA\""
run "dask, running cluster, 2 blocks (the default: one a thread)" $PY examples/dask/fit.py --scheduler "$address" --lsq "$PUB/lsq" --blocks 2 "$DATA"
run "dask, running cluster, 8 blocks" $PY examples/dask/fit.py --scheduler "$address" --lsq "$PUB/lsq" --blocks 8 "$DATA"
run "dask, running cluster, 64 blocks" $PY examples/dask/fit.py --scheduler "$address" --lsq "$PUB/lsq" --blocks 64 "$DATA"
run "dask, local cluster of 2 (started by the driver), 2 blocks" $PY examples/dask/fit.py --workers 2 --lsq "$PUB/lsq" "$DATA"
run "dask, running cluster, samples/linear.csv (fixed cost)" $PY examples/dask/fit.py --scheduler "$address" --lsq "$PUB/lsq" samples/linear.csv
if command -v parallel >/dev/null; then
  run "GNU parallel --pipepart, 2 blocks (--block -1), 2 jobs" sh -c \
    "parallel -j2 --pipepart --block -1 -a \"$DATA\" --header : \"$PUB/lsq\" fit --partial | \"$PUB/lsq\" merge"
  run "GNU parallel --pipepart, 25 MB blocks (8), 2 jobs" sh -c \
    "parallel -j2 --pipepart --block 25M -a \"$DATA\" --header : \"$PUB/lsq\" fit --partial | \"$PUB/lsq\" merge"
fi

echo "== same answer (worst LRE against lsq fit, capped at 15)"
"$PUB/lsq" fit "$DATA" -f json --summary >"$work/one.json"
$PY examples/dask/fit.py --scheduler "$address" --lsq "$PUB/lsq" --blocks 64 "$DATA" -f json --summary >"$work/dask.json"
$PY - "$work/one.json" "$work/dask.json" <<'EOF'
import json, math, sys
one, dask = (json.load(open(p)) for p in sys.argv[1:3])
def lre(a, r):
    e = abs(a - r) / abs(r) if r else abs(a)
    return 15.0 if e == 0 else min(15.0, -math.log10(e))
coef = min(lre(a["estimate"], r["estimate"]) for a, r in zip(dask["coefficients"], one["coefficients"]))
se = min(lre(a["std_error"], r["std_error"]) for a, r in zip(dask["coefficients"], one["coefficients"]))
print(f"dask, 64 blocks: estimates LRE {coef:.1f}, standard errors {se:.1f}, mse {lre(dask['mse'], one['mse']):.1f}"
      f" (mse {one['mse']:.1e}: the rows fit almost exactly, and lsq's own read paths differ as much)")
EOF
load_after
