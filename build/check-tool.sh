#!/usr/bin/env bash
# Installs lsq from a folder of packages (build/pack-tool.sh's) into a temporary tool path, as a
# user's `dotnet tool install` would, and checks the installed tool: which package was taken, the
# start-up time of `lsq --help` (median of many runs, wall and CPU), a fit, a plot, and the sizes.
#
#   build/check-tool.sh [FEED]     FEED: the folder of .nupkg files (default artifacts/nupkg)
#   LSQ_RUNS=50 build/check-tool.sh    more runs for the timing (default 30)
#
# A private NuGet cache is used, so a package rebuilt with the same version is really the one
# installed. Needs python3 for the timing. Exit 0 when everything works, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
feed=$(cd "${1:-artifacts/nupkg}" && pwd)
runs=${LSQ_RUNS:-30}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

echo "== packages in $feed"
for f in "$feed"/lsq.*nupkg; do
  printf '%8s  %s\n' "$(du -k "$f" | cut -f1) KB" "$(basename "$f")"
done

echo "== dotnet tool install --tool-path <tmp> --add-source $feed lsq"
NUGET_PACKAGES=$tmp/nuget dotnet tool install --tool-path "$tmp/tools" --add-source "$feed" lsq
lsq=$tmp/tools/lsq
[ -x "$lsq" ] || { echo "check-tool: no lsq in the tool path"; exit 1; }

# The package taken and what it holds: a native binary (Native AOT) or lsq.dll (framework-dependent).
package=$(find "$tmp/tools/.store/lsq" -mindepth 2 -maxdepth 2 -type d -name 'lsq.*' -printf '%f\n' | head -1)
bin=$(find "$tmp/tools/.store/lsq" -path '*/tools/*' -name DotnetToolSettings.xml -printf '%h\n' | grep -v '/tools/any/any$' | head -1)
if [ -e "$bin/lsq.dll" ]; then kind="framework-dependent (lsq.dll on the .NET runtime)"; else kind="Native AOT ($(file -b "$bin/lsq" | cut -d, -f1-2))"; fi
echo "installed: $package: $kind"
echo "installed size: $(du -sh "$tmp/tools" | cut -f1) (package folder $(du -sh "$bin" | cut -f1)); files: $(cd "$bin" && ls | tr '\n' ' ')"

echo "== lsq --help, $runs runs"
python3 - "$lsq" "$runs" <<'EOF'
import os, resource, statistics, subprocess, sys, time
lsq, runs = sys.argv[1], int(sys.argv[2])
subprocess.run([lsq, "--help"], stdout=subprocess.DEVNULL, check=True)  # warm the file cache
walls, cpus = [], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([lsq, "--help"], stdout=subprocess.DEVNULL, check=True)
    walls.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
ms = lambda s: f"{1000 * s:.1f} ms"
print(f"lsq --help: median {ms(statistics.median(walls))} wall, {ms(statistics.median(cpus))} CPU "
      f"(min {ms(min(walls))}, max {ms(max(walls))}; {runs} runs, load {os.getloadavg()[0]:.2f})")
EOF

echo "== lsq fit samples/linear.csv"
if "$lsq" fit samples/linear.csv; then :; else echo "check-tool: fit failed"; status=1; fi

echo "== lsq plot samples/linear.csv -o <tmp>/plot.png"
if "$lsq" plot samples/linear.csv -o "$tmp/plot.png" && [ "$(head -c 4 "$tmp/plot.png" | tail -c 3)" = "PNG" ]; then
  echo "plot: $(du -k "$tmp/plot.png" | cut -f1) KB PNG"
else
  echo "check-tool: plot failed"; status=1
fi

[ $status -eq 0 ] && echo "check-tool: ok" || echo "check-tool: FAILED"
exit $status
