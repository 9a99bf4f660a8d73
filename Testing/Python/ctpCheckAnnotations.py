#!/usr/bin/python3
"""Nodule annotations in world coordinates placed on the output grid (--annotations).

Usage: ctpCheckAnnotations.py CTPREP WORK_DIR

The phantom's nodules are the oracle. Their centres (facts.json, LPS mm) are written as a LUNA16
annotations.csv (seriesuid, coordX, coordY, coordZ, diameter_mm), with a point outside the volume and
a row of another series. For a head-first and a feet-first phantom, and the runs at 1 mm, on the
original grid (--spacing none) and cropped to the lungs at 1.5 x 1.5 x 2 mm:
- every nodule's voxel in nodules.csv (ITK's x, y, z and input.npy's z, y, x) lies within one voxel
  of the centroid of the nodule in the run's hu.nrrd (its voxels above -300 HU within its radius,
  placed by this script from the NRRD header alone), inside the volume (the free nodule inside the
  lungs);
- the point outside is listed with inside_volume false; the other series' row is not listed;
- nodules.mrk.json is a 3D Slicer markups file: Fiducial, LPS, one control point per annotation
  inside the volume, at its position.
Then a LUNA16-layout cohort (subset0/ and subset1/ holding <uid>.mhd) through `ctprep batch --annotations`: nodules.csv in
every case, with that case's rows only.
Exit 0 pass, 1 fail, 77 skip (numpy missing).
"""
import csv
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import numpy as np
    from ctpTestUtilities import FAILURES, check, read_nrrd
except ImportError as error:
    print(f"SKIPPED: {error}")
    sys.exit(77)


def nodule_centroid(hu, origin, axes, centre, radius):
    """The centroid (x, y, z index) of the voxels above -300 HU within `radius` of `centre` (LPS)."""
    k, j, i = np.meshgrid(*(np.arange(n) for n in hu.shape), indexing="ij")
    points = origin + i[..., None] * axes[0] + j[..., None] * axes[1] + k[..., None] * axes[2]
    inside = (np.linalg.norm(points - centre, axis=-1) <= radius) & (hu > -300)
    return np.array([i[inside].mean(), j[inside].mean(), k[inside].mean()]), int(inside.sum())


def write_annotations(path, rows):
    with open(path, "w") as f:
        f.write("seriesuid,coordX,coordY,coordZ,diameter_mm\n")
        for uid, point, diameter in rows:
            f.write(f"{uid},{point[0]},{point[1]},{point[2]},{diameter}\n")


def check_run(ctprep, folder, annotations, facts, extra, what):
    result = subprocess.run([ctprep, "run", os.path.join(folder, "dicom"), "-o", os.path.join(folder, what),
                             "--annotations", annotations, "--no-render", "--no-mesh", "--verbosity", "error", *extra],
                            capture_output=True, text=True)
    check(result.returncode == 0, f"{what}: exit {result.returncode}: {result.stderr.strip()}")
    out = os.path.join(folder, what)
    with open(os.path.join(out, "nodules.csv")) as f:
        rows = list(csv.DictReader(f))
    nodules = facts["nodules"]
    check(len(rows) == len(nodules) + 1, f"{what}: this series' rows only ({len(rows)})")
    hu, _, origin, axes = read_nrrd(os.path.join(out, "hu.nrrd"))
    for nodule, row in zip(nodules, rows):
        centroid, count = nodule_centroid(hu, origin, axes, np.array(nodule["center_lps_mm"]), nodule["radius_mm"])
        xyz = np.array([int(row["index_x"]), int(row["index_y"]), int(row["index_z"])])
        check(count > 10 and np.all(np.abs(xyz - centroid) <= 1.0),
              f"{what} {nodule['name']}: voxel {xyz} within one voxel of the nodule's centroid {centroid.round(2)}")
        check(row["inside_volume"] == "true", f"{what} {nodule['name']}: inside the volume")
        # The free nodule lies in the lung; a juxtapleural one's centre voxel may fall outside the mask
        # on a coarse grid (the lung wall's voxels): inside_lungs says so rather than guessing.
        if nodule["name"] == "free":
            check(row["inside_lungs"] == "true", f"{what} {nodule['name']}: inside the lungs")
    check(rows[-1]["inside_volume"] == "false", f"{what}: the point outside is listed as outside")
    with open(os.path.join(out, "nodules.mrk.json")) as f:
        markups = json.load(f)["markups"][0]
    positions = [p["position"] for p in markups["controlPoints"]]
    check(markups["type"] == "Fiducial" and markups["coordinateSystem"] == "LPS"
          and positions == [n["center_lps_mm"] for n in nodules], f"{what}: nodules.mrk.json: {markups}")
    check(json.load(open(os.path.join(out, "ctprep.json")))["nodules"]["inside_volume"] == len(nodules),
          f"{what}: ctprep.json counts the nodules inside")


