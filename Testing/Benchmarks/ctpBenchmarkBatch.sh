#!/usr/bin/env bash
# Benchmark (not a test): batch throughput with -j 1 and -j 2 on a cohort of phantoms of realistic
# size (256 x 256 x 100 slices of 2.5 mm, resampled to 1 mm), in the same run.
#   Testing/Benchmarks/ctpBenchmarkBatch.sh [CASES]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cases=${1:-8}
ctprep=${CTPREP:-$root/build/bin/ctprep}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$cases"); do
  "$ctprep" phantom "$work/tmp" --slices 100 --seed "$i" --verbosity error
  mv "$work/tmp/dicom" "$work/case$i"
  rm -rf "$work/tmp"
done
mkdir "$work/cohort" && mv "$work"/case* "$work/cohort/"
declare -A seconds
for jobs in 1 2; do
  rm -rf "$work/out"
  sync
  start=$(date +%s.%N)
  "$ctprep" batch "$work/cohort" -o "$work/out" -j "$jobs" --no-render --verbosity error
  end=$(date +%s.%N)
  seconds[$jobs]=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
done
echo "| jobs | seconds for $cases cases | cases/min |"
echo "|---|---|---|"
for jobs in 1 2; do
  awk -v j="$jobs" -v s="${seconds[$jobs]}" -v n="$cases" 'BEGIN {printf "| -j %d | %.1f | %.1f |\n", j, s, 60 * n / s}'
done
awk -v a="${seconds[1]}" -v b="${seconds[2]}" 'BEGIN {printf "\nthroughput -j 2 / -j 1: %.2fx (target >= 1.6x on 2 cores)\n", a / b}'
