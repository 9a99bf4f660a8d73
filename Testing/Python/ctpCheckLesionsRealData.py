#!/usr/bin/python3
"""The two Lung-PET-CT-Dx patients' cancers inside `ctprep run`'s lung mask.

Usage: ctpCheckLesionsRealData.py CTPREP SHARED_DATA_DIR WORK_DIR
A0001 has a left upper-lobe mass pressed against the spine, the aortic arch and the back wall; A0002
a right lower-lobe mass reaching the hilum and the mediastinum. Their outlines were drawn by hand on
the original axial slices (LPS mm, every other slice through each mass, looked at in a soft-tissue
window; an annotation of this test, not data from the set). Per patient: the share of the solid
voxels (HU >= -300) inside an outline, on the run's 1 mm grid, that the lungs (labels 1, 2, 4, 5)
hold; the lungs with their dense tissue against the aerated lungs (labels 1, 2); and that a dense
region was reported on the mass's side, near it. Exit 0 pass, 1 fail, 77 skip (data or numpy missing).
"""
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

CASES = {
    "A0001": {
        "series": "lung-pet-ct-dx/Lung_Dx-A0001/04-04-2007-NA-Chest-07990/2.000000-5mm-40805",
        "side": "left",
        "minimum_inside": 0.90,
        "outlines": {
            -234: [(24, 170), (35, 163), (47, 168), (50, 185), (45, 205), (40, 215), (30, 212), (24, 200), (22, 185)],
            -224: [(15, 185), (25, 175), (40, 172), (55, 178), (60, 195), (58, 215), (48, 225), (32, 225), (20, 215),
                   (14, 200)],
            -214: [(25, 175), (40, 168), (55, 168), (68, 175), (78, 195), (78, 215), (68, 232), (50, 236), (35, 232),
                   (22, 220), (18, 200)],
            -204: [(12, 195), (25, 185), (40, 180), (55, 185), (68, 195), (75, 210), (72, 225), (55, 235), (35, 236),
                   (15, 232), (10, 215)],
            -194: [(20, 195), (35, 183), (50, 185), (62, 195), (68, 210), (62, 222), (45, 226), (30, 225), (20, 215)],
            -184: [(40, 205), (50, 197), (62, 200), (65, 212), (55, 220), (42, 218)],
        },
    },
    "A0002": {
        "series": "lung-pet-ct-dx/Lung_Dx-A0002/04-25-2007-NA-ThoraxAThoraxRoutine Adult-34834/"
                  "2.000000-ThoraxRoutine  8.0.0  B70f-62919",
        "side": "right",
        "minimum_inside": 0.90,
        "outlines": {
            176: [(-85, -100), (-75, -113), (-60, -118), (-47, -112), (-43, -98), (-48, -82), (-60, -73), (-75, -76),
                  (-85, -88)],
            184: [(-90, -98), (-80, -112), (-62, -118), (-45, -112), (-40, -98), (-48, -80), (-62, -70), (-80, -74),
                  (-92, -86)],
            192: [(-105, -98), (-95, -110), (-80, -118), (-60, -122), (-40, -118), (-30, -110), (-35, -100), (-45, -92),
                  (-60, -84), (-80, -80), (-98, -86)],
            200: [(-100, -100), (-90, -112), (-70, -122), (-50, -125), (-35, -118), (-30, -105), (-40, -100), (-55, -92),
                  (-70, -86), (-90, -88)],
            208: [(-85, -108), (-75, -120), (-60, -122), (-48, -115), (-45, -105), (-55, -97), (-70, -95), (-82, -100)],
        },
    },
}


def inside_polygon(x, y, polygon):
    """Even-odd rule for arrays of points."""
    inside = np.zeros(x.shape, bool)
    n = len(polygon)
    for a in range(n):
        (x0, y0), (x1, y1) = polygon[a], polygon[(a + 1) % n]
        crosses = (y0 > y) != (y1 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (x < at)
    return inside


def main():
    ctprep, data, work = sys.argv[1], sys.argv[2], sys.argv[3]
    failures = []
    for name, case in CASES.items():
        series = os.path.join(data, case["series"])
        if not os.path.isdir(series):
            print(f"SKIPPED: {series} not found")
            return 77
        out = os.path.join(work, name)
        subprocess.run([ctprep, "run", series, "-o", out, "--no-mesh", "--verbosity", "error"], check=True)
        hu, _, origin, dirs = read_nrrd(os.path.join(out, "hu.nrrd"))
        mask, _, _, _ = read_nrrd(os.path.join(out, "lungmask.nrrd"))
        sidecar = json.load(open(os.path.join(out, "ctprep.json")))
        if not np.allclose(dirs, np.diag(np.diag(dirs))) or np.any(np.diag(dirs) <= 0):
            failures.append(f"{name}: expected an axial head-first grid, got {dirs.tolist()}")
            continue
        lungs = np.isin(mask, (1, 2, 4, 5))
        solid = inside = 0
        centre = np.zeros(3)
        for z, polygon in case["outlines"].items():
            k = int(round((z - origin[2]) / dirs[2, 2]))
            xs = origin[0] + dirs[0, 0] * np.arange(hu.shape[2])
            ys = origin[1] + dirs[1, 1] * np.arange(hu.shape[1])
            x, y = np.meshgrid(xs, ys)
            region = inside_polygon(x, y, polygon) & (hu[k] >= -300)
            solid += np.count_nonzero(region)
            inside += np.count_nonzero(region & lungs[k])
            centre += np.array([x[region].mean(), y[region].mean(), z]) * np.count_nonzero(region)
        centre /= solid
        share = inside / solid
        aerated = np.count_nonzero((mask == 1) | (mask == 2))
        ratio = np.count_nonzero(lungs) / aerated
        regions = sidecar["lungs"]["dense_regions"]
        near = [r for r in regions if r["side"] == case["side"] and
                np.linalg.norm(np.array(r["centroid_lps_mm"]) - centre) < 0.5 * r["largest_diameter_mm"] + 20]
        print(f"{name}: {100 * share:.1f}% of the mass's {solid} solid voxels inside the lungs; lungs with dense "
              f"tissue {ratio:.3f}x the aerated; {len(regions)} dense region(s), "
              f"{sum(r['volume_ml'] for r in regions):.0f} mL; effusion {sidecar['lungs']['effusion']}")
        if share < case["minimum_inside"]:
            failures.append(f"{name}: only {100 * share:.1f}% of the mass inside the lung mask")
        if ratio > 1.25:
            failures.append(f"{name}: lungs {ratio:.3f}x the aerated mask (at most 1.25)")
        if not near:
            failures.append(f"{name}: no dense region reported on the {case['side']} near the mass at {centre.round()}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
