#!/usr/bin/env bash
# A bounded libFuzzer campaign of ctpDicomFileFuzzer (the CTest test fuzz.DicomFile, label fuzz).
#   ctpRunFuzzCampaign.sh FUZZER SEED_TOOL WORK_DIR SECONDS [SHARED_DATA_DIR]
# Seeds: phantom slices written by SEED_TOOL (ctpFuzzSeeds), plus a few real files of
# SHARED_DATA_DIR when it is there (read in place, never copied into the project). The corpus grows
# in WORK_DIR/corpus and is kept, so a second run continues where the first stopped.
#
# libFuzzer's fork mode with one job at a time (-fork=1): each job is a child process that fuzzes
# for at most a few minutes from a part of the corpus and exits. A file on which GDCM aborts leaks
# what GDCM had allocated (RunGuardedAgainstAbort jumps out of it); a child's restart gives that
# memory back, so the RSS limit only catches real growth however long the campaign. A job's crash,
# sanitizer report (ASan, UBSan), timeout (-timeout: a hang) or out-of-memory (-rss_limit_mb, or one
# allocation above -malloc_limit_mb) ends the campaign.
# The random seed is fixed ($CTP_FUZZ_SEED, default 2026), so that CI explores the same mutations
# from one run to the next and a finding there can be replayed here; CTP_FUZZ_SEED=0 draws a new
# seed (exploratory campaigns). Jobs still last as long as their time budget, and ITK's and
# GDCM's one-time paths make coverage differ slightly between runs: close to, not exactly, the same.
# Extra libFuzzer flags can come from $CTP_FUZZ_FLAGS.
# Exit 0: nothing found. Exit 1: a finding; its input is in WORK_DIR/artifacts, the report in
# WORK_DIR/fuzz.log, and the command to reproduce it is printed.
set -uo pipefail

