#!/usr/bin/env bash
# --by and compressed input, timed: `lsq fit --by region` (5 groups) against one fit of the same
# columns, and `lsq fit file.gz` against `gzip -dc file.gz | lsq fit` and against decompression
# alone. Every run is `nice`d: the machine may be shared.
#
#   bench/by.sh                  # a seeded CSV of region + 10 predictors + y (ROWS=1800000, ~200 MB), made on the first run
#   BIG=1 bench/by.sh            # the 1 GB file of bench/big.sh (5,000,000 rows x 10 predictors, made as big.sh makes it
#                                # when missing), with a column of 5 seeded groups added in front (a copy, ~1.05 GB)
#   DATA=f.csv bench/by.sh       # any CSV; BY=col names its group column, else a column of 5 seeded groups is added (a copy)
#   REPEAT=3 GZIP=1 ...          # runs of each (3); GZIP=0 leaves out the .gz rows (gzip of 1 GB takes a minute or two)
#
# Files go in bench-data/ (git-ignored). Wall-clock times: min and median of REPEAT runs; cpu:
# least user + system seconds of a run; then the ratios the issue asks about (--by against one
# fit; file.gz against the pipe).
ROWS=${ROWS:-1800000} SEED=${SEED:-42} REPEAT=${REPEAT:-3} GZIP=${GZIP:-1} BIG=${BIG:-0} NICE=${NICE:-10}
source "$(dirname "$0")/lib.sh"
COLUMNS_SHOWN="cpu runs"

publish
LSQ=$PUB/lsq

# with_groups SRC DEST: SRC with a first column "region" of 5 groups drawn by a seeded awk.
with_groups() {
  "${RUN[@]}" awk -F, -v seed="$SEED" 'BEGIN { srand(seed); split("north south east west centre", r, " ") }
    NR == 1 { print "region," $0; next } { print r[int(rand() * 5) + 1] "," $0 }' "$1" > "$2.tmp"
  mv "$2.tmp" "$2"
}

BY=${BY:-}
if [ -n "${DATA:-}" ]; then
  if [ -z "$BY" ]; then
    SRC=$DATA DATA=bench-data/$(basename "${SRC%.csv}")-by5.csv BY=region
    [ -s "$DATA" ] || { echo "== add 5 groups: $SRC -> $DATA"; with_groups "$SRC" "$DATA"; }
  fi
elif [ "$BIG" = 1 ]; then
  SRC=bench-data/big-5000000x10-${SEED}.csv DATA=bench-data/big-5000000x10-${SEED}-by5.csv BY=region
  bigdata "$SRC" 5000000 10 "$SEED" # as bench/big.sh makes it
  [ -s "$DATA" ] || { echo "== add 5 groups: $SRC -> $DATA"; with_groups "$SRC" "$DATA"; }
else
  DATA=bench-data/by-${ROWS}-${SEED}.csv BY=region
  if [ ! -s "$DATA" ]; then
    echo "== generate $DATA"
    "${RUN[@]}" $PY - "$DATA.tmp" "$ROWS" "$SEED" <<'PY'
import random, sys
path, rows, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed)
regions = ["north", "south", "east", "west", "centre"]
with open(path, "w") as f:
    f.write("region," + ",".join(f"x{j}" for j in range(1, 11)) + ",y\n")
    for _ in range(rows):
        g = rng.randrange(5)
        x = [rng.random() for _ in range(10)]
        y = g + sum((j + 1 + g) * v for j, v in enumerate(x)) + rng.gauss(0, 0.1)
        f.write(regions[g] + "," + ",".join(f"{v:.6f}" for v in x) + f",{y:.6f}\n")
PY
    mv "$DATA.tmp" "$DATA"
  fi
fi
if [ "$GZIP" = 1 ]; then
  [ -s "$DATA.gz" ] || { echo "== gzip $DATA"; "${RUN[@]}" gzip -kf "$DATA"; }
  cat "$DATA.gz" >/dev/null
fi
cat "$DATA" >/dev/null # into the page cache

machine "file: $DATA, $(du -m "$DATA" | cut -f1) MB$([ "$GZIP" = 1 ] && echo " ($(du -m "$DATA.gz" | cut -f1) MB gzipped)"), $(wc -l < "$DATA") lines, groups by $BY"

# ratios LABEL A B: A's min wall and cpu over B's.
ratios() { printf '%-44s wall %5.2fx  cpu %5.2fx\n' "$1" "$(ratio "${MIN[$2]}" "${MIN[$3]}")" "$(ratio "${CPU[$2]}" "${CPU[$3]}")"; }

echo "== timings (wall clock, $REPEAT runs each)"
run_as one "one fit (--exclude $BY)" bash -c "$LSQ fit $DATA --exclude $BY"
run_as by "--by $BY (5 groups)" bash -c "$LSQ fit $DATA --by $BY"
run_as one1 "one fit, 1 thread" bash -c "LSQ_THREADS=1 $LSQ fit $DATA --exclude $BY"
run_as by1 "--by $BY, 1 thread" bash -c "LSQ_THREADS=1 $LSQ fit $DATA --by $BY"
if [ "$GZIP" = 1 ]; then
  run_as gunzip "gzip -dc > /dev/null" bash -c "gzip -dc $DATA.gz"
  run_as gz "lsq fit file.gz" bash -c "$LSQ fit $DATA.gz --exclude $BY"
  run_as pipe "gzip -dc file.gz | lsq fit" bash -c "gzip -dc $DATA.gz | $LSQ fit --exclude $BY"
  run_as gzby "lsq fit file.gz --by $BY" bash -c "$LSQ fit $DATA.gz --by $BY"
fi
load_after

echo "== ratios (the issue's targets: --by within 1.3x of one fit; file.gz within the cost of decompression)"
ratios "--by / one fit" by one
ratios "--by / one fit, 1 thread" by1 one1
if [ "$GZIP" = 1 ]; then
  ratios "lsq fit file.gz / gzip -dc | lsq fit" gz pipe
  ratios "lsq fit file.gz / gzip -dc alone" gz gunzip
fi
