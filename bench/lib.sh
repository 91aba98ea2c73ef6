# The parts every bench/ script shares. Source it first: `source "$(dirname "$0")/lib.sh"`. It
# sets bash's strict mode, moves to the checkout's root, makes bench-data/ (git-ignored) and gives:
#
#   RUN                the prefix of every timed or heavy command: `nice -n $NICE` (NICE=0: none).
#                      A script sets the defaults of NICE (else 0) and REPEAT (else 3) before
#                      sourcing this file.
#   PUB, AOT, BEN, PY  the JIT publish, the native AOT publish, the data generator, python3
#   publish [aot]      the Release build into $PUB (and with `aot` the native one into $AOT, as the
#                      README installs it)
#   bigdata FILE ROWS PREDICTORS SEED
#                      the seeded CSV of `LeastSquares.Benchmarks generate`, made when missing
#   machine [LINE…]    "== machine", the CPU, any lines given, the load before
#   machine_summary    "machine:", the cores, CPU, kernel and SDK in one line
#   load_after         the load after
#   run LABEL CMD…     REPEAT timed runs of CMD; prints one line (see below)
#   run_as KEY LABEL CMD…
#                      the same, keeping the figures in MIN[KEY] MED[KEY] CPU[KEY] MEM[KEY] (MB)
#                      for the ratios; a failure then stops the script
#   ratio A B          A / B to two decimals
#
# A timed line is the label and the min and median wall seconds of REPEAT runs, then as the script
# sets COLUMNS_SHOWN (default "cpu peak"): cpu, the least user + system seconds of a run; peak,
# the largest resident set size GNU time reports (the figure of `/usr/bin/time -v`), in MB; runs,
# every run's wall seconds; out, the start of the command's standard output. LABEL_WIDTH (44) and
# FIGURE_WIDTH (6) set the widths. A run that fails prints the label, `failed:` and its error.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
NICE=${NICE:-0} REPEAT=${REPEAT:-3}
if [ "$NICE" = 0 ]; then RUN=(); else RUN=(nice -n "$NICE"); fi
PUB=${PUB:-bench-data/publish}
AOT=bench-data/publish-aot
BEN=tests/LeastSquares.Benchmarks/bin/Release/net10.0/LeastSquares.Benchmarks
PY=/usr/bin/python3 # Debian's numpy, pandas, scikit-learn and dask belong to it; a pyenv python3 first on PATH lacks them
LABEL_WIDTH=44 FIGURE_WIDTH=6 COLUMNS_SHOWN="cpu peak" # a script sets its own after sourcing
declare -A MIN MED CPU MEM
mkdir -p bench-data

publish() {
  if [ "${1:-}" = aot ]; then
    echo "== build (Release JIT, and native AOT as the README installs it)"
  else
    echo "== build (Release)"
  fi
  "${RUN[@]}" dotnet publish src/LeastSquares.Cli -c Release -o "$PUB" -v quiet -nologo >/dev/null
  if [ "${1:-}" = aot ]; then
    # Compiled for this machine's instruction set.
    "${RUN[@]}" dotnet publish src/LeastSquares.Cli -c Release -r linux-x64 -p:PublishAot=true -p:IlcInstructionSet=native \
      -o "$AOT" -v quiet -nologo >/dev/null
  fi
}

bigdata() {
  local file=$1 rows=$2 predictors=$3 seed=$4
  [ -s "$file" ] && return
  echo "== generate $file"
  "${RUN[@]}" dotnet build tests/LeastSquares.Benchmarks -c Release -v quiet -nologo >/dev/null
  "${RUN[@]}" "$BEN" generate "$file.tmp" "$rows" "$predictors" "$seed" && mv "$file.tmp" "$file"
}

machine() {
  echo "== machine"
  echo "nproc: $(nproc); $(lscpu | grep 'Model name' | sed 's/  */ /g'); $(free -g | awk '/Mem:/ {print $2 " GiB RAM"}')"
  [ $# = 0 ] || printf '%s\n' "$@"
  echo "load before: $(uptime | sed 's/.*load average/load average/')"
}

# machine_summary: the machine and the SDK in one line (for the tables of the packaging scripts).
machine_summary() { echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(uname -sr), .NET SDK $(dotnet --version)"; }

load_after() { echo "load after: $(uptime | sed 's/.*load average/load average/')"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

run() { run_as "" "$@"; }

run_as() {
  local key=$1 label=$2; shift 2
  local times=() cpus=() mem=0 wall rss user sys
  for _ in $(seq "$REPEAT"); do
    if ! "${RUN[@]}" /usr/bin/time -o bench-data/time.txt -f '%e %M %U %S' "$@" >bench-data/out.txt 2>bench-data/err.txt; then
      printf "%-${LABEL_WIDTH}s failed: %s\n" "$label" "$(head -c 300 bench-data/err.txt)"
      [ -z "$key" ] && return 0
      return 1
    fi
    read -r wall rss user sys < <(tail -1 bench-data/time.txt)
    times+=("$wall")
    cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
    [ "$rss" -gt "$mem" ] && mem=$rss
  done
  local min med cpu column line
  min=$(printf '%s\n' "${times[@]}" | sort -g | head -1)
  med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -g | head -1)
  if [ -n "$key" ]; then MIN[$key]=$min MED[$key]=$med CPU[$key]=$cpu MEM[$key]=$((mem / 1024)); fi
  line=$(printf "%-${LABEL_WIDTH}s min %${FIGURE_WIDTH}.2f s  median %${FIGURE_WIDTH}.2f s" "$label" "$min" "$med")
  for column in $COLUMNS_SHOWN; do
    case $column in
      cpu) line+=$(printf "  cpu %${FIGURE_WIDTH}.2f s" "$cpu") ;;
      peak) line+=$(printf '  peak %5d MB' "$((mem / 1024))") ;;
      runs) line+="  (${times[*]})" ;;
      out) line+="   $(tr -s ' \n' ' ' <bench-data/out.txt | head -c 80)" ;;
    esac
  done
  printf '%s\n' "$line"
}
