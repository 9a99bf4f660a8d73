#!/usr/bin/python3
"""Compares `ctprep run` with the classic Kaggle recipe (../shared/reference/seed_pipeline.py) on one series.

Usage: ctpCompareWithClassicRecipe.py CTPREP SERIES_DIR WORK_DIR [--reference-dir DIR]
                                      [--min-dice 0.95] [--volume-tolerance 0.05] [--expected-litres 5.66]

Runs both (the recipe with --no-mesh, unless --reference-dir holds its outputs already), then on
CTPrep's 1 mm grid: Dice of the lung masks (labels 1, 2, 4 and 5, the lungs with the dense tissue taken
into them, against the recipe's filled mask), the aerated lung volume (labels 1 and 2) against the
recipe's and against the expected figure, both lungs present, and the lungs with their dense tissue at
most 1.25 times the aerated lungs.
The recipe's scipy.ndimage.zoom aligns the centres of the first and last voxels, so its voxel j
along an axis samples the original index j * (n_in - 1) / (n_out - 1): that mapping puts its mask
on CTPrep's grid (nearest neighbour) for a fair comparison.
Exit 0 pass, 1 fail, 77 skip (numpy/scipy/scikit-image or the series missing).
"""
import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import numpy as np
    from ctpTestUtilities import read_nrrd
except ImportError as error:
    print(f"SKIPPED: {error}")
    sys.exit(77)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ctprep")
    ap.add_argument("series")
    ap.add_argument("work")
    ap.add_argument("--reference-dir")
    ap.add_argument("--recipe", help="seed_pipeline.py (default: ../shared/reference beside the project)")
    ap.add_argument("--min-dice", type=float, default=0.95)
    ap.add_argument("--volume-tolerance", type=float, default=0.05)
    ap.add_argument("--expected-litres", type=float, default=5.66)
    a = ap.parse_args()
    recipe = a.recipe or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                                      "reference", "seed_pipeline.py")
    if not os.path.isdir(a.series):
        print(f"SKIPPED: series not found: {a.series}")
        return 77
    os.makedirs(a.work, exist_ok=True)
    reference = a.reference_dir or os.path.join(a.work, "reference")
    if not os.path.exists(os.path.join(reference, "lungs_filled.npy")):
        try:
            import scipy  # noqa: F401
            import skimage  # noqa: F401
        except ImportError as error:
            print(f"SKIPPED: {error} (apt-get install python3-scipy python3-skimage)")
            return 77
        if not os.path.exists(recipe):
            print(f"SKIPPED: classic recipe not found: {recipe}")
            return 77
        subprocess.run([sys.executable, recipe, a.series, reference, "--no-mesh"], check=True, stdout=subprocess.DEVNULL)
    ours_dir = os.path.join(a.work, "ctprep")
    subprocess.run([a.ctprep, "run", a.series, "-o", ours_dir, "--verbosity", "error"], check=True)

    ours, _, origin, dirs = read_nrrd(os.path.join(ours_dir, "lungmask.nrrd"))
    hu_original = np.load(os.path.join(reference, "hu.npy"))  # z, y, x on the original grid
    ref = np.load(os.path.join(reference, "lungs_filled.npy")) > 0
    with open(os.path.join(ours_dir, "ctprep.json")) as f:
        sidecar = json.load(f)
    original = sidecar["original_geometry"]
    if not np.allclose(np.array(original["direction"]), np.eye(3).ravel()):
        print("SKIPPED: the comparison assumes an axial identity direction")
        return 77
    o_origin = np.array(original["origin"])
    o_spacing = np.array(original["spacing"])
    n_in = np.array(hu_original.shape[::-1])  # x, y, z
    n_ref = np.array(ref.shape[::-1])
    spacing = np.linalg.norm(dirs, axis=1)
    index = []
    for axis in range(3):
        centres = origin[axis] + spacing[axis] * np.arange(ours.shape[2 - axis])
        c = (centres - o_origin[axis]) / o_spacing[axis]  # continuous index in the original grid
        r = np.rint(c * (n_ref[axis] - 1) / (n_in[axis] - 1)).astype(int)
        index.append(np.clip(r, 0, n_ref[axis] - 1))
    ref_on_ours = ref[np.ix_(index[2], index[1], index[0])]
    # The lungs with the dense tissue taken into them (labels 4, 5: the tumour) against the recipe's
    # aerated mask; the volumes are the aerated lung's (labels 1, 2), the recipe's kind.
    lungs = np.isin(ours, (1, 2, 4, 5))
    aerated = (ours == 1) | (ours == 2)
    dice = 2.0 * np.count_nonzero(lungs & ref_on_ours) / (np.count_nonzero(lungs) + np.count_nonzero(ref_on_ours))
    voxel_ml = float(np.prod(spacing)) / 1000.0
    ours_l = np.count_nonzero(aerated) * voxel_ml / 1000.0
    total_l = np.count_nonzero(lungs) * voxel_ml / 1000.0
    ref_l = int(ref.sum()) * float(np.prod(json.load(open(os.path.join(reference, "timings.json")))["spacing_out"])) / 1e6
    right_l = np.count_nonzero(ours == 1) * voxel_ml / 1000.0
    left_l = np.count_nonzero(ours == 2) * voxel_ml / 1000.0
    print(f"Dice {dice:.4f} (lungs with their dense tissue); aerated lungs {ours_l:.3f} L (right {right_l:.3f}, "
          f"left {left_l:.3f}), with dense tissue {total_l:.3f} L ({total_l / ours_l:.3f}x); classic recipe "
          f"{ref_l:.3f} L; expected {a.expected_litres} L")
    failures = []
    if dice < a.min_dice:
        failures.append(f"Dice {dice:.4f} < {a.min_dice}")
    if abs(ours_l - a.expected_litres) > a.volume_tolerance * a.expected_litres:
        failures.append(f"volume {ours_l:.3f} L not within {a.volume_tolerance:.0%} of {a.expected_litres} L")
    if abs(ours_l - ref_l) > a.volume_tolerance * ref_l:
        failures.append(f"volume {ours_l:.3f} L not within {a.volume_tolerance:.0%} of the recipe's {ref_l:.3f} L")
    if right_l < 0.1 * ours_l or left_l < 0.1 * ours_l:
        failures.append("a lung is missing")
    if total_l > 1.25 * ours_l:
        failures.append(f"lungs with dense tissue {total_l:.3f} L > 1.25 x the aerated {ours_l:.3f} L")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
