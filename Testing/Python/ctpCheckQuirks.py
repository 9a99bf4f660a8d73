#!/usr/bin/python3
"""The quirk matrix: `ctprep phantom --quirk NAME` for each real-world trouble, then `ctprep run`.

Usage: ctpCheckQuirks.py CTPREP WORK_DIR
Each case either processes with the phantom's geometry, HU and lung mask (against its ground truth:
lung Dice >= 0.97 with the lungs labels 1, 2, 4 and 5, mean lung HU within 6 HU of -850, grid as
facts.json says; with pathology, >= 95% of the lesions' voxels in the lungs and <= 10% of the
effusion's) or fails with its documented exit code and a one-line error naming the file. With pathology
the dense label's volume outside the truth's lung is printed, not checked (LungMask/README.md). Exit 0
pass, 1 fail, 77 skip.

Gantry tilt: the reader resamples the tilted slices onto an orthogonal grid of its own, which is not
the truth's grid (the table positions). The truth's lung mask is then resampled onto the output grid
in physical space (trilinear on 0/1, >= 0.5) and compared over the output voxels inside the truth's
volume; the lung HU is measured one voxel inside the lungs, away from the partial-volume voxels that
the interpolations of the tilted slices (phantom and reader) make at the lung wall. With --keep-tilt
the slices are kept as they are, on a grid along the tilted slices (geometry checked, not the mask).
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
    "gantry-tilt": ["--quirk", "gantry-tilt"],
    "gantry-tilt-feet-first": ["--quirk", "gantry-tilt", "--tilt=-10", "--feet-first", "--quirk", "tracheostomy"],
    "gantry-tilt-kept": ["--quirk", "gantry-tilt", "--tilt=-20"],
    "truncated": ["--quirk", "truncated"],
    "thick-5mm": ["--slice-spacing", "5", "--slices", "30"],
    "thin-0.625mm": ["--slice-spacing", "0.625", "--slices", "240", "--matrix", "64"],
    "everything-at-once": ["--quirk", "shuffled-names", "--quirk", "junk-files", "--quirk", "localizer",
                           "--quirk", "varying-intercepts", "--quirk", "tracheostomy", "--feet-first"],
    # Pathology, on a grid fine enough for air bronchograms 3-5 mm wide (1.875 mm pixels, 2.5 mm slices):
    # the lesions are lung (>= 95% of their voxels in labels 1, 2, 4, 5), the effusion is not (<= 10%).
    "mass-hilar": ["--quirk", "mass-hilar", "--matrix", "192", "--slices", "70", "--slice-spacing", "2.5"],
    "mass-paravertebral": ["--quirk", "mass-paravertebral", "--matrix", "192", "--slices", "70",
                           "--slice-spacing", "2.5"],
    "consolidation": ["--quirk", "consolidation", "--matrix", "192", "--slices", "70", "--slice-spacing", "2.5"],
    "effusion": ["--quirk", "effusion", "--matrix", "192", "--slices", "70", "--slice-spacing", "2.5"],
}
# `ctprep run` options of a case beyond the common ones.
RUN_OPTIONS = {"gantry-tilt-kept": ["--keep-tilt"]}


def physical_points(shape, origin, dirs, index=None):
    """Physical centres (n, 3) of the voxels of a grid ((z, y, x) shape, NRRD origin and space directions)."""
    if index is None:
        k, j, i = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")
        index = np.stack([i.ravel(), j.ravel(), k.ravel()], axis=1)
    return origin + index.astype(float) @ dirs


def sample_mask(mask, origin, dirs, points):
    """A 0/1 mask trilinearly interpolated at physical points, >= 0.5; and which points lie inside it."""
    index = (points - origin) @ np.linalg.inv(dirs)
    size = np.array(mask.shape[::-1])
    inside = np.all((index > -1e-6) & (index < size - 1 + 1e-6), axis=1)
    index = np.clip(index, 0, size - 1)
    low = np.minimum(np.floor(index).astype(int), size - 2)
    weight = index - low
    value = np.zeros(len(points))
    for corner in np.ndindex(2, 2, 2):
        at = low + corner
        w = np.prod(np.where(corner, weight, 1 - weight), axis=1)
        value += w * mask[at[:, 2], at[:, 1], at[:, 0]]
    return value >= 0.5, inside


def eroded(mask):
    """The mask without its boundary voxels (6-neighbourhood; voxels on the grid's faces dropped)."""
    inner = mask.copy()
    for axis in range(3):
        for shift in (1, -1):
            inner &= np.roll(mask, shift, axis=axis)
        edge = [slice(None)] * 3
        for end in (0, -1):
            edge[axis] = end
            inner[tuple(edge)] = False
    return inner


def check_tilt(facts, sidecar, hu, origin, dirs, kept):
    """Problems of a gantry-tilted case, and a detail for the table."""
    problems = []
    tilt = abs(facts["gantry_tilt_degrees"])
    reported = sidecar["source"]["gantry_tilt_degrees"]
    if abs(reported - tilt) > 0.05:
        problems.append(f"gantry tilt reported {reported}, the phantom's is {tilt}")
    spacing = np.linalg.norm(dirs, axis=1)
    axes = dirs / spacing[:, None]
    if not np.allclose(axes @ axes.T, np.eye(3), atol=1e-6):
        problems.append(f"output axes not orthonormal: {axes.tolist()}")
    notes = sidecar["warnings"] if kept else sidecar["decisions"]
    word = "kept (--keep-tilt)" if kept else "corrected"
    if not any("gantry tilt" in n and word in n for n in notes):
        problems.append(f"no 'gantry tilt ... {word}' in {notes}")
    if kept:
        # The slices as they are, on axes along them: row, tilted column, normal; the step along the normal.
        iop = np.array(facts["image_orientation_patient"])
        row, column = iop[:3], iop[3:]
        expected = np.array([row, column, np.cross(row, column)])
        if not np.allclose(axes, expected, atol=1e-5):
            problems.append(f"--keep-tilt axes {axes.tolist()}, the slices' are {expected.tolist()}")
        step = facts["spacing"][2] * np.cos(np.radians(tilt))
        if hu.shape != tuple(facts["size"][::-1]) or abs(spacing[2] - step) > 1e-3:
            problems.append(f"--keep-tilt grid {hu.shape}, {spacing[2]:.4f} mm apart, expected the slices "
                            f"{facts['size'][::-1]}, {step:.4f} mm apart")
    return problems


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
                                 "--no-mesh", "--verbosity", "error", *RUN_OPTIONS.get(name, [])],
                                capture_output=True, text=True)
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
        lungs = np.isin(mask, (1, 2, 4, 5))
        same_grid = (hu.shape == truth.shape and np.allclose(origin, t_origin, atol=1e-3)
                     and np.allclose(dirs, t_dirs, atol=1e-4))
        detail = ""
        if facts["gantry_tilt_degrees"]:
            kept = "--keep-tilt" in RUN_OPTIONS.get(name, [])
            problems += check_tilt(facts, sidecar, hu, origin, dirs, kept)
            if kept:
                rows.append((name, "ok", f"tilt {sidecar['source']['gantry_tilt_degrees']:.2f} degrees kept, "
                                          f"{len(sidecar['warnings'])} warning(s)"))
                failures += [f"{name}: {p}" for p in problems]
                continue
        if same_grid:
            region = np.ones(hu.shape, bool)
            expected = truth > 0
            interior = expected
        elif facts["gantry_tilt_degrees"]:
            # The truth resampled onto the corrected grid, compared where the truth has a volume.
            expected, region = sample_mask((truth > 0).astype(float), t_origin, t_dirs,
                                           physical_points(hu.shape, origin, dirs))
            expected, region = expected.reshape(hu.shape), region.reshape(hu.shape)
            interior = eroded(expected & region)
            # How much of the truth's lung the corrected grid holds at all.
            t_index = np.argwhere(truth > 0)[:, ::-1]
            t_points = physical_points(truth.shape, t_origin, t_dirs, t_index)
            _, held = sample_mask(np.zeros(hu.shape), origin, dirs, t_points)
            detail = f", {100 * held.mean():.0f}% of the truth's lung volume inside the corrected grid"
            if held.mean() < 0.75:
                problems.append(f"only {100 * held.mean():.0f}% of the truth's lung volume inside the corrected grid")
        else:
            problems.append(f"grid {hu.shape} {origin} differs from the truth's {truth.shape} {t_origin}")
        if same_grid or facts["gantry_tilt_degrees"]:
            lungs &= region
            expected &= region
            dice = 2 * np.count_nonzero(lungs & expected) / (np.count_nonzero(lungs) + np.count_nonzero(expected))
            parenchyma = hu[interior & (hu < -700)]
            if dice < 0.97:
                problems.append(f"lung Dice {dice:.4f}")
            if abs(parenchyma.mean() - facts["tissue_hu"]["lung"]) > 6:
                problems.append(f"lung HU {parenchyma.mean():.1f}")
            if sidecar["source"]["series_instance_uid"] != facts["series_instance_uid"]:
                problems.append("another series was read")
            if facts["gantry_tilt_degrees"]:
                detail = (f", lung HU {hu[expected & (hu < -700)].mean():.1f} with the lung wall, tilt "
                          f"{sidecar['source']['gantry_tilt_degrees']:.2f} degrees corrected" + detail)
            if facts.get("pathology"):
                lesions, _, _, _ = read_nrrd(os.path.join(phantom, "truth", "lesions.nrrd"))
                for label, name_, low, high in ((1, "lesion", 0.95, 1.0), (2, "effusion", 0.0, 0.10)):
                    if np.any(lesions == label):
                        inside = np.count_nonzero(lungs & (lesions == label)) / np.count_nonzero(lesions == label)
                        detail += f", {100 * inside:.1f}% of the {name_} inside"
                        if not low <= inside <= high:
                            problems.append(f"{100 * inside:.1f}% of the {name_}'s voxels in the lungs")
                # Reported, not checked: how far the dense label runs beyond the truth's lung (into the
                # mediastinum or chest wall, which have the lesion's HU). See LungMask/README.md.
                millilitres = abs(np.linalg.det(dirs)) / 1000.0
                dense = np.isin(mask, (4, 5))
                detail += (f"; dense label {np.count_nonzero(dense) * millilitres:.1f} mL, "
                           f"{np.count_nonzero(dense & ~expected) * millilitres:.1f} mL of it outside the truth's lung "
                           f"(lesion {np.count_nonzero(lesions == 1) * millilitres:.1f} mL)")
            rows.append((name, "ok", f"Dice {dice:.4f}, lung HU {parenchyma.mean():.1f}, "
                                      f"{len(sidecar['warnings'])} warning(s)" + detail))
        failures += [f"{name}: {p}" for p in problems]
    for name, status, detail in rows:
        print(f"| {name} | {status} | {detail} |")
    for failure in failures:
        print("FAIL:", failure)
    print(f"{len(CASES)} quirk cases, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
