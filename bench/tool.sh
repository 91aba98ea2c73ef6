#!/usr/bin/env bash
# Start-up of the installed .NET tool: packs both schemes (build/pack-tool.sh's native tool
# packages and the framework-dependent `dotnet pack`), installs each into a temporary tool path
# with build/check-tool.sh, and prints which package was installed, its size and `lsq --help`'s
# median start-up (wall and CPU). docs/packaging.md has the figures.
#   bench/tool.sh              (LSQ_RUNS=100 for more runs; the packing takes several minutes)
source "$(dirname "$0")/lib.sh"
export LSQ_RUNS=${LSQ_RUNS:-50}

out=artifacts/tool
rm -rf "$out"
build/pack-tool.sh --out "$out/native" >&2
dotnet pack src/LeastSquares.Cli -c Release -o "$out/framework-dependent" -v quiet -nologo >&2

machine_summary
for scheme in native framework-dependent; do
  echo
  echo "== $scheme ($out/$scheme)"
  build/check-tool.sh "$out/$scheme" | grep -E '^ *[0-9]+ KB|^installed|^lsq --help|^check-tool'
done
