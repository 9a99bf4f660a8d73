#!/usr/bin/env bash
# Benchmark (not a test): load + HU + uncompressed NIfTI of one real CT series, ctprep against dcm2niix,
# both measured in the same run on the same machine. Prints a Markdown table.
#   Testing/Benchmarks/ctpBenchmarkLoad.sh [SERIES_DIR] [REPEATS]
# Needs a built ctprep (build/bin/ctprep or $CTPREP) and Debian's dcm2niix (apt-get install dcm2niix).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
series=${1:-$root/../shared/data/lung-pet-ct-dx/Lung_Dx-A0001/04-04-2007-NA-Chest-07990/2.000000-5mm-40805}
repeats=${2:-7}
ctprep=${CTPREP:-$root/build/bin/ctprep}
command -v dcm2niix >/dev/null || { echo "dcm2niix not found: apt-get install dcm2niix" >&2; exit 1; }
[ -x "$ctprep" ] || { echo "ctprep not built: $ctprep" >&2; exit 1; }
[ -d "$series" ] || { echo "series folder not found: $series" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Median wall-clock seconds and peak memory (max RSS, MiB) of REPEATS runs, after one warm-up run
# (the files are then in the page cache for both tools alike).
measure() {
  local name=$1
  shift
  "$@" >/dev/null 2>&1
  local times=() rss=0
  for _ in $(seq "$repeats"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || { echo "$name failed: $*" >&2; cat "$work/time" >&2; exit 1; }
    read -r seconds kib < <(tail -n 1 "$work/time")
    times+=("$seconds")
    ((kib > rss)) && rss=$kib
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$name $median $((rss / 1024))"
}

mkdir -p "$work/dcm2niix"
slices=$(find "$series" -type f | wc -l)
ours=$(measure ctprep "$ctprep" convert "$series" -o "$work/ctprep/hu.nii" --verbosity error)
theirs=$(measure dcm2niix dcm2niix -z n -b n -o "$work/dcm2niix" -f out "$series")
read -r _ ours_s ours_mb <<<"$ours"
read -r _ theirs_s theirs_mb <<<"$theirs"
echo "| tool | seconds (median of $repeats) | slices/s | peak memory MiB |"
echo "|---|---|---|---|"
awk -v s="$ours_s" -v n="$slices" -v m="$ours_mb" 'BEGIN {printf "| ctprep convert -o hu.nii | %.3f | %.0f | %d |\n", s, n / s, m}'
awk -v s="$theirs_s" -v n="$slices" -v m="$theirs_mb" 'BEGIN {printf "| dcm2niix -z n | %.3f | %.0f | %d |\n", s, n / s, m}'
awk -v a="$ours_s" -v b="$theirs_s" 'BEGIN {printf "\nctprep / dcm2niix time ratio: %.2f (target <= 1.5)\n", a / b}'
echo "series: $series ($slices files), $(nproc) cores"