if [ $# -lt 4 ]; then
  echo "usage: $0 FUZZER SEED_TOOL WORK_DIR SECONDS [SHARED_DATA_DIR]" >&2
  exit 2
fi
fuzzer=$1
seed_tool=$2
work=$3
seconds=$4
shared=${5:-}

mkdir -p "$work/corpus" "$work/seeds" "$work/tmp"
rm -rf "$work/artifacts"
mkdir -p "$work/artifacts"
"$seed_tool" "$work/seeds" >/dev/null || exit 1
seeds=("$work/seeds")
# Real files, one of each kind: tilted GE and Philips slices, a localizer, a secondary capture, a
# DIRFILE, uncompressed and compressed CT (JPEG 2000, JPEG-LS), Enhanced CT, the MR in eight
# transfer syntaxes (big endian, RLE, JPEG, JPEG-LS, JPEG 2000), Philips and Siemens chest CT.
real=(dcm_qa_ct/In/GE/01.dcm dcm_qa_ct/In/Philips/S21610/S2010/I10 dcm_qa_ct/In/Philips/S21610/S1000/I10
  dcm_qa_ct/In/Philips/S21610/S4010/I10 dcm_qa_ct/In/Philips/S21610/DIRFILE
  transfer-syntaxes/ct-slices/693_J2KI.dcm transfer-syntaxes/ct-slices/693_J2KR.dcm
  transfer-syntaxes/ct-slices/693_UNCR.dcm transfer-syntaxes/ct-slices/CT1_JLSN.dcm
  transfer-syntaxes/ct-slices/eCT_Supplemental.dcm)
for n in 1 2 3 4 5 6 7 8 9; do real+=("transfer-syntaxes/dcm_qa_ts/In/$n.dcm"); done
real_used=0
if [ -n "$shared" ] && [ -d "$shared" ]; then
  mkdir -p "$work/seeds-real"
  rm -f "$work/seeds-real"/*
  for f in "${real[@]}"; do
    if [ -f "$shared/$f" ]; then
      ln -s "$shared/$f" "$work/seeds-real/$(echo "$f" | tr '/' '_')"
      real_used=$((real_used + 1))
    fi
  done
  for first in "$shared"/lung-pet-ct-dx/*/*/*/1-01.dcm; do
    if [ -f "$first" ]; then
      ln -s "$first" "$work/seeds-real/lung-$real_used.dcm"
      real_used=$((real_used + 1))
    fi
  done
  seeds+=("$work/seeds-real")
fi
echo "fuzz: $(ls "$work/seeds" | wc -l) phantom slices and $real_used real files as seeds," \
  "$(ls "$work/corpus" | wc -l) inputs in the corpus already; ${seconds} s"

# Fork mode ignores timeouts and OOMs of its jobs unless told otherwise.
flags=(-fork=1 -seed="${CTP_FUZZ_SEED:-2026}" -detect_leaks=0 -ignore_crashes=0 -ignore_timeouts=0 -ignore_ooms=0 -max_total_time="$seconds" -max_len=65536
  -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=512 -close_fd_mask=2 -print_final_stats=1
  -artifact_prefix="$work/artifacts/")
# More libFuzzer flags from the environment (later flags win), e.g. CTP_FUZZ_FLAGS="-fork=2", or
# "-ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1" to go on and count the findings.
read -r -a extra <<<"${CTP_FUZZ_FLAGS:-}"
flags+=("${extra[@]}")
symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
# No leak checks: a file on which GDCM aborts leaks by design, and third-party decoders leak on broken
# input (112 bytes in OpenJPEG in one run) with stacks cut short in libraries built without frame
# pointers, so suppressions do not hold without the slow unwinder, which halves the rate (385 instead
# of 871 inputs a minute). CTPrep's own code is leak-checked by the sanitizer run of the unit tests.
export ASAN_OPTIONS="detect_leaks=0${symbolizer:+:external_symbolizer_path=$symbolizer}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export TMPDIR="$work/tmp"
start=$(date +%s)
"$fuzzer" "${flags[@]}" "$work/corpus" "${seeds[@]}" >"$work/fuzz.log" 2>&1
status=$?
elapsed=$(($(date +%s) - start))

# Fork mode's status lines: "#runs: cov: C ft: F corp: N exec/s E oom/timeout/crash: O/T/C time: Ts ..."
first=$(grep -m1 -E '^#[0-9]+: cov: ' "$work/fuzz.log")
last=$(grep -E '^#[0-9]+: cov: ' "$work/fuzz.log" | tail -1)
field() { echo "$2" | sed -n -E "s|.*$1[: ]+([0-9/]+).*|\1|p"; }
runs=$(echo "$last" | sed -n -E 's/^#([0-9]+):.*/\1/p')
findings=$(field 'oom/timeout/crash' "$last")
artifacts=$(ls "$work/artifacts")
echo "fuzz: ${runs:-0} executions in ${elapsed} s; coverage $(field cov "$first") -> $(field cov "$last")" \
  "edges, features $(field ft "$first") -> $(field ft "$last"), corpus $(field corp "$last") inputs;" \
  "OOMs/timeouts/crashes ${findings:-?}; exit status $status"
if [ "$status" -ne 0 ] || [ -n "$artifacts" ]; then
  echo "fuzz: FOUND something; report in $work/fuzz.log:"
  grep -E -A40 'ERROR: |WARNING: |runtime error|SUMMARY|INFO: log from the inner process' "$work/fuzz.log" | head -80
  echo "fuzz: $(echo "$artifacts" | wc -w) input(s) in $work/artifacts"
  for a in $(echo "$artifacts" | head -5); do
    echo "fuzz: input $work/artifacts/$a; reproduce with:"
    echo "  ASAN_OPTIONS=detect_leaks=0 $fuzzer -malloc_limit_mb=512 -timeout=20 -close_fd_mask=2 $work/artifacts/$a"
    # The input itself, so that a finding on a machine that is gone (CI) can be replayed from its log:
    #   base64 -d <<'EOF' | gzip -d > input   (the lines between the markers)
    if [ "$(gzip -9c "$work/artifacts/$a" | wc -c)" -le 65536 ]; then
      echo "fuzz: input $a, gzip then base64:"
      echo "-----BEGIN $a-----"
      gzip -9c "$work/artifacts/$a" | base64 -w 100
      echo "-----END $a-----"
    fi
  done
  exit 1
fi
exit 0
