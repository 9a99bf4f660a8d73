#!/usr/bin/env bash
# Output safety: a file-size limit, a full disk and a read-only folder each give exit code 5 with a
# one-line error naming the file, and leave neither temporary files nor a sidecar (so no half-written
# output passes for a complete one).
#   ctpOutputSafety.sh CTPREP SERIES_DIR WORK_DIR
set -uo pipefail
ctprep=$1
series=$2
work=$3
failures=0
rm -rf "$work"
mkdir -p "$work"

expect() { # name, folder, expected stderr pattern, command...
  local name=$1 folder=$2 pattern=$3
  shift 3
  "$@" 2>"$work/$name.err" >/dev/null
  local code=$?
  local err
  err=$(cat "$work/$name.err")
  if [ "$code" -ne 5 ]; then
    echo "FAIL $name: exit $code, expected 5: $err"
    failures=$((failures + 1))
  elif ! grep -qE "$pattern" "$work/$name.err" || [ "$(grep -c '^Error:' "$work/$name.err")" -ne 1 ]; then
    echo "FAIL $name: error line does not match '$pattern': $err"
    failures=$((failures + 1))
  elif [ -d "$folder" ] && { [ -n "$(find "$folder" -name '.ctp-tmp-*')" ] || [ -e "$folder/ctprep.json" ]; }; then
    echo "FAIL $name: temporary files or a sidecar left in $folder: $(ls -A "$folder")"
    failures=$((failures + 1))
  else
    echo "ok $name: $(grep '^Error:' "$work/$name.err")"
  fi
}

expect file-size-limit "$work/ulimit" "^Error: $work/ulimit/[a-z_.]+: .*File too large" \
  bash -c "ulimit -f 20000; exec \"$ctprep\" run \"$series\" -o \"$work/ulimit\" --no-render --verbosity error"

if [ "$(id -u)" -eq 0 ] && mkdir -p "$work/full" && mount -t tmpfs -o size=30m tmpfs "$work/full" 2>/dev/null; then
  expect disk-full "$work/full/out" "^Error: $work/full/out/[a-z_.]+: .*(No space left on device|cannot write)" \
    "$ctprep" run "$series" -o "$work/full/out" --no-render --verbosity error
  umount "$work/full"
  mkdir -p "$work/ro"
  mount -t tmpfs -o ro,size=1m tmpfs "$work/ro"
  expect read-only "$work/ro/out" "^Error: $work/ro/out: cannot create folder: Read-only file system" \
    "$ctprep" run "$series" -o "$work/ro/out" --no-render --verbosity error
  umount "$work/ro"
else
  echo "note: not root or no tmpfs: the full-disk and read-only cases were not run"
fi
[ "$failures" -eq 0 ] && echo "output safety: all cases as documented"
exit $((failures > 0))
