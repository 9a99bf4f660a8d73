#!/usr/bin/python3
"""A run's parameters, recorded once, give the same run again: `ctprep run --parameters ctprep.json`.

Usage: ctpCheckParameterFile.py CTPREP WORK_DIR

1. `ctprep run` on a small phantom with options that touch every kind of parameter (a spacing, a
   switch off, a switch on, a range, an optional number, a list, an integer).
2. `ctprep run --parameters FIRST/ctprep.json` into another folder, no other option: the same
   `parameters` block and every output with the same content hash (render.png is off).
3. A flag given beside the file wins over it (--spacing 3 after a file saying 2).
4. A parameter file naming an unknown parameter is refused (exit 4) with a line naming it.
Exit 0 pass, 1 fail.
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ctpTestUtilities import FAILURES, check  # noqa: E402


def run(ctprep, *args):
    return subprocess.run([ctprep, *args], capture_output=True, text=True)


def sidecar(folder):
    with open(os.path.join(folder, "ctprep.json")) as f:
        return json.load(f)


def main():
    ctprep, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    phantom = os.path.join(work, "phantom")
    subprocess.run([ctprep, "phantom", phantom, "--matrix", "96", "--slices", "30", "--slice-spacing", "5",
                    "--quirk", "mass-hilar", "--verbosity", "error"], check=True)
    first, again, over = (os.path.join(work, name) for name in ("first", "again", "over"))
    options = ["--spacing", "2", "--no-render", "--label-effusion", "--effusion-hu", "-15,25", "--crop-to-lungs", "5",
               "--format", "nrrd,nii.gz", "--smoothing-iterations", "5", "--checksums", "--verbosity", "error"]
    result = run(ctprep, "run", os.path.join(phantom, "dicom"), "-o", first, *options)
    check(result.returncode == 0, f"first run: exit {result.returncode}: {result.stderr.strip()}")
    result = run(ctprep, "run", os.path.join(phantom, "dicom"), "-o", again, "--parameters",
                 os.path.join(first, "ctprep.json"), "--verbosity", "error")
    check(result.returncode == 0, f"run from the parameter file: exit {result.returncode}: {result.stderr.strip()}")
    a, b = sidecar(first), sidecar(again)
    check(a["parameters"] == b["parameters"], "the parameter file gives the same parameters")
    check(a["parameters"]["spacing_mm"] == [2.0, 2.0, 2.0] and a["parameters"]["effusion_hu"] == [-15.0, 25.0]
          and a["parameters"]["crop_to_lungs_mm"] == 5.0 and a["parameters"]["render"] is False,
          f"the options given are recorded: {a['parameters']}")
    hashes = lambda s: {o["file"]: o.get("hash64") for o in s["outputs"]}  # noqa: E731
    check(len(hashes(a)) >= 9 and None not in hashes(a).values(), f"every output hashed: {hashes(a)}")
    check(hashes(a) == hashes(b), "the same outputs, byte for byte (content hashes)")
    result = run(ctprep, "run", os.path.join(phantom, "dicom"), "-o", over, "--parameters",
                 os.path.join(first, "ctprep.json"), "--spacing", "3", "--verbosity", "error")
    check(result.returncode == 0 and sidecar(over)["parameters"]["spacing_mm"] == [3.0, 3.0, 3.0]
          and sidecar(over)["parameters"]["crop_to_lungs_mm"] == 5.0, "a flag beside the file wins over it")
    bad = os.path.join(work, "bad.json")
    with open(bad, "w") as f:
        json.dump({"parameters": {"spacing_mm": [1, 1, 1], "lung_treshold_hu": -300}}, f)
    result = run(ctprep, "run", os.path.join(phantom, "dicom"), "-o", os.path.join(work, "bad"), "--parameters", bad)
    check(result.returncode == 4 and "lung_treshold_hu" in result.stderr and result.stderr.count("\n") == 1,
          f"an unknown parameter is refused in one line: exit {result.returncode}: {result.stderr!r}")
    print("FAILED: " + "; ".join(FAILURES) if FAILURES else "passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
