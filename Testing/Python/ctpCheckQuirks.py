#!/usr/bin/python3
"""The quirk matrix: `ctprep phantom --quirk NAME` for each real-world trouble, then `ctprep run`.

Usage: ctpCheckQuirks.py CTPREP WORK_DIR
Each case either processes with the phantom's geometry, HU and lung mask (against its ground truth:
lung Dice >= 0.97, mean lung HU within 6 HU of -850, grid as facts.json says) or fails with its
documented exit code and a one-line error naming the file. Exit 0 pass, 1 fail, 77 skip.
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import numpy as np
    from ctpTestUtilities import read_nrrd
except ImportError as error:
    print(f"SKIPPED: {error}")
    sys.exit(77)

CASES = {
    "shuffled-names": ["--quirk", "shuffled-names"],
    "junk-files": ["--quirk", "junk-files"],
    "two-series": ["--quirk", "two-series"],
    "localizer": ["--quirk", "localizer"],
    "reversed": ["--quirk", "reversed"],
    "feet-first": ["--feet-first"],
    "varying-intercepts": ["--quirk", "varying-intercepts"],
    "slope": ["--quirk", "slope"],
    "missing-slice": ["--quirk", "missing-slice"],
    "tracheostomy": ["--quirk", "tracheostomy"],
    "truncated": ["--quirk", "truncated"],
    "thick-5mm": ["--slice-spacing", "5", "--slices", "30"],
    "thin-0.625mm": ["--slice-spacing", "0.625", "--slices", "240", "--matrix", "64"],
    "everything-at-once": ["--quirk", "shuffled-names", "--quirk", "junk-files", "--quirk", "localizer",
                           "--quirk", "varying-intercepts", "--quirk", "tracheostomy", "--feet-first"],
}


def main():
    ctprep, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    failures = []
    rows = []
    for name, options in CASES.items():
        phantom = os.path.join(work, name)
        args = ["--matrix", "96", "--slices", "30", "--slice-spacing", "5"]
        args = [a for a in args]  # defaults, overridden by the case's own options below
        merged = dict(zip(args[::2], args[1::2]))
        rest = []
        i = 0
        while i < len(options):
            if options[i] in merged:
                merged[options[i]] = options[i + 1]
                i += 2
            else:
                rest.append(options[i])
                i += 1
        command = [ctprep, "phantom", phantom, "--verbosity", "error", *sum(merged.items(), ()), *rest]
        subprocess.run(command, check=True)
        facts = json.load(open(os.path.join(phantom, "truth", "facts.json")))
        out = os.path.join(work, name + "-out")
        result = subprocess.run([ctprep, "run", os.path.join(phantom, "dicom"), "-o", out, "--spacing", "none",
                                 "--no-mesh", "--verbosity", "error"], capture_output=True, text=True)
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        expected = facts["expected_run"]
        if expected != "ok":
            code = int(expected.split()[1])
            if result.returncode != code or len(errors) != 1:
                failures.append(f"{name}: exit {result.returncode} ({errors}), expected {expected}")
            rows.append((name, f"refused, exit {result.returncode}", errors[0] if errors else ""))
            continue
        if result.returncode != 0:
            failures.append(f"{name}: exit {result.returncode}: {errors}")
            continue
        sidecar = json.load(open(os.path.join(out, "ctprep.json")))
        hu, _, origin, dirs = read_nrrd(os.path.join(out, "hu.nrrd"))
        mask, _, _, _ = read_nrrd(os.path.join(out, "lungmask.nrrd"))
        truth, _, t_origin, t_dirs = read_nrrd(os.path.join(phantom, "truth", "lungs.nrrd"))
        problems = []
        if hu.shape != truth.shape or not np.allclose(origin, t_origin, atol=1e-3) or not np.allclose(dirs, t_dirs, atol=1e-4):
            problems.append(f"grid {hu.shape} {origin} differs from the truth's {truth.shape} {t_origin}")
        else:
            lungs = (mask == 1) | (mask == 2)
            dice = 2 * np.count_nonzero(lungs & (truth > 0)) / (np.count_nonzero(lungs) + np.count_nonzero(truth))
            parenchyma = hu[(truth > 0) & (hu < -700)]
            if dice < 0.97:
                problems.append(f"lung Dice {dice:.4f}")
            if abs(parenchyma.mean() - facts["tissue_hu"]["lung"]) > 6:
                problems.append(f"lung HU {parenchyma.mean():.1f}")
            if sidecar["source"]["series_instance_uid"] != facts["series_instance_uid"]:
                problems.append("another series was read")
            rows.append((name, "ok", f"Dice {dice:.4f}, lung HU {parenchyma.mean():.1f}, "
                                      f"{len(sidecar['warnings'])} warning(s)"))
        failures += [f"{name}: {p}" for p in problems]
    for name, status, detail in rows:
        print(f"| {name} | {status} | {detail} |")
    for failure in failures:
        print("FAIL:", failure)
    print(f"{len(CASES)} quirk cases, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
