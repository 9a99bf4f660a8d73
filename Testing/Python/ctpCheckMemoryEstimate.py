#!/usr/bin/python3
"""The memory estimate of `ctprep run` (the memory guard's and the batch scheduler's) against the peak
resident memory the run really reaches, measured here.

Usage: ctpCheckMemoryEstimate.py CTPREP WORK_DIR [SHARED_DATA_DIR]
For the default chest phantom, the same tilted by 20 degrees (its corrected grid is larger than the
stack), a 512 x 512 x 120 phantom and, when the shared data is there, Lung-PET-CT-Dx A0001: the
estimate (from `--max-memory 0.001`, whose refusal names it) must be at least the peak RSS of the run
(wait4) and at most twice it. Exit 0 pass, 1 fail.
"""
import os
import re
import shutil
import subprocess
import sys


def estimate_gib(ctprep, series, out):
    result = subprocess.run([ctprep, "run", series, "-o", out, "--max-memory", "0.001"], capture_output=True,
                            text=True)
    match = re.search(r"estimated peak memory ([0-9.]+) GiB", result.stderr)
    if result.returncode != 9 or not match:
        raise RuntimeError(f"no estimate for {series}: exit {result.returncode}, {result.stderr.strip()}")
    return float(match.group(1))


def peak_gib(ctprep, series, out):
    process = subprocess.Popen([ctprep, "run", series, "-o", out, "--no-render", "--verbosity", "error"])
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"ctprep run {series}: exit {process.returncode}")
    return usage.ru_maxrss / (1024.0 * 1024.0)  # KiB -> GiB


def main():
    ctprep, work = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) > 3 else ""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    cases = []
    for name, options in [("phantom", []), ("tilted", ["--quirk", "gantry-tilt", "--tilt", "20"]),
                          ("large", ["--matrix", "512", "--slices", "120"])]:
        folder = os.path.join(work, name)
        subprocess.run([ctprep, "phantom", folder, "--verbosity", "error"] + options, check=True)
        cases.append((name, os.path.join(folder, "dicom")))
    a0001 = os.path.join(shared, "lung-pet-ct-dx", "Lung_Dx-A0001")
    if shared and os.path.isdir(a0001):
        cases.append(("A0001", a0001))
    else:
        print("A0001 skipped: no shared data")
    failures = 0
    for name, series in cases:
        estimate = estimate_gib(ctprep, series, os.path.join(work, name + "-estimate"))
        peak = peak_gib(ctprep, series, os.path.join(work, name + "-out"))
        verdict = "ok" if peak <= estimate <= 2.0 * peak else "FAIL"
        failures += verdict != "ok"
        print(f"{name}: peak {peak:.3f} GiB, estimate {estimate:.2f} GiB ({estimate / peak:.2f}x) {verdict}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