def check_batch(ctprep, work, phantom, facts):
    root = os.path.join(work, "luna16")
    subprocess.run([ctprep, "convert", os.path.join(phantom, "dicom"), "-o", os.path.join(work, "ph.mhd"),
                    "--verbosity", "error"], check=True)
    rows = []
    for subset, uid in (("subset0", "1.3.6.1.4.1.14519.5.2.1.6279.6001.100"),
                        ("subset1", "1.3.6.1.4.1.14519.5.2.1.6279.6001.200")):
        os.makedirs(os.path.join(root, subset))
        shutil.copy(os.path.join(work, "ph.raw"), os.path.join(root, subset, uid + ".raw"))
        with open(os.path.join(root, subset, uid + ".mhd"), "w") as f:
            f.write(open(os.path.join(work, "ph.mhd")).read().replace("ph.raw", uid + ".raw"))
        rows.append((uid, facts["nodules"][0]["center_lps_mm"], 14))
    rows.append((rows[0][0], facts["nodules"][1]["center_lps_mm"], 12))
    annotations = os.path.join(work, "luna16-annotations.csv")
    write_annotations(annotations, rows)
    out = os.path.join(work, "luna16-out")
    result = subprocess.run([ctprep, "batch", root, "-o", out, "--annotations", annotations, "--spacing", "2",
                             "--no-render", "--no-mesh", "--verbosity", "warning"], capture_output=True, text=True)
    check(result.returncode == 0, f"batch --annotations: exit {result.returncode}: {result.stderr.strip()}")
    for uid, count in (("1.3.6.1.4.1.14519.5.2.1.6279.6001.100", 2), ("1.3.6.1.4.1.14519.5.2.1.6279.6001.200", 1)):
        path = os.path.join(out, uid, "nodules.csv")
        listed = list(csv.DictReader(open(path))) if os.path.exists(path) else []
        check(len(listed) == count and all(r["seriesuid"] == uid for r in listed), f"batch: {uid} has its {count} row(s)")
    with open(os.path.join(out, "manifest.csv")) as f:
        check(sorted(r["status"] for r in csv.DictReader(f)) == ["ok", "ok"], "batch: the manifest is complete")


def main():
    ctprep, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for orientation in ("head-first", "feet-first"):
        phantom = os.path.join(work, orientation)
        subprocess.run([ctprep, "phantom", phantom, "--matrix", "160", "--slices", "50", "--slice-spacing", "4",
                        "--verbosity", "error"] + (["--feet-first"] if orientation == "feet-first" else []), check=True)
        with open(os.path.join(phantom, "truth", "facts.json")) as f:
            facts = json.load(f)
        uid = facts["series_instance_uid"]
        annotations = os.path.join(phantom, "annotations.csv")
        write_annotations(annotations, [(uid, n["center_lps_mm"], 2 * n["radius_mm"]) for n in facts["nodules"]]
                          + [(uid, [0.0, 0.0, 5000.0], 10.0), ("1.2.3.another.series", [1.0, 2.0, 3.0], 4.0)])
        for what, extra in (("1mm", []), ("original-grid", ["--spacing", "none"]),
                            ("cropped", ["--crop-to-lungs", "10", "--spacing", "1.5,1.5,2"])):
            check_run(ctprep, phantom, annotations, facts, extra, f"{orientation} {what}")
    check_batch(ctprep, work, os.path.join(work, "head-first"), facts)
    print("FAILED: " + "; ".join(FAILURES) if FAILURES else "passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
