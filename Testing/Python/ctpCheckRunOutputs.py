#!/usr/bin/python3
"""`ctprep run` on a chest phantom, its outputs read back with numpy.

Usage: ctpCheckRunOutputs.py CTPREP WORK_DIR
Checks: every documented output exists and no temporary file is left; hu.nrrd and lungmask.nrrd share
the resampled grid that ctprep.json reports (size = round(extent / 1 mm), extent and direction kept);
input.npy loads with numpy.load as float32 of shape (z, y, x) and equals clip((HU + 1000) / 1400, 0, 1)
- 0.25 computed here from hu.nrrd; the lung mask agrees with the phantom's ground truth put on the same
grid; no output holds the phantom's patient name, ID, birth date, institution or accession number.
Exit 0 pass, 1 fail, 77 skip.
"""
import gzip
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import numpy as np
    from ctpTestUtilities import FAILURES, check, read_nrrd, read_png_rgb
except ImportError as error:
    print(f"SKIPPED: {error}")
    sys.exit(77)

def check_render_png(path):
    """render.png: 1200 x 700 RGB, with bone (ivory) and lungs (pink) drawn on the background."""
    if not os.path.exists(path):
        check(False, "render.png missing")
        return
    image = read_png_rgb(path).astype(int)
    check(image.shape == (700, 1200, 3), f"render.png is {image.shape}, not 700 x 1200 RGB")
    drawn = np.any(image != image[0, 0], axis=2).mean()
    r, g, b = image[..., 0], image[..., 1], image[..., 2]
    ivory = ((r > 150) & (g > 140) & (b > 110) & (np.abs(r - b) < 60)).mean()
    pink = ((r > 100) & (r > g + 30) & (r > b + 30)).mean()
    check(drawn > 0.05 and ivory > 0.002 and pink > 0.002,
          f"render.png: {100 * drawn:.1f}% drawn, {100 * ivory:.2f}% bone, {100 * pink:.2f}% lungs")


def main():
    ctprep, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    phantom = os.path.join(work, "phantom")
    out = os.path.join(work, "out")
    subprocess.run([ctprep, "phantom", phantom, "--matrix", "160", "--slices", "48", "--slice-spacing", "3",
                    "--verbosity", "error"], check=True)
    # Without DISPLAY, as on a server: render.png is drawn on the private Xvfb ctprep starts itself.
    no_display = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    subprocess.run([ctprep, "run", os.path.join(phantom, "dicom"), "-o", out, "--format", "nrrd,nii.gz",
                    "--checksums", "--verbosity", "error"], check=True, env=no_display)
    facts = json.load(open(os.path.join(phantom, "truth", "facts.json")))
    sidecar = json.load(open(os.path.join(out, "ctprep.json")))

    expected = {"hu.nrrd", "lungmask.nrrd", "hu.nii.gz", "lungmask.nii.gz", "input.npy", "bone.stl", "lungs.stl",
                "render.png", "preview.png", "hu_histogram.png", "lungmask.seg.nrrd", "scene.mrml", "ctprep.json"}
    if shutil.which("Xvfb") is None:
        print("note: no Xvfb, render.png not expected")
        expected.discard("render.png")
    else:
        check_render_png(os.path.join(out, "render.png"))
    present = set(os.listdir(out))
    check(present == expected, f"outputs {sorted(present)} != {sorted(expected)}")
    listed = {o["file"]: o for o in sidecar["outputs"]}
    check(set(listed) | {"ctprep.json"} == expected, f"sidecar lists {sorted(listed)}")
    for name, entry in listed.items():
        check(entry["bytes"] == os.path.getsize(os.path.join(out, name)), f"{name}: size differs from the sidecar")
        check(len(entry.get("hash64", "")) == 16, f"{name}: no hash64 with --checksums")

    hu, _, hu_origin, hu_dirs = read_nrrd(os.path.join(out, "hu.nrrd"))
    mask, _, mask_origin, mask_dirs = read_nrrd(os.path.join(out, "lungmask.nrrd"))
    geometry = sidecar["output_geometry"]
    check(list(hu.shape[::-1]) == geometry["size"] == list(mask.shape[::-1]), "hu and lungmask sizes differ")
    check(np.allclose(hu_origin, geometry["origin"]) and np.allclose(mask_origin, geometry["origin"]), "origin")
    spacing = np.array(geometry["spacing"])
    check(np.allclose(hu_dirs, mask_dirs) and np.allclose(np.linalg.norm(hu_dirs, axis=1), spacing), "spacing")
    # The classic recipe's size: round(n x spacing / 1 mm); the outer faces of the volume stay put.
    n = np.array(facts["size"])
    s = np.array(facts["spacing"])
    check(list(np.rint(n * s).astype(int)) == geometry["size"], f"size {geometry['size']} != round({n * s})")
    check(np.allclose(spacing * geometry["size"], n * s), "physical extent not kept")
    first_face = np.array(facts["origin"]) - 0.5 * s
    check(np.allclose(hu_origin - 0.5 * spacing, first_face), "first face moved")

    x = np.load(os.path.join(out, "input.npy"))
    check(x.dtype == np.float32, f"input.npy dtype {x.dtype}")
    check(x.shape == hu.shape and list(x.shape) == sidecar["input_npy"]["shape_zyx"], f"input.npy shape {x.shape}")
    expected_x = (np.clip((hu.astype(np.float64) + 1000.0) / 1400.0, 0.0, 1.0) - 0.25).astype(np.float32)
    check(np.allclose(x, expected_x, atol=1e-6), f"input.npy differs by {np.abs(x - expected_x).max()}")

    # Lung mask against the ground truth, the truth put on the output grid by nearest neighbour.
    truth, _, t_origin, t_dirs = read_nrrd(os.path.join(phantom, "truth", "lungs.nrrd"))
    t_spacing = np.linalg.norm(t_dirs, axis=1)
    index = []
    for axis in range(3):
        centres = hu_origin[axis] + spacing[axis] * np.arange(hu.shape[2 - axis])
        i = np.rint((centres - t_origin[axis]) / t_spacing[axis]).astype(int)
        index.append(np.clip(i, 0, truth.shape[2 - axis] - 1))
    truth_on_grid = truth[np.ix_(index[2], index[1], index[0])]
    lungs = (mask == 1) | (mask == 2)
    dice = 2 * np.count_nonzero(lungs & (truth_on_grid > 0)) / (np.count_nonzero(lungs) + np.count_nonzero(truth_on_grid))
    check(dice >= 0.97, f"Dice {dice:.4f} against the ground truth on the 1 mm grid")
    check(np.array_equal(mask[truth_on_grid == 1] == 2, np.zeros(np.count_nonzero(truth_on_grid == 1), bool)),
          "left label inside the right lung")
    volume = sidecar["lungs"]["total_ml"]
    check(abs(volume - facts["lung_volume_ml"]) <= 0.03 * facts["lung_volume_ml"],
          f"lung volume {volume:.1f} mL vs truth {facts['lung_volume_ml']:.1f} mL")

    identifiers = [v for v in facts["synthetic_identifiers"].values() if v]
    for name in sorted(present):
        data = open(os.path.join(out, name), "rb").read()
        if name.endswith(".gz"):
            data = gzip.decompress(data)
        for identifier in identifiers:
            check(identifier.encode() not in data, f"{identifier} found in {name}")
    print(f"outputs complete; Dice {dice:.4f}; lungs {volume:.1f} mL (truth {facts['lung_volume_ml']:.1f}); "
          f"no identifier in {len(present)} files")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
