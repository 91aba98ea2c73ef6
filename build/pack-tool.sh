#!/usr/bin/env bash
# Packs lsq as a .NET tool whose `dotnet tool install` gives the Native AOT binary on the platforms
# that have one (docs/packaging.md).
#
#   build/pack-tool.sh                    everything this machine can build, into artifacts/nupkg:
#                                         the top-level package, a Native AOT package for this
#                                         machine's platform, framework-dependent packages for the
#                                         other listed platforms, and the 'any' fallback
#   build/pack-tool.sh --rid osx-arm64    one platform's Native AOT package only (run it on a machine
#                                         of that platform: .NET does not compile Native AOT across
#                                         operating systems); a release runs one such job per platform
#   options: --out DIR (default artifacts/nupkg), --rid RID (repeatable)
#
# Then: dotnet tool install --global --add-source artifacts/nupkg lsq
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

project=src/LeastSquares.Cli
out=artifacts/nupkg
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --rid) only="$only $2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pack-tool: unknown argument '$1' (see --help)" >&2; exit 1 ;;
  esac
done

host=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
# The platforms with a package of their own: the project's ToolPackageRuntimeIdentifiers, less 'any'.
platforms=$(dotnet msbuild "$project" -getProperty:ToolPackageRuntimeIdentifiers -p:NativeToolPackages=true \
  | tr ';' '\n' | grep -v -x -e any -e '' | tr '\n' ' ')
[ -n "$platforms" ] || { echo "pack-tool: the project lists no ToolPackageRuntimeIdentifiers" >&2; exit 1; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each package is published into a folder of its own, so that no file of an earlier build of the
# same platform (bin/.../RID/publish) slips into it.
run() { echo "+ $*" >&2; "$@"; }
pack() { # pack RID PublishAot
  local rid=$1 aot=$2
  echo "pack-tool: lsq.$rid ($([ "$aot" = true ] && echo 'Native AOT' || echo 'framework-dependent'))" >&2
  run dotnet pack "$project" -c Release -r "$rid" -p:NativeToolPackages=true -p:PublishAot="$aot" \
    -p:PublishDir="$work/$rid/" -o "$out" -v quiet -nologo
}

if [ -n "$only" ]; then
  for rid in $only; do pack "$rid" true; done
  exit 0
fi

echo "pack-tool: lsq (the top-level package: ${platforms}any)" >&2
run dotnet pack "$project" -c Release -p:NativeToolPackages=true -p:PublishAot=true -o "$out" -v quiet -nologo
for rid in $platforms; do
  if [ "$rid" = "$host" ]; then pack "$rid" true; else pack "$rid" false; fi
done
pack any false
ls -l "$out"/lsq.*nupkg >&2
