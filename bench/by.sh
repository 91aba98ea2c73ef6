#!/usr/bin/env bash
# --by and compressed input, timed: `lsq fit --by region` (5 groups) against one fit of the same
# columns, and `lsq fit file.gz` against `gzip -dc file.gz | lsq fit` and against decompression
# alone, on one seeded CSV of region + 10 predictors + y (ROWS=1800000, about 200 MB) in
# bench-data/ (git-ignored, made on the first run). Every run is `nice`d: the machine may be shared.
#
#   bench/by.sh             # REPEAT=3 runs of each; ROWS=1800000 SEED=42
#
# Wall-clock times: min and median of REPEAT runs; cpu: least user + system seconds of a run.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
ROWS=${ROWS:-1800000} SEED=${SEED:-42} REPEAT=${REPEAT:-3}
DATA=bench-data/by-${ROWS}-${SEED}.csv
PUB=bench-data/publish
mkdir -p bench-data

echo "== build (Release)"
nice dotnet publish src/LeastSquares.Cli -c Release -o "$PUB" -v quiet -nologo >/dev/null
LSQ=$PUB/lsq
if [ ! -s "$DATA" ]; then
  echo "== generate $DATA"
  nice /usr/bin/python3 - "$DATA.tmp" "$ROWS" "$SEED" <<'PY'
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
[ -s "$DATA.gz" ] || nice gzip -kf "$DATA"
cat "$DATA" "$DATA.gz" >/dev/null # into the page cache

echo "== machine"
echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g')"
echo "file: $DATA, $(du -m "$DATA" | cut -f1) MB ($(du -m "$DATA.gz" | cut -f1) MB gzipped), $(wc -l < "$DATA") lines"
echo "load before: $(uptime | sed 's/.*load average/load average/')"

run() {
  local label=$1; shift
  local times=() cpus=() wall user sys
  for _ in $(seq "$REPEAT"); do
    /usr/bin/time -o bench-data/time.txt -f '%e %U %S' nice bash -c "$*" >/dev/null 2>/dev/null
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
run "one fit (--exclude region)" "$LSQ fit $DATA --exclude region"
run "--by region (5 groups)" "$LSQ fit $DATA --by region"
run "one fit, 1 thread" "LSQ_THREADS=1 $LSQ fit $DATA --exclude region"
run "--by region, 1 thread" "LSQ_THREADS=1 $LSQ fit $DATA --by region"
run "gzip -dc > /dev/null" "gzip -dc $DATA.gz"
run "lsq fit file.gz" "$LSQ fit $DATA.gz --exclude region"
run "gzip -dc file.gz | lsq fit" "gzip -dc $DATA.gz | $LSQ fit --exclude region"
run "lsq fit file.gz --by region" "$LSQ fit $DATA.gz --by region"
echo "load after: $(uptime | sed 's/.*load average/load average/')"
