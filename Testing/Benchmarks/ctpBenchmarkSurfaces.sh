#!/usr/bin/env bash
# Benchmark (not a test): meshing bone (400 HU) and lungs of one real series, CTPrep's surface stage
# (flying edges, smoothing, LPS transform, binary STL) against scikit-image's marching cubes and STL
# writing in the classic recipe (../shared/reference/seed_pipeline.py), in the same run.
#   Testing/Benchmarks/ctpBenchmarkSurfaces.sh [SERIES_DIR] [REPEATS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
series=${1:-$root/../shared/data/lung-pet-ct-dx/Lung_Dx-A0001/04-04-2007-NA-Chest-07990/2.000000-5mm-40805}
repeats=${2:-3}
ctprep=${CTPREP:-$root/build/bin/ctprep}
recipe=${RECIPE:-$root/../shared/reference/seed_pipeline.py}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
json() { /usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

ours=()
smooth0=()
for _ in $(seq "$repeats"); do
  "$ctprep" run "$series" -o "$work/c" --no-render --verbosity error
  ours+=("$(json "$work/c/ctprep.json" "d['seconds']['surfaces']")")
  "$ctprep" run "$series" -o "$work/c0" --no-render --smoothing-iterations 0 --verbosity error
  smooth0+=("$(json "$work/c0/ctprep.json" "d['seconds']['surfaces']")")
done
bone_t=$(json "$work/c/ctprep.json" "d['surfaces']['bone']['triangles']")
lung_t=$(json "$work/c/ctprep.json" "d['surfaces']['lungs']['triangles']")
/usr/bin/python3 "$recipe" "$series" "$work/r" >/dev/null
ref_bone=$(json "$work/r/timings.json" "d['timings']['mesh_bone']")
ref_lungs=$(json "$work/r/timings.json" "d['timings']['mesh_lungs']")
ref=$(awk -v a="$ref_bone" -v b="$ref_lungs" 'BEGIN {print a + b}')
o=$(printf '%s\n' "${ours[@]}" | median)
o0=$(printf '%s\n' "${smooth0[@]}" | median)
echo "| meshing bone + lungs | seconds | triangles |"
echo "|---|---|---|"
echo "| ctprep (flying edges, 15 smoothing iterations, LPS, binary STL) | $o | $bone_t + $lung_t |"
echo "| ctprep without smoothing (the recipe's steps) | $o0 | |"
echo "| classic recipe (skimage marching cubes + STL): bone $ref_bone, lungs $ref_lungs | $ref | |"
awk -v a="$o" -v a0="$o0" -v b="$ref" 'BEGIN {printf "\nspeed-up: %.1fx with smoothing, %.1fx without (target >= 20x)\n", b / a, b / a0}'
