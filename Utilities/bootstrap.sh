#!/usr/bin/env bash
# CTPrep set-up for a fresh Debian 12 machine (run as root, or with sudo available).
#   bash Utilities/bootstrap.sh run    install what is missing, build, run `ctprep run` on the demo phantom
#   bash Utilities/bootstrap.sh test   install what is missing, build, run every test through ctest
# Idempotent: installed packages are not fetched again, the build is incremental.
set -euo pipefail

mode=${1:-}
case "$mode" in
  run | test) ;;
  *)
    echo "usage: bash Utilities/bootstrap.sh run|test" >&2
    exit 1
    ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${CTP_BUILD_DIR:-$root/build}
jobs=$(nproc 2>/dev/null || echo 2)

# Build: compilers, CMake, ITK 5.2 (GDCM inside), VTK 9.1, Boost.ProgramOptions, GoogleTest, JSON.
packages=(cmake make g++ libinsighttoolkit5-dev libvtk9-dev libboost-program-options-dev libgtest-dev
  nlohmann-json3-dev)
# lungmask.seg.dcm (--dicom-seg): DICOM Segmentation objects through DCMTK's dcmseg.
packages+=(libdcmtk-dev)
# render.png: VTK renders offscreen on a virtual X display (ctprep starts xvfb-run itself when needed).
packages+=(xvfb xauth libgl1-mesa-dri)
# Tests: an independent DICOM reader (Debian's Python with pydicom and numpy), and the classic
# recipe's scipy and scikit-image for the comparison on real data.
if [ "$mode" = test ]; then
  packages+=(python3 python3-pydicom python3-numpy python3-scipy python3-skimage)
  # The DICOM Segmentation test checks lungmask.seg.dcm with dicom3tools' IOD verifier (dciodvfy).
  packages+=(dicom3tools)
  # Stage micro-benchmarks (Google Benchmark): built and run once each by ctest; dcm2niix and valgrind
  # for the benchmark suite (Testing/Benchmarks/ctpBenchmarkSuite.py, not run by the tests).
  packages+=(libbenchmark-dev dcm2niix valgrind)
  # The cluster test: a one-node Slurm cluster on localhost runs batch shards as a job array.
  packages+=(slurmctld slurmd slurm-client munge)
  # The fuzz test: clang with libFuzzer and the sanitizer runtimes; llvm-symbolizer for its reports.
  packages+=(clang-14 libclang-rt-14-dev llvm-14)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j "$jobs"

if [ "$mode" = run ]; then
  output=${CTP_DEMO_OUTPUT:-$root/demo-output}
  "$build/bin/ctprep" run "$build/Data/ChestPhantom/dicom" -o "$output"
  echo
  echo "Input (synthetic chest CT, DICOM): $build/Data/ChestPhantom/dicom"
  echo "Ground truth:                      $build/Data/ChestPhantom/truth"
  echo "Outputs:                           $output"
  ls -l "$output"
else
  # The unit and module tests again under AddressSanitizer and UndefinedBehaviorSanitizer (CTPrep's own
  # code instrumented; known leaks inside ITK's NRRD writer suppressed), then a fuzz campaign, then
  # every test.
  sanitize=${CTP_SANITIZE_BUILD_DIR:-$root/build-sanitize}
  sanitized_tests=(CommonGTests IntensityGTests MorphologyGTests ImageGridGTests OutputsGTests ApplicationGTests
    DicomSeriesGTests DicomFileWalkGTests Jpeg2000CodestreamGTests LungMaskGTests LungMaskPhantomGTests BatchGTests
    VolumeFilesGTests SlicerFilesGTests DicomSegmentationGTests)
  cmake -S "$root" -B "$sanitize" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCTP_SANITIZE=ON >/dev/null
  cmake --build "$sanitize" -j "$jobs" --target "${sanitized_tests[@]}"
  # Full (slow) stack unwinding: libstdc++ has no frame pointers, and the leaks GDCM makes by design
  # when it aborts are only recognized (suppressed) with whole stacks.
  (cd "$sanitize" && ASAN_OPTIONS=fast_unwind_on_malloc=0 \
    LSAN_OPTIONS=suppressions=$root/Testing/Sanitizers/lsan.supp:fast_unwind_on_malloc=0 \
    UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j "$jobs" -R '^(Common|Intensity|Morphology|ImageGrid|Outputs|Application|DicomSeries|DicomFileWalk|Jpeg2000Codestream|LungMask|LungMaskPhantom|Batch|VolumeFiles|SlicerFiles|DicomSegmentation)\.')
  # The libFuzzer target built by clang in its own folder, and a bounded campaign on it (CTest test
  # fuzz.DicomFile, label fuzz: $CTP_FUZZ_SECONDS, default 60 s); it fails on a crash, a sanitizer
  # report, a hang or running out of memory (Testing/Fuzzing/ctpRunFuzzCampaign.sh).
  fuzz=${CTP_FUZZ_BUILD_DIR:-$root/build-fuzz}
  cmake -S "$root" -B "$fuzz" -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCTP_FUZZ=ON -DBUILD_TESTING=OFF -DCTP_FUZZ_SECONDS="${CTP_FUZZ_SECONDS:-60}" >/dev/null
  cmake --build "$fuzz" -j "$jobs" --target ctpDicomFileFuzzer ctpFuzzSeeds
  (cd "$fuzz" && ctest --output-on-failure -L fuzz)
  cd "$build"
  ctest --output-on-failure -j "$jobs"
fi
