#!/usr/bin/env bash
# Benchmark (not a test): `ctprep run` end to end against the classic Kaggle recipe
# (../shared/reference/seed_pipeline.py --no-mesh: load, HU, resample to 1 mm, lung masks, normalize,
# zero-center, and its saved arrays) on one real series, in the same run: the same steps, so ctprep
# runs with --no-mesh (surfaces are measured by ctpBenchmarkSurfaces.sh). Prints a Markdown table.
#   Testing/Benchmarks/ctpBenchmarkPipeline.sh [SERIES_DIR] [REPEATS]
# Needs a built ctprep (build/bin/ctprep or $CTPREP) and python3-pydicom, -scipy, -skimage.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
series=${1:-$root/../shared/data/lung-pet-ct-dx/Lung_Dx-A0001/04-04-2007-NA-Chest-07990/2.000000-5mm-40805}
repeats=${2:-3}
ctprep=${CTPREP:-$root/build/bin/ctprep}
recipe=${RECIPE:-$root/../shared/reference/seed_pipeline.py}
[ -x "$ctprep" ] || { echo "ctprep not built: $ctprep" >&2; exit 1; }
[ -f "$recipe" ] || { echo "classic recipe not found: $recipe" >&2; exit 1; }
[ -d "$series" ] || { echo "series folder not found: $series" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One timed run: wall seconds and peak RSS (MiB); outputs go to a fresh folder removed afterwards.
run_once() {
  local out=$work/out
  rm -rf "$out"
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" "$out" >/dev/null 2>&1 || { cat "$work/time" >&2; exit 1; }
  rm -rf "$out"
  sync
  tail -n 1 "$work/time"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ours=()
theirs=()
ours_mem=0
theirs_mem=0
run_once "$ctprep" run "$series" --no-mesh --verbosity error -o >/dev/null # warm-up: files in the page cache
for _ in $(seq "$repeats"); do
  read -r s m < <(run_once "$ctprep" run "$series" --no-mesh --verbosity error -o)
  ours+=("$s")
  ((m > ours_mem)) && ours_mem=$m
  read -r s m < <(run_once /usr/bin/python3 "$recipe" "$series" --no-mesh)
  theirs+=("$s")
  ((m > theirs_mem)) && theirs_mem=$m
done
# The recipe takes OUT_DIR after SERIES_DIR; ctprep takes it after -o: both get "$out" last.
o=$(printf '%s\n' "${ours[@]}" | median)
t=$(printf '%s\n' "${theirs[@]}" | median)
echo "| pipeline | wall seconds (median of $repeats) | peak memory MiB |"
echo "|---|---|---|"
echo "| ctprep run --no-mesh (1 mm, lung mask, normalize, volumes, pictures) | $o | $((ours_mem / 1024)) |"
echo "| classic recipe, seed_pipeline.py --no-mesh | $t | $((theirs_mem / 1024)) |"
awk -v a="$o" -v b="$t" 'BEGIN {printf "\nspeed-up: %.1fx (target >= 20x)\n", b / a}'
echo "runs: ctprep ${ours[*]} s; recipe ${theirs[*]} s; $(nproc) cores; series $series"
