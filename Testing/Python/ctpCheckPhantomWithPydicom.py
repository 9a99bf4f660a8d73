#!/usr/bin/python3
"""Reads a `ctprep phantom` series with pydicom, an independent DICOM reader, and checks it.

Usage: ctpCheckPhantomWithPydicom.py CTPREP WORK_DIR

1. `ctprep phantom WORK_DIR/phantom` (small grid, head-first and feet-first);
2. pydicom reads every slice: CT Image Storage, one series UID, geometry (ImagePositionPatient,
   ImageOrientationPatient, PixelSpacing, SliceThickness) equal to truth/facts.json;
3. HU = stored x RescaleSlope + RescaleIntercept computed here with numpy; stored -2000 outside the
   field of view, lung parenchyma near -850 HU inside truth/lungs.nrrd, bone >= 600 HU in bone.nrrd;
4. `ctprep run` on the series: hu.nrrd (read here with a minimal NRRD parser) equals pydicom's HU voxel
   by voxel, with the geometry of facts.json.
Exit 0 pass, 1 fail, 77 skip (pydicom or numpy missing).
"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import numpy as np
    from ctpTestUtilities import FAILURES, check, read_nrrd
    import pydicom
except ImportError as error:  # pragma: no cover
    print(f"SKIPPED: {error} (apt-get install python3-pydicom python3-numpy)")
    sys.exit(77)

def check_phantom(ctprep, work, extra_args, name):
    out = os.path.join(work, name)
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([ctprep, "phantom", out, "--matrix", "96", "--slices", "24", "--slice-spacing", "5",
                    "--seed", "3", "--verbosity", "error"] + extra_args, check=True)
    with open(os.path.join(out, "truth", "facts.json")) as f:
        facts = json.load(f)

    files = sorted(os.listdir(os.path.join(out, "dicom")))
    datasets = [pydicom.dcmread(os.path.join(out, "dicom", f)) for f in files]
    check(len(datasets) == facts["slice_count"], f"{name}: {len(datasets)} files, facts say {facts['slice_count']}")
    check(all(ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.2" for ds in datasets), f"{name}: not CT Image Storage")
    check(len({ds.SeriesInstanceUID for ds in datasets}) == 1, f"{name}: more than one SeriesInstanceUID")
    check(datasets[0].SeriesInstanceUID == facts["series_instance_uid"], f"{name}: series UID differs from facts")
    check(len({ds.SOPInstanceUID for ds in datasets}) == len(datasets), f"{name}: SOPInstanceUIDs not unique")
    check(all(ds.Modality == "CT" for ds in datasets), f"{name}: modality is not CT")

    direction = np.array(facts["direction"]).reshape(3, 3)
    spacing = np.array(facts["spacing"])
    iop = np.array([float(v) for v in datasets[0].ImageOrientationPatient])
    check(np.allclose(iop[:3], direction[:, 0]) and np.allclose(iop[3:], direction[:, 1]),
          f"{name}: ImageOrientationPatient {iop} vs direction {direction.tolist()}")
    normal = np.cross(iop[:3], iop[3:])
    check(np.allclose(normal, direction[:, 2]), f"{name}: slice normal {normal} vs direction {direction[:, 2]}")
    # Sort by position along the normal, as a reader must; InstanceNumber must agree with it.
    positions = np.array([[float(v) for v in ds.ImagePositionPatient] for ds in datasets])
    order = np.argsort(positions @ normal)
    check([int(datasets[i].InstanceNumber) for i in order] == list(range(1, len(datasets) + 1)),
          f"{name}: InstanceNumber does not follow the position along the normal")
    positions = positions[order]
    check(np.allclose(positions[0], facts["origin"], atol=1e-3), f"{name}: first position {positions[0]} vs origin {facts['origin']}")
    steps = np.diff(positions @ normal)
    check(np.allclose(steps, spacing[2], atol=1e-3), f"{name}: slice steps {steps.min()}..{steps.max()} vs {spacing[2]}")
    pixel_spacing = [float(v) for v in datasets[0].PixelSpacing]
    check(np.allclose(pixel_spacing, spacing[1::-1]), f"{name}: PixelSpacing {pixel_spacing} vs {spacing[:2]}")
    check(abs(float(datasets[0].SliceThickness) - spacing[2]) < 1e-6, f"{name}: SliceThickness {datasets[0].SliceThickness}")
    check(all(float(ds.RescaleSlope) == facts["rescale"]["slope"] and float(ds.RescaleIntercept) == facts["rescale"]["intercept"]
              for ds in datasets), f"{name}: rescale differs from facts")
    check(datasets[0].PatientName == facts["synthetic_identifiers"]["patient_name"], f"{name}: patient name")

    stored = np.stack([datasets[i].pixel_array for i in order]).astype(np.int32)
    hu = stored * float(datasets[0].RescaleSlope) + float(datasets[0].RescaleIntercept)
    check(stored.shape == tuple(facts["size"][::-1]), f"{name}: pixel array {stored.shape} vs size {facts['size']}")
    check(stored[0, 0, 0] == facts["out_of_scan_stored_value"] == -2000, f"{name}: corner stored {stored[0, 0, 0]}, not -2000")

    lungs, _, lung_origin, lung_dirs = read_nrrd(os.path.join(out, "truth", "lungs.nrrd"))
    bone, _, _, _ = read_nrrd(os.path.join(out, "truth", "bone.nrrd"))
    check(np.allclose(lung_origin, facts["origin"]), f"{name}: lungs.nrrd origin {lung_origin}")
    parenchyma = hu[(lungs > 0) & (hu < -700)]
    check(abs(parenchyma.mean() - facts["tissue_hu"]["lung"]) < 3, f"{name}: lung mean {parenchyma.mean():.1f} HU")
    check(hu[bone > 0].min() >= 600, f"{name}: bone minimum {hu[bone > 0].min()} HU")
    voxel_ml = float(np.prod(spacing)) / 1000.0
    check(abs(np.count_nonzero(lungs) * voxel_ml - facts["lung_volume_ml"]) < 1e-6,
          f"{name}: lung volume {np.count_nonzero(lungs) * voxel_ml} vs facts {facts['lung_volume_ml']}")

    result = os.path.join(out, "run")
    subprocess.run([ctprep, "run", os.path.join(out, "dicom"), "-o", result, "--spacing", "none", "--verbosity", "error"],
                   check=True)
    itk_hu, header, origin, dirs = read_nrrd(os.path.join(result, "hu.nrrd"))
    check(header["space"] == "left-posterior-superior", f"{name}: NRRD space {header['space']}")
    check(np.allclose(origin, facts["origin"], atol=1e-3), f"{name}: hu.nrrd origin {origin} vs {facts['origin']}")
    check(np.allclose(dirs, (direction * spacing).T, atol=1e-6), f"{name}: hu.nrrd space directions {dirs.tolist()}")
    # ctprep sets out-of-scan padding (stored -2000) and anything below -1024 HU to air (-1024).
    expected = np.maximum(hu, -1024).astype(np.int32)
    check(itk_hu.shape == expected.shape and np.array_equal(itk_hu.astype(np.int32), expected),
          f"{name}: ctprep's HU differ from pydicom's in "
          f"{np.count_nonzero(itk_hu != expected) if itk_hu.shape == expected.shape else 'shape'} voxels")
    print(f"{name}: {len(datasets)} slices, lungs {facts['lung_volume_ml']:.1f} mL, HU identical to pydicom's (padding as air)")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    ctprep, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    check_phantom(ctprep, work, [], "head-first")
    check_phantom(ctprep, work, ["--feet-first"], "feet-first")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
