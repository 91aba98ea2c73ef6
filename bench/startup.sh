#!/usr/bin/env bash
# Start-up time of `lsq --version`: the JIT (framework-dependent) build against the native AOT
# binary, measured with hyperfine; prints a markdown table (also left in artifacts/startup/).
#   bench/startup.sh            (run from anywhere; installs hyperfine with apt-get if missing)
source "$(dirname "$0")/lib.sh"

if ! command -v hyperfine >/dev/null; then
  echo "startup: installing hyperfine (Debian package)" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq hyperfine >/dev/null
  fi
fi

out=artifacts/startup
rm -rf "$out"
echo "startup: building the JIT (framework-dependent) build" >&2
dotnet publish src/LeastSquares.Cli -c Release -o "$out/jit" >&2
echo "startup: building the native AOT binary" >&2
dotnet publish src/LeastSquares.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$out/aot" >&2

hyperfine --shell=none --warmup 5 --runs 100 --export-markdown "$out/startup.md" \
  --command-name "JIT (framework-dependent)" "$out/jit/lsq --version" \
  --command-name "native AOT" "$out/aot/lsq --version" >&2

echo
machine_summary
echo
cat "$out/startup.md"
